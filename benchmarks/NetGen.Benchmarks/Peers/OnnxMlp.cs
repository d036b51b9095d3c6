using System;
using Microsoft.ML.OnnxRuntime;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The 784-128-10 MLP as an ONNX graph (Gemm, Relu, Gemm, Softmax) written in code by <see cref="OnnxModelWriter"/>,
/// run by ONNX Runtime's CPU execution provider, inference only. Input and output are <see cref="OrtValue"/>s over
/// pinned managed arrays made once per batch size, and <c>Run</c> writes into the output in place: no copies and no
/// per-call allocation beyond what ONNX Runtime itself does.
/// </summary>
public sealed class OnnxMlp : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames = [OnnxModelWriter.InputName], _outputNames = [OnnxModelWriter.OutputName];
    private readonly OrtValue[] _inputValues = new OrtValue[1], _outputValues = new OrtValue[1];

    /// <summary>The last prediction, <c>batch × 10</c> probabilities.</summary>
    public float[] Outputs { get; } = GC.AllocateArray<float>(Mlp784.MaxBatch * Mlp784.Outputs, pinned: true);
    private readonly float[] _inputs = GC.AllocateArray<float>(Mlp784.MaxBatch * Mlp784.Inputs, pinned: true);

    public static byte[] ModelBytes(Mlp784.Weights w) => OnnxModelWriter.DenseNetwork(
    [
        new(w.W1, w.B1, Mlp784.Hidden, Mlp784.Inputs, "Relu"),
        new(w.W2, w.B2, Mlp784.Outputs, Mlp784.Hidden, "Softmax"),
    ]);

    /// <param name="threads">Intra-op threads; inter-op is 1 and execution sequential.</param>
    public OnnxMlp(Mlp784.Weights weights, Mlp784.Batch data, int threads)
    {
        data.Inputs.CopyTo(_inputs, 0);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(ModelBytes(weights), options);
        Prepare(1);
    }

    public void Prepare(int batch)
    {
        _inputValues[0]?.Dispose();
        _outputValues[0]?.Dispose();
        _inputValues[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _inputs.AsMemory(0, batch * Mlp784.Inputs), [batch, Mlp784.Inputs]);
        _outputValues[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Outputs.AsMemory(0, batch * Mlp784.Outputs), [batch, Mlp784.Outputs]);
    }

    public void Predict() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    public void Dispose()
    {
        _inputValues[0]?.Dispose();
        _outputValues[0]?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

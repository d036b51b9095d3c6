using System;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Inference with ONNX Runtime's CPU execution provider on a model exported by NetGen.Onnx. Input and
/// output are <see cref="OrtValue"/>s over pinned managed arrays, made once per batch size, and <c>Run</c> writes into
/// the output in place: no copies and no per-call allocation beyond what ONNX Runtime itself does.
/// </summary>
public sealed class OnnxPredictor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _sampleShape;
    private readonly int _inputSize, _outputSize;
    private readonly float[] _inputs;
    private readonly string[] _inputNames = [NetGen.Onnx.OnnxExport.InputName], _outputNames;
    private readonly OrtValue[] _inputValues = new OrtValue[1], _outputValues = new OrtValue[1];

    /// <summary>The last prediction, <c>batch × outputSize</c> values.</summary>
    public float[] Outputs { get; }

    /// <param name="inputs">Up to <paramref name="maxBatch"/> samples, row-major; copied into pinned memory.</param>
    /// <param name="sampleShape">One sample's shape without the batch dimension: [features] or [channels, height, width].</param>
    /// <param name="threads">Intra-op threads; inter-op is 1 and execution sequential.</param>
    public OnnxPredictor(byte[] model, float[] inputs, long[] sampleShape, int outputSize, int maxBatch, int threads)
    {
        _sampleShape = sampleShape;
        _inputSize = 1;
        foreach (long d in sampleShape) _inputSize *= (int)d;
        _outputSize = outputSize;
        _inputs = GC.AllocateArray<float>(maxBatch * _inputSize, pinned: true);
        inputs.AsSpan(0, Math.Min(inputs.Length, _inputs.Length)).CopyTo(_inputs);
        Outputs = GC.AllocateArray<float>(maxBatch * outputSize, pinned: true);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _outputNames = [_session.OutputNames[0]];
        Prepare(1);
    }

    public void Prepare(int batch)
    {
        _inputValues[0]?.Dispose();
        _outputValues[0]?.Dispose();
        _inputValues[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _inputs.AsMemory(0, batch * _inputSize), [batch, .. _sampleShape]);
        _outputValues[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Outputs.AsMemory(0, batch * _outputSize), [batch, _outputSize]);
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

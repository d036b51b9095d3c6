using System;
using Microsoft.ML.OnnxRuntime;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Workloads;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Issue 11's character LSTM in ONNX Runtime (CPU, one intra-op thread): the NetGen network (Embedding → LSTM →
/// per-step Dense + Softmax) exported by NetGen.Onnx (Gather, Transpose, LSTM, Squeeze, Transpose, MatMul/Add, Softmax)
/// and run on the whole 32 × 64 batch (inference: ONNX Runtime does not train). The graph takes int64 ids
/// [N, 64] and gives the probabilities [N, 64, 65]. The exported LSTM node has no initial_h / initial_c inputs and
/// no Y_h / Y_c graph outputs, so a token-at-a-time row with the state carried between calls cannot be run on it.
/// </summary>
public sealed class OnnxCharLstm : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _ids;
    private readonly OrtValue[] _inputs = new OrtValue[1], _outputs = new OrtValue[1];
    private readonly string[] _inputNames = [OnnxExport.InputName], _outputNames;

    /// <summary>The last prediction: [batch, time, vocabulary].</summary>
    public float[] Probabilities { get; }

    /// <summary>The NetGen network whose weights were exported (the reference for <see cref="LargestDifference"/>).</summary>
    public CharLstmNet Network { get; } = new();

    public OnnxCharLstm()
    {
        int batch = CharModels.RnnBatch, time = CharModels.RnnTime;
        var (ids, _) = CharModels.CreateData(batch * time);
        _ids = GC.AllocateArray<long>(ids.Length, pinned: true);
        for (int i = 0; i < ids.Length; i++) _ids[i] = ids[i];
        Probabilities = GC.AllocateArray<float>(batch * time * CharModels.Vocabulary, pinned: true);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxExport.ToBytes(Network), options);
        _outputNames = [_session.OutputNames[0]];
        _inputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ids.AsMemory(), [batch, time]);
        _outputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Probabilities.AsMemory(), [batch, time, CharModels.Vocabulary]);
    }

    /// <summary>The forward pass over the batch, into <see cref="Probabilities"/>.</summary>
    public void Predict() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    /// <summary>Runs both on the same ids and returns the largest |ONNX Runtime − NetGen| over all probabilities.</summary>
    public double LargestDifference()
    {
        Predict();
        var ids = new int[_ids.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = (int)_ids[i];
        var expected = new float[Probabilities.Length];
        Network.Predict(ids, expected, CharModels.RnnBatch);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - Probabilities[i]));
        return worst;
    }

    public void Dispose()
    {
        _inputs[0].Dispose();
        _outputs[0].Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

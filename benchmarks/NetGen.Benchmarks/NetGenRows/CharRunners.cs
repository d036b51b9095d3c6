using System;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.NetGenRows;

/// <summary>
/// The generated character models called as their users call them: <c>TrainStep(ids, next, batch)</c> on a fixed batch,
/// and <c>Step(token, probabilities)</c> one token at a time from a reset state, a whole context (64 tokens) per call.
/// </summary>
public sealed class NetGenCharModel
{
    private readonly Func<int[], int[], int, float> _trainStep;
    private readonly Action<int, float[]>? _step;
    private readonly Action? _reset;
    private readonly int[] _ids, _next;
    private readonly int _batch;
    private readonly float[] _probabilities = new float[CharModels.Vocabulary];

    public const int TokensPerGeneration = 64;

    private NetGenCharModel(Func<int[], int[], int, float> trainStep, Action<int, float[]>? step, Action? reset, int batch, int time)
    {
        _trainStep = trainStep; _step = step; _reset = reset; _batch = batch;
        (_ids, _next) = CharModels.CreateData(batch * time);
        TrainStep(); // sizes the buffers (untimed)
        if (_step is not null) Generate();
    }

    public static NetGenCharModel Lstm()
    {
        var net = new CharLstmNet();
        return new NetGenCharModel((x, y, b) => net.TrainStep(x, y, b), (t, p) => net.Step(t, p), net.ResetState, CharModels.RnnBatch, CharModels.RnnTime);
    }

    public static NetGenCharModel Gru()
    {
        var net = new CharGruNet();
        return new NetGenCharModel((x, y, b) => net.TrainStep(x, y, b), (t, p) => net.Step(t, p), net.ResetState, CharModels.RnnBatch, CharModels.RnnTime);
    }

    /// <summary>The GPT: train iterations, and Step with its key/value cache (64 tokens from ResetState fill the context, MaxSteps).</summary>
    public static NetGenCharModel Gpt()
    {
        var net = new CharGptNet();
        return new NetGenCharModel((x, y, b) => net.TrainStep(x, y, b), (t, p) => net.Step(t, p), net.ResetState, CharModels.GptBatch, CharModels.GptTime);
    }

    public float TrainStep() => _trainStep(_ids, _next, _batch);

    /// <summary>Reset, then <see cref="TokensPerGeneration"/> tokens, each fed the argmax of the last distribution.</summary>
    public void Generate()
    {
        if (_step is null || _reset is null) throw new InvalidOperationException("This model has no Step.");
        _reset();
        int token = 0;
        for (int i = 0; i < TokensPerGeneration; i++)
        {
            _step(token, _probabilities);
            token = NetGen.Sequences.Sampler.ArgMax<float>(_probabilities);
        }
    }
}

/// <summary>The character LSTM's inference over the 32 × 64 batch (<c>Predict</c>), on a network whose weights ONNX Runtime also has.</summary>
public sealed class CharLstmInference
{
    private readonly CharLstmNet _net;
    private readonly int[] _ids;
    private readonly float[] _probabilities = new float[CharModels.RnnBatch * CharModels.RnnTime * CharModels.Vocabulary];

    public CharLstmInference(CharLstmNet net)
    {
        _net = net;
        (_ids, _) = CharModels.CreateData(CharModels.RnnBatch * CharModels.RnnTime);
        Predict(); // sizes the buffers (untimed)
    }

    public void Predict() => _net.Predict(_ids, _probabilities, CharModels.RnnBatch);
}

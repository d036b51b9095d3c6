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

    /// <summary>The GPT: train iterations only (the generator emits no network-level Step for attention stacks yet).</summary>
    public static NetGenCharModel Gpt()
    {
        var net = new CharGptNet();
        return new NetGenCharModel((x, y, b) => net.TrainStep(x, y, b), null, null, CharModels.GptBatch, CharModels.GptTime);
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

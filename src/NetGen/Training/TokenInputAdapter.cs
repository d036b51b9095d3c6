using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen.Training;

/// <summary>How many class ids per sample a wrapped network takes (the trainer one-hot encodes that many per sample).</summary>
internal interface ILabelLayout
{
    /// <summary>Class ids per sample: 1, or one per time step.</summary>
    int LabelsPerSample { get; }
}

/// <summary>
/// Presents a token-input network as an <see cref="INetwork{T}"/> whose float inputs are token ids (exact
/// whole numbers below 2²⁴, as <see cref="Data.TokenDataset.AsDataset"/> writes them), so the trainer's loop,
/// validation, callbacks, divergence guard and the metrics serve token networks unchanged. Each call converts
/// the batch's ids into a scratch array grown to the largest batch seen, so steady state allocates nothing.
/// </summary>
internal sealed class TokenInputAdapter<TNetwork, T> : INetwork<T>, ILabelLayout
    where TNetwork : ITokenNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TNetwork _network;
    private int[] _ids = Array.Empty<int>();

    public TokenInputAdapter(TNetwork network) => _network = network;

    /// <summary>Class ids per sample the network takes (its <see cref="IClassIndexTargets{TInput, T}.LabelsPerSample"/>), or 1.</summary>
    public int LabelsPerSample => _network is IClassIndexTargets<int, T> c ? c.LabelsPerSample : 1;

    public int InputSize => _network.InputSize;
    public int OutputSize => _network.OutputSize;
    public int ParameterCount => _network.ParameterCount;
    public Span<T> Parameters => _network.Parameters;
    public ReadOnlySpan<T> Gradients => _network.Gradients;
    public IReadOnlyList<ParameterTensor> ParameterTensors => _network.ParameterTensors;
    public Span<T> OptimizerState => _network.OptimizerState;
    public int OptimizerStateSlots => _network.OptimizerStateSlots;
    public long OptimizerStep { get => _network.OptimizerStep; set => _network.OptimizerStep = value; }
    public double LearningRate { get => _network.LearningRate; set => _network.LearningRate = value; }
    public ulong RandomState { get => _network.RandomState; set => _network.RandomState = value; }

    public void Predict(ReadOnlySpan<T> input, Span<T> output) => _network.Predict(Ids(input), output);
    public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => _network.Predict(Ids(inputs), outputs, batchSize);
    public T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize) => _network.ComputeLoss(Ids(inputs), targets, batchSize);
    public T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize) => _network.ComputeGradients(Ids(inputs), targets, batchSize);
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize) => _network.TrainStep(Ids(inputs), targets, batchSize);
    public ReadOnlySpan<T> EvaluationOutputs => _network.EvaluationOutputs;
    public void InitializeParameters(int seed) => _network.InitializeParameters(seed);
    public string? FindNonFiniteLayer() => _network.FindNonFiniteLayer();

    /// <summary>The ids the float values stand for; a value that is not a whole number is refused (the network checks the range).</summary>
    private ReadOnlySpan<int> Ids(ReadOnlySpan<T> values)
    {
        if (_ids.Length < values.Length) _ids = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            T v = values[i];
            if (!T.IsInteger(v) || v < T.Zero || v >= T.CreateTruncating(Data.TokenDataset.MaxTokenId))
                throw new ArgumentOutOfRangeException("inputs", double.CreateTruncating(v), $"Input {i} is {v}, not a token id (a whole number in [0, {Data.TokenDataset.MaxTokenId})).");
            _ids[i] = int.CreateTruncating(v);
        }
        return _ids.AsSpan(0, values.Length);
    }
}

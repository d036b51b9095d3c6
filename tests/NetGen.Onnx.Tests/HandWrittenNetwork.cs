using System;
using System.Collections.Generic;

namespace NetGen.Onnx.Tests;

/// <summary>A network state written by hand (not generated): it has no architecture, so it cannot be exported.</summary>
internal class HandWrittenNetwork : INetworkState<float>
{
    private readonly float[] _parameters = new float[6];

    public int InputSize => 2;
    public int OutputSize => 3;
    public int ParameterCount => _parameters.Length;
    public Span<float> Parameters => _parameters;
    public ReadOnlySpan<float> Gradients => _parameters;
    public IReadOnlyList<ParameterTensor> ParameterTensors { get; } = new[] { new ParameterTensor("layers.0.weight", 0, new[] { 3, 2 }) };
    public Span<float> OptimizerState => Span<float>.Empty;
    public int OptimizerStateSlots => 0;
    public long OptimizerStep { get; set; }
    public double LearningRate { get; set; }
    public ulong RandomState { get; set; }
    public void InitializeParameters(int seed) => Array.Fill(_parameters, seed);
    public string? FindNonFiniteLayer() => null;
}

/// <summary>A hand-written network that describes itself with a layer kind no exporter knows.</summary>
internal sealed class UnknownKindNetwork : HandWrittenNetwork, IDescribedNetwork
{
    public NetworkArchitecture Architecture { get; } = new("UnknownKindNetwork", "Vector", new[] { 2 }, "float", "MeanSquaredError", new[]
    {
        new LayerArchitecture("Quantum", "layers.0", "Vector", new[] { 2 }, "Vector", new[] { 3 },
            new Dictionary<string, string>(), new[] { new LayerTensor("layers.0.weight", "Weight", "Weight", new[] { 3, 2 }, true) }),
    });
}

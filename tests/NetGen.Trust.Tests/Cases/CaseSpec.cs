using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Trust.Tests.Cases;

/// <summary>The layer kinds the differential tests cover.</summary>
public enum LayerKind { Dense, Activation, Maxout, Dropout }

/// <summary>
/// One declared layer. Real-valued settings are kept as the C# literal written in the declaration
/// (<c>"0.2f"</c>), so the declaration text and the reference read the same number.
/// </summary>
public sealed record LayerDesc(LayerKind Kind, int Units = 0, int Pieces = 0, Activation Activation = Activation.Linear, string? Alpha = null, string? Rate = null, string? Name = null)
{
    /// <summary>The activation this layer applies, or null (Maxout, Dropout).</summary>
    public Activation? AppliedActivation => Kind is LayerKind.Dense or LayerKind.Activation ? Activation : null;

    /// <summary>α as the reference uses it: the literal, or the documented default.</summary>
    public double AlphaValue => Alpha is not null ? CaseSpec.Value(Alpha) : Activation == Activation.ELU ? 1.0 : 0.01;

    public double RateValue => Rate is null ? 0 : CaseSpec.Value(Rate);

    public string Declaration()
    {
        string name = Name is null ? "" : $", Name = \"{Name}\"";
        string alpha = Alpha is null ? "" : $", Alpha = {Alpha}";
        return Kind switch
        {
            LayerKind.Dense => $"[Dense({Units}, Activation.{Activation}{alpha}{name})]",
            LayerKind.Activation => $"[Activation(Activation.{Activation}{alpha}{name})]",
            LayerKind.Maxout => $"[Maxout({Units}, {Pieces}{name})]",
            LayerKind.Dropout => $"[Dropout({Rate ?? "0f"}{name})]",
            _ => throw new InvalidOperationException(),
        };
    }
}

/// <summary>
/// A whole differential case: the declaration (network settings and layers) and how it is exercised
/// (batch size, training steps, the seed of the data).
/// </summary>
public sealed record CaseSpec
{
    public required string ClassName { get; init; }
    public required int InputSize { get; init; }
    public required IReadOnlyList<LayerDesc> Layers { get; init; }
    public Loss Loss { get; init; }
    public Optimizer Optimizer { get; init; }
    public bool Double { get; init; }
    public int Seed { get; init; }
    // Literals, null when left at the default.
    public string? LearningRate { get; init; }
    public string? Momentum { get; init; }
    public string? Beta1 { get; init; }
    public string? Beta2 { get; init; }
    public string? Epsilon { get; init; }
    public string? RmsDecay { get; init; }
    public string? WeightDecay { get; init; }
    // How the case is run.
    public int BatchSize { get; init; } = 1;
    public int Steps { get; init; } = 2;
    public int DataSeed { get; init; }

    public double LearningRateValue => LearningRate is not null ? Value(LearningRate) : Optimizer is Optimizer.Sgd or Optimizer.Momentum ? 0.01 : 0.001;
    public double MomentumValue => Momentum is null ? 0.9 : Value(Momentum);
    public double Beta1Value => Beta1 is null ? 0.9 : Value(Beta1);
    public double Beta2Value => Beta2 is null ? 0.999 : Value(Beta2);
    public double EpsilonValue => Epsilon is null ? 1e-8 : Value(Epsilon);
    public double RmsDecayValue => RmsDecay is null ? 0.99 : Value(RmsDecay);
    public double WeightDecayValue => WeightDecay is null ? 0 : Value(WeightDecay);

    /// <summary>A single <c>Dense(n, BinaryStep)</c>: Rosenblatt's perceptron.</summary>
    public bool IsPerceptron => Layers.Count == 1 && Layers[0] is { Kind: LayerKind.Dense, Activation: Activation.BinaryStep };

    /// <summary>True when dropout is active in training (rate &gt; 0): then only inference is compared.</summary>
    public bool HasActiveDropout => Layers.Any(l => l.Kind == LayerKind.Dropout && l.RateValue > 0);

    /// <summary>The activation of the last layer when it has one (the output activation the loss may fuse with).</summary>
    public Activation? OutputActivation => Layers[^1].AppliedActivation;

    public int OutputSize => Sizes()[^1];

    /// <summary>The feature count entering each layer, then the output size.</summary>
    public int[] Sizes()
    {
        var sizes = new int[Layers.Count + 1];
        sizes[0] = InputSize;
        for (int i = 0; i < Layers.Count; i++)
            sizes[i + 1] = Layers[i].Kind is LayerKind.Dense or LayerKind.Maxout ? Layers[i].Units : sizes[i];
        return sizes;
    }

    public string LayerName(int i) => Layers[i].Name ?? $"layers.{i}";

    /// <summary>The parameter tensors DESIGN.md's layout gives: (name, offset, shape).</summary>
    public IReadOnlyList<(string Name, int Offset, int[] Shape, int Layer)> ExpectedTensors()
    {
        var list = new List<(string, int, int[], int)>();
        int[] sizes = Sizes();
        int offset = 0;
        void Add(string name, int layer, params int[] shape)
        {
            list.Add((name, offset, shape, layer));
            offset += shape.Aggregate(1, (a, b) => a * b);
        }
        for (int i = 0; i < Layers.Count; i++)
        {
            LayerDesc l = Layers[i];
            string n = LayerName(i);
            switch (l.Kind)
            {
                case LayerKind.Dense:
                    Add(n + ".weight", i, l.Units, sizes[i]);
                    Add(n + ".bias", i, l.Units);
                    if (l.Activation == Activation.PReLU) Add(n + ".prelu.weight", i, l.Units);
                    break;
                case LayerKind.Maxout:
                    Add(n + ".weight", i, l.Units * l.Pieces, sizes[i]);
                    Add(n + ".bias", i, l.Units * l.Pieces);
                    break;
                case LayerKind.Activation when l.Activation == Activation.PReLU:
                    Add(n + ".weight", i, sizes[i]);
                    break;
            }
        }
        return list;
    }

    public int ParameterCount => ExpectedTensors().Sum(t => t.Shape.Aggregate(1, (a, b) => a * b));

    /// <summary>The attribute declaration that reproduces this network, e.g. <c>[Network(...)] [Input(7)] [Dense(3)] public partial class Case17;</c>.</summary>
    public string Declaration(bool multiline = false)
    {
        var settings = new List<string> { $"Loss = Loss.{Loss}", $"Optimizer = Optimizer.{Optimizer}" };
        void Opt(string name, string? literal) { if (literal is not null) settings.Add($"{name} = {literal}"); }
        Opt("LearningRate", LearningRate);
        Opt("Momentum", Momentum);
        Opt("Beta1", Beta1);
        Opt("Beta2", Beta2);
        Opt("Epsilon", Epsilon);
        Opt("RmsDecay", RmsDecay);
        Opt("WeightDecay", WeightDecay);
        settings.Add($"Seed = {Seed}");
        if (Double) settings.Add("Precision = Precision.Double");
        string sep = multiline ? "\n" : " ";
        var sb = new StringBuilder();
        sb.Append($"[Network({string.Join(", ", settings)})]").Append(sep);
        sb.Append($"[Input({InputSize})]").Append(sep);
        foreach (LayerDesc l in Layers) sb.Append(l.Declaration()).Append(sep);
        sb.Append($"public partial class {ClassName};");
        return sb.ToString();
    }

    /// <summary>The declaration plus how it was exercised: what a failure report prints.</summary>
    public string Reproducer() => Declaration() + $"  // batch {BatchSize}, steps {Steps}, data seed {DataSeed}";

    public override string ToString() => Reproducer();

    /// <summary>The value of a C# float or double literal as written (decimal, not the float's binary value).</summary>
    public static double Value(string literal)
        => double.Parse(literal.TrimEnd('f', 'F', 'd', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture);
}

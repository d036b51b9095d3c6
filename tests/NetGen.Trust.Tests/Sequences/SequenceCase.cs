using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>The layer kinds of a random sequence stack.</summary>
public enum SequenceLayerKind { Embedding, SimpleRnn, Lstm, Gru, Dense, Activation, Dropout }

/// <summary>One declared layer of a sequence stack: Units is the recurrent or Dense width (Embedding: dimensions).</summary>
public sealed record SequenceLayer(SequenceLayerKind Kind, int Units = 0, bool ReturnSequences = false, Activation Activation = Activation.Linear, int Vocabulary = 0)
{
    public bool IsRecurrent => Kind is SequenceLayerKind.SimpleRnn or SequenceLayerKind.Lstm or SequenceLayerKind.Gru;

    /// <summary>Gates per unit in PyTorch's layout: 1 (tanh RNN), 4 (LSTM i, f, g, o), 3 (GRU r, z, n).</summary>
    public int Gates => Kind switch { SequenceLayerKind.Lstm => 4, SequenceLayerKind.Gru => 3, _ => 1 };

    public string Declaration() => Kind switch
    {
        SequenceLayerKind.Embedding => $"[Embedding({Vocabulary}, {Units})]",
        SequenceLayerKind.SimpleRnn or SequenceLayerKind.Lstm or SequenceLayerKind.Gru => $"[{Kind}({Units}{(ReturnSequences ? ", ReturnSequences = true" : "")})]",
        SequenceLayerKind.Dense => $"[Dense({Units}, Activation.{Activation})]",
        SequenceLayerKind.Activation => $"[Activation(Activation.{Activation})]",
        SequenceLayerKind.Dropout => "[Dropout(0f)]",
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>
/// A random sequence network: float steps <c>[Input(t, f)]</c> or token ids <c>[Input(t)] [Embedding(v, d)]</c>, one or
/// two recurrent layers (the inner ones returning sequences), then Dense/Activation/Dropout per step or on the last
/// state; MSE against float targets or CrossEntropy against class ids (per step when the output is a sequence).
/// Always double precision with SGD, so the comparison with the reference can be tight.
/// </summary>
public sealed record SequenceCase
{
    public required string ClassName { get; init; }
    public required int TimeSteps { get; init; }
    /// <summary>Features per step of a float input (0 for token input).</summary>
    public int Features { get; init; }
    public required IReadOnlyList<SequenceLayer> Layers { get; init; }
    public Loss Loss { get; init; }
    public required string LearningRate { get; init; }
    /// <summary>The ClipNorm literal, or null for none.</summary>
    public string? ClipNorm { get; init; }
    public int Seed { get; init; }
    public int BatchSize { get; init; } = 1;
    public int DataSeed { get; init; }

    public bool TokenInput => Layers[0].Kind == SequenceLayerKind.Embedding;
    public int Vocabulary => TokenInput ? Layers[0].Vocabulary : 0;
    public int InputSize => TokenInput ? TimeSteps : TimeSteps * Features;

    /// <summary>Shape entering each layer as (steps, width), steps 0 for a vector; the last entry is the output.</summary>
    public (int Steps, int Width)[] Shapes()
    {
        var s = new (int, int)[Layers.Count + 1];
        s[0] = (TimeSteps, Features);
        for (int i = 0; i < Layers.Count; i++)
        {
            var (steps, width) = s[i];
            SequenceLayer l = Layers[i];
            s[i + 1] = l.Kind switch
            {
                SequenceLayerKind.Embedding => (TimeSteps, l.Units),
                _ when l.IsRecurrent => (l.ReturnSequences ? steps : 0, l.Units),
                SequenceLayerKind.Dense => (steps, l.Units),
                _ => (steps, width),
            };
        }
        return s;
    }

    /// <summary>Time steps of the output (0 when it is one vector per sample) and its width.</summary>
    public (int Steps, int Width) Output => Shapes()[^1];
    public int OutputSize => Math.Max(Output.Steps, 1) * Output.Width;
    /// <summary>Class ids per sample with CrossEntropy: one per output step.</summary>
    public int LabelsPerSample => Math.Max(Output.Steps, 1);

    public string LayerName(int i) => $"layers.{i}";

    /// <summary>The parameter tensors in DESIGN.md §6's layout and PyTorch's names: (name, offset, shape, layer).</summary>
    public IReadOnlyList<(string Name, int Offset, int[] Shape, int Layer)> ExpectedTensors()
    {
        var list = new List<(string, int, int[], int)>();
        var shapes = Shapes();
        int offset = 0;
        void Add(string name, int layer, params int[] shape)
        {
            list.Add((name, offset, shape, layer));
            offset += shape.Aggregate(1, (a, b) => a * b);
        }
        for (int i = 0; i < Layers.Count; i++)
        {
            SequenceLayer l = Layers[i];
            string n = LayerName(i);
            int inputs = shapes[i].Width;
            if (l.Kind == SequenceLayerKind.Embedding) Add(n + ".weight", i, l.Vocabulary, l.Units);
            else if (l.IsRecurrent)
            {
                Add(n + ".weight_ih_l0", i, l.Gates * l.Units, inputs);
                Add(n + ".weight_hh_l0", i, l.Gates * l.Units, l.Units);
                Add(n + ".bias_ih_l0", i, l.Gates * l.Units);
                Add(n + ".bias_hh_l0", i, l.Gates * l.Units);
            }
            else if (l.Kind == SequenceLayerKind.Dense)
            {
                Add(n + ".weight", i, l.Units, inputs);
                Add(n + ".bias", i, l.Units);
            }
        }
        return list;
    }

    public int ParameterCount => ExpectedTensors().Sum(t => t.Shape.Aggregate(1, (a, b) => a * b));

    public double LearningRateValue => Value(LearningRate);
    public double? ClipNormValue => ClipNorm is null ? null : Value(ClipNorm);

    public string Declaration(bool multiline = false)
    {
        string sep = multiline ? "\n" : " ";
        var sb = new StringBuilder();
        sb.Append($"[Network(Loss = Loss.{Loss}, Optimizer = Optimizer.Sgd, LearningRate = {LearningRate}{(ClipNorm is null ? "" : $", ClipNorm = {ClipNorm}")}, Seed = {Seed}, Precision = Precision.Double)]").Append(sep);
        sb.Append(TokenInput ? $"[Input({TimeSteps})]" : $"[Input({TimeSteps}, {Features})]").Append(sep);
        foreach (SequenceLayer l in Layers) sb.Append(l.Declaration()).Append(sep);
        sb.Append($"public partial class {ClassName};");
        return sb.ToString();
    }

    /// <summary>
    /// A helper compiled beside the case: <c>{ClassName}Steps.Run(net, input)</c> resets the state and feeds sample 0
    /// one step at a time through <c>Step</c>, returning every step's output, [t, StepOutputSize] row-major (Step
    /// takes spans, which reflection cannot pass).
    /// </summary>
    public string StepHelper()
    {
        string feed = TokenInput ? "net.Step((int)input[t], output);" : $"net.Step(input.AsSpan(t * {Features}, {Features}), output);";
        return $"public static class {ClassName}Steps\n{{\n    public static double[] Run({ClassName} net, double[] input)\n    {{\n"
            + $"        var all = new double[{TimeSteps} * {ClassName}.StepOutputSize];\n        var output = new double[{ClassName}.StepOutputSize];\n        net.ResetState();\n"
            + $"        for (int t = 0; t < {TimeSteps}; t++)\n        {{\n            {feed}\n            output.CopyTo(all, t * output.Length);\n        }}\n        return all;\n    }}\n}}\n";
    }

    public string Reproducer() => Declaration() + $"  // batch {BatchSize}, data seed {DataSeed}";
    public override string ToString() => Reproducer();

    public static double Value(string literal) => double.Parse(literal.TrimEnd('f', 'F'), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static readonly int[] Widths = { 1, 1, 2, 3, 3, 4, 5, 7, 17 };
    private static readonly int[] Steps = { 1, 1, 2, 3, 4, 5, 13 };
    private static readonly Activation[] Smooth = { Activation.Linear, Activation.Tanh, Activation.Sigmoid, Activation.Swish };

    /// <summary>A valid random sequence stack from a seed (sizes 1, 3 and 17, sequences of 1 and 13 steps among them).</summary>
    public static SequenceCase Generate(int seed, string className)
    {
        var r = new Random(seed);
        T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
        bool Chance(double p) => r.NextDouble() < p;
        SequenceLayerKind Recurrent() => Pick(new[] { SequenceLayerKind.SimpleRnn, SequenceLayerKind.Lstm, SequenceLayerKind.Gru });

        int steps = Pick(Steps), features = 0;
        var layers = new List<SequenceLayer>();
        // The front: token ids into an Embedding (a small vocabulary, so ids repeat), or float steps.
        if (Chance(0.4)) layers.Add(new SequenceLayer(SequenceLayerKind.Embedding, Pick(Widths), Vocabulary: r.Next(1, 8)));
        else features = Pick(Widths);
        // One or two recurrent layers; every one but the last returns its sequence.
        int recurrent = Chance(0.3) ? 2 : 1;
        for (int i = 0; i < recurrent; i++)
            layers.Add(new SequenceLayer(Recurrent(), Pick(Widths), ReturnSequences: i < recurrent - 1 || Chance(0.5)));
        // Per step (or on the last state): an optional hidden Dense, Activation or Dropout, then the output Dense.
        if (Chance(0.3)) layers.Add(new SequenceLayer(SequenceLayerKind.Dense, Pick(Widths), Activation: Pick(Smooth)));
        if (Chance(0.2)) layers.Add(new SequenceLayer(SequenceLayerKind.Activation, Activation: Pick(Smooth)));
        if (Chance(0.15)) layers.Add(new SequenceLayer(SequenceLayerKind.Dropout));
        Loss loss = Chance(0.5) ? Loss.CrossEntropy : Loss.MeanSquaredError;
        layers.Add(loss == Loss.CrossEntropy
            ? new SequenceLayer(SequenceLayerKind.Dense, r.Next(2, 6), Activation: Activation.Softmax)
            : new SequenceLayer(SequenceLayerKind.Dense, Pick(Widths), Activation: Pick(Smooth)));
        var spec = new SequenceCase
        {
            ClassName = className, TimeSteps = steps, Features = features, Layers = layers, Loss = loss,
            LearningRate = Pick(new[] { "0.1f", "0.05f", "0.01f" }),
            ClipNorm = Chance(0.3) ? Pick(new[] { "0.01f", "0.5f", "1f" }) : null,
            Seed = r.Next(0, 100000), BatchSize = Pick(new[] { 1, 1, 2, 3, 5 }), DataSeed = r.Next(),
        };
        // The reference's finite differences cost ~P²·T·batch: big stacks run at batch 1 to keep CI short.
        double cost = (double)spec.ParameterCount * spec.ParameterCount * steps * spec.BatchSize;
        return cost > 15e6 ? spec with { BatchSize = 1 } : spec;
    }
}

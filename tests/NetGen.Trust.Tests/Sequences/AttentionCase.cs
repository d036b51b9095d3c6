using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>The layer kinds of a random attention stack.</summary>
public enum AttentionLayerKind { Embedding, Dense, PositionalEmbedding, MultiHeadAttention, TransformerBlock, LayerNorm, Activation, Dropout, GlobalAveragePooling1D }

/// <summary>
/// One declared layer of an attention stack. Units: Dense width, Embedding dimensions, PositionalEmbedding maxLength,
/// TransformerBlock feedForward; Heads, Causal and the Dropout literal (null for none) for the two attention kinds.
/// </summary>
public sealed record AttentionLayer(AttentionLayerKind Kind, int Units = 0, int Heads = 0, bool Causal = false, Activation Activation = Activation.Linear, int Vocabulary = 0, string? Dropout = null)
{
    public bool IsAttention => Kind is AttentionLayerKind.MultiHeadAttention or AttentionLayerKind.TransformerBlock;

    public string Declaration() => Kind switch
    {
        AttentionLayerKind.Embedding => $"[Embedding({Vocabulary}, {Units})]",
        AttentionLayerKind.Dense => $"[Dense({Units}, Activation.{Activation})]",
        AttentionLayerKind.PositionalEmbedding => $"[PositionalEmbedding({Units})]",
        AttentionLayerKind.MultiHeadAttention => $"[MultiHeadAttention({Heads}{(Causal ? ", Causal = true" : "")}{(Dropout is null ? "" : $", Dropout = {Dropout}")})]",
        AttentionLayerKind.TransformerBlock => $"[TransformerBlock({Heads}, {Units}{(Causal ? ", Causal = true" : "")}{(Dropout is null ? "" : $", Dropout = {Dropout}")})]",
        AttentionLayerKind.LayerNorm => "[LayerNorm]",
        AttentionLayerKind.Activation => $"[Activation(Activation.{Activation})]",
        AttentionLayerKind.Dropout => "[Dropout(0f)]",
        AttentionLayerKind.GlobalAveragePooling1D => "[GlobalAveragePooling1D]",
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>
/// A random attention network: token ids into <c>Embedding</c> or float steps <c>[Input(t, f)]</c> (optionally widened
/// by a per-step Dense), an optional <c>PositionalEmbedding</c>, one or two of <c>MultiHeadAttention</c> /
/// <c>TransformerBlock</c> (heads 1, the width or a divisor between; causal or not) with optional <c>LayerNorm</c>s,
/// per-step Dense/Activation (GELU among them), then <c>GlobalAveragePooling1D</c> + Dense or a per-step output Dense;
/// MSE on float targets or CrossEntropy on class ids; AdamW (decay on matrices only), ClipNorm in some. Always double.
/// </summary>
public sealed record AttentionCase
{
    public required string ClassName { get; init; }
    public required int TimeSteps { get; init; }
    /// <summary>Features per step of a float input (0 for token input).</summary>
    public int Features { get; init; }
    public required IReadOnlyList<AttentionLayer> Layers { get; init; }
    public Loss Loss { get; init; }
    public required string LearningRate { get; init; }
    public required string Beta2 { get; init; }
    /// <summary>The WeightDecay literal, or null for AdamW's default 0.01.</summary>
    public string? WeightDecay { get; init; }
    /// <summary>The ClipNorm literal, or null for none.</summary>
    public string? ClipNorm { get; init; }
    public int Seed { get; init; }
    public int BatchSize { get; init; } = 1;
    public int DataSeed { get; init; }

    public bool TokenInput => Layers[0].Kind == AttentionLayerKind.Embedding;
    public int Vocabulary => TokenInput ? Layers[0].Vocabulary : 0;
    public int InputSize => TokenInput ? TimeSteps : TimeSteps * Features;

    /// <summary>An attention layer drops in training (rate &gt; 0): such a case is compared on inference (Predict, ComputeLoss, Step) only.</summary>
    public bool Drops => Layers.Any(l => l.Dropout is not null && SequenceCase.Value(l.Dropout) > 0);

    /// <summary>Generation is possible when every attention layer is causal and nothing pools over time.</summary>
    public bool CanStep => Layers.All(l => !l.IsAttention || l.Causal) && Layers.All(l => l.Kind != AttentionLayerKind.GlobalAveragePooling1D);

    /// <summary>Shape entering each layer as (steps, width), steps 0 for a vector; the last entry is the output.</summary>
    public (int Steps, int Width)[] Shapes()
    {
        var s = new (int, int)[Layers.Count + 1];
        s[0] = (TimeSteps, Features);
        for (int i = 0; i < Layers.Count; i++)
        {
            var (steps, width) = s[i];
            AttentionLayer l = Layers[i];
            s[i + 1] = l.Kind switch
            {
                AttentionLayerKind.Embedding => (TimeSteps, l.Units),
                AttentionLayerKind.Dense => (steps, l.Units),
                AttentionLayerKind.GlobalAveragePooling1D => (0, width),
                _ => (steps, width),
            };
        }
        return s;
    }

    /// <summary>Each attention layer with the width it attends over.</summary>
    public IEnumerable<(AttentionLayer Layer, int Width)> AttentionWidths()
    {
        var shapes = Shapes();
        return Layers.Select((l, i) => (l, shapes[i].Width)).Where(a => a.l.IsAttention);
    }

    public (int Steps, int Width) Output => Shapes()[^1];
    public int OutputSize => Math.Max(Output.Steps, 1) * Output.Width;
    public int LabelsPerSample => Math.Max(Output.Steps, 1);

    public string LayerName(int i) => $"layers.{i}";

    /// <summary>The parameter tensors in PyTorch's names and state_dict order: (name, offset, shape, layer).</summary>
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
            AttentionLayer l = Layers[i];
            string n = LayerName(i);
            int e = shapes[i].Width;
            switch (l.Kind)
            {
                case AttentionLayerKind.Embedding: Add(n + ".weight", i, l.Vocabulary, l.Units); break;
                case AttentionLayerKind.Dense: Add(n + ".weight", i, l.Units, e); Add(n + ".bias", i, l.Units); break;
                case AttentionLayerKind.PositionalEmbedding: Add(n + ".weight", i, l.Units, e); break;
                case AttentionLayerKind.LayerNorm: Add(n + ".weight", i, e); Add(n + ".bias", i, e); break;
                case AttentionLayerKind.MultiHeadAttention: AddAttention(n + ".", i, e); break;
                case AttentionLayerKind.TransformerBlock:
                    AddAttention(n + ".self_attn.", i, e);
                    Add(n + ".linear1.weight", i, l.Units, e); Add(n + ".linear1.bias", i, l.Units);
                    Add(n + ".linear2.weight", i, e, l.Units); Add(n + ".linear2.bias", i, e);
                    Add(n + ".norm1.weight", i, e); Add(n + ".norm1.bias", i, e);
                    Add(n + ".norm2.weight", i, e); Add(n + ".norm2.bias", i, e);
                    break;
            }
        }
        return list;

        void AddAttention(string prefix, int layer, int e)
        {
            Add(prefix + "in_proj_weight", layer, 3 * e, e); Add(prefix + "in_proj_bias", layer, 3 * e);
            Add(prefix + "out_proj.weight", layer, e, e); Add(prefix + "out_proj.bias", layer, e);
        }
    }

    public int ParameterCount => ExpectedTensors().Sum(t => t.Shape.Aggregate(1, (a, b) => a * b));

    public double LearningRateValue => SequenceCase.Value(LearningRate);
    public double Beta1Value => 0.9;
    public double Beta2Value => SequenceCase.Value(Beta2);
    public double EpsilonValue => 1e-8;
    public double WeightDecayValue => WeightDecay is null ? 0.01 : SequenceCase.Value(WeightDecay);
    public double? ClipNormValue => ClipNorm is null ? null : SequenceCase.Value(ClipNorm);

    public string Declaration(bool multiline = false)
    {
        string sep = multiline ? "\n" : " ";
        var sb = new StringBuilder();
        sb.Append($"[Network(Loss = Loss.{Loss}, Optimizer = Optimizer.AdamW, LearningRate = {LearningRate}, Beta2 = {Beta2}")
          .Append(WeightDecay is null ? "" : $", WeightDecay = {WeightDecay}").Append(ClipNorm is null ? "" : $", ClipNorm = {ClipNorm}")
          .Append($", Seed = {Seed}, Precision = Precision.Double)]").Append(sep);
        sb.Append(TokenInput ? $"[Input({TimeSteps})]" : $"[Input({TimeSteps}, {Features})]").Append(sep);
        foreach (AttentionLayer l in Layers) sb.Append(l.Declaration()).Append(sep);
        sb.Append($"public partial class {ClassName};");
        return sb.ToString();
    }

    /// <summary>
    /// A helper compiled beside a case that can step: <c>Run(net, input)</c> resets the state and feeds sample 0 one step
    /// at a time, returning every step's output [t, StepOutputSize]; <c>Overrun(net)</c> takes one step past MaxSteps and
    /// returns the exception's type name (null when none was thrown).
    /// </summary>
    public string StepHelper()
    {
        if (!CanStep) return "";
        string feed = TokenInput ? "net.Step((int)input[t], output);" : $"net.Step(input.AsSpan(t * {Features}, {Features}), output);";
        string one = TokenInput ? "net.Step(0, output);" : $"net.Step(new double[{Features}], output);";
        return $"public static class {ClassName}Steps\n{{\n    public static double[] Run({ClassName} net, double[] input)\n    {{\n"
            + $"        var all = new double[{TimeSteps} * {ClassName}.StepOutputSize];\n        var output = new double[{ClassName}.StepOutputSize];\n        net.ResetState();\n"
            + $"        for (int t = 0; t < {TimeSteps}; t++)\n        {{\n            {feed}\n            output.CopyTo(all, t * output.Length);\n        }}\n        return all;\n    }}\n\n"
            + $"    public static string? Overrun({ClassName} net)\n    {{\n        var output = new double[{ClassName}.StepOutputSize];\n        if ({ClassName}.MaxSteps != {TimeSteps}) return \"MaxSteps \" + {ClassName}.MaxSteps;\n"
            + $"        net.ResetState();\n        for (int t = 0; t < {TimeSteps}; t++) {one}\n        try {{ {one} }} catch (Exception e) {{ return e.GetType().Name; }}\n        return null;\n    }}\n}}\n";
    }

    public string Reproducer() => Declaration() + $"  // batch {BatchSize}, data seed {DataSeed}";
    public override string ToString() => Reproducer();

    private static readonly int[] Widths = { 1, 3, 6, 6, 12 };
    private static readonly int[] FeedForwards = { 1, 3, 5, 13 };
    private static readonly Activation[] Smooth = { Activation.Linear, Activation.Tanh, Activation.Sigmoid, Activation.Swish, Activation.GELU, Activation.GELU };

    /// <summary>A valid random attention stack from a seed (lengths 1 and 7 among others; widths 1, 3, 6, 12).</summary>
    public static AttentionCase Generate(int seed, string className)
    {
        var r = new Random(seed);
        T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
        bool Chance(double p) => r.NextDouble() < p;

        int steps = Pick(new[] { 1, 7, 7, 2, 3 }), width = Pick(Widths), features = 0;
        var layers = new List<AttentionLayer>();
        // The front: token ids into an Embedding of the attention width, or float steps (their own width, widened by a Dense).
        if (Chance(0.5)) layers.Add(new AttentionLayer(AttentionLayerKind.Embedding, width, Vocabulary: r.Next(1, 8)));
        else if (Chance(0.7)) features = width;
        else
        {
            features = Pick(new[] { 1, 2, 5 });
            layers.Add(new AttentionLayer(AttentionLayerKind.Dense, width, Activation: Pick(Smooth)));
        }
        if (Chance(0.6)) layers.Add(new AttentionLayer(AttentionLayerKind.PositionalEmbedding, steps + Pick(new[] { 0, 0, 2 })));
        // One or two attention layers: heads 1, the width, or a divisor in between; causal or not each; LayerNorm between.
        int[] divisors = Enumerable.Range(1, width).Where(h => width % h == 0).ToArray();
        int attention = Chance(0.4) ? 2 : 1;
        for (int i = 0; i < attention; i++)
        {
            int heads = Chance(0.3) ? 1 : Chance(0.4) ? width : Pick(divisors);
            // Dropout: none mostly, 0 written out, or a rate (then only inference is compared).
            string? dropout = Chance(0.75) ? null : Pick(new[] { "0f", "0.1f", "0.5f" });
            layers.Add(Chance(0.5)
                ? new AttentionLayer(AttentionLayerKind.MultiHeadAttention, Heads: heads, Causal: Chance(0.5), Dropout: dropout)
                : new AttentionLayer(AttentionLayerKind.TransformerBlock, Pick(FeedForwards), heads, Chance(0.5), Dropout: dropout));
            if (Chance(0.35)) layers.Add(new AttentionLayer(AttentionLayerKind.LayerNorm));
        }
        // Per step: an optional Dense (GELU among the activations), Activation or Dropout(0); then pooling or not.
        if (Chance(0.3)) layers.Add(new AttentionLayer(AttentionLayerKind.Dense, Pick(new[] { 1, 3, 5 }), Activation: Pick(Smooth)));
        if (Chance(0.25)) layers.Add(new AttentionLayer(AttentionLayerKind.Activation, Activation: Pick(Smooth)));
        if (Chance(0.1)) layers.Add(new AttentionLayer(AttentionLayerKind.Dropout));
        if (Chance(0.35)) layers.Add(new AttentionLayer(AttentionLayerKind.GlobalAveragePooling1D));
        Loss loss = Chance(0.5) ? Loss.CrossEntropy : Loss.MeanSquaredError;
        layers.Add(loss == Loss.CrossEntropy
            ? new AttentionLayer(AttentionLayerKind.Dense, r.Next(2, 5), Activation: Activation.Softmax)
            : new AttentionLayer(AttentionLayerKind.Dense, Pick(new[] { 1, 2, 3 }), Activation: Pick(Smooth)));
        var spec = new AttentionCase
        {
            ClassName = className, TimeSteps = steps, Features = features, Layers = layers, Loss = loss,
            LearningRate = Pick(new[] { "0.01f", "0.001f" }), Beta2 = Pick(new[] { "0.999f", "0.99f" }),
            WeightDecay = Pick(new[] { null, "0f", "0.1f" }),
            ClipNorm = Chance(0.35) ? Pick(new[] { "0.01f", "0.5f", "1f" }) : null,
            Seed = r.Next(0, 100000), BatchSize = Pick(new[] { 1, 2, 3 }), DataSeed = r.Next(),
        };
        // The reference's finite differences cost ~P·(P·T²)·batch: big stacks run at batch 1 to keep CI short.
        double cost = (double)spec.ParameterCount * spec.ParameterCount * steps * spec.BatchSize;
        return cost > 20e6 ? spec with { BatchSize = 1 } : spec;
    }
}

using System;
using System.Linq;
using System.Text;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// Random attention stacks (Embedding or float steps, PositionalEmbedding, MultiHeadAttention and TransformerBlock with
/// heads 1..width, causal or not, LayerNorm, per-step Dense/Activation with GELU, GlobalAveragePooling1D or per-step
/// outputs, MSE or class-id CrossEntropy, AdamW, ClipNorm) compiled by the real generator in one compilation and
/// compared with the attention reference interpreter; causal stacks also step through the key/value cache.
/// </summary>
public sealed class AttentionDifferentialTests(ITestOutputHelper output)
{
    public const int Seeds = 30;
    private const string Namespace = "TrustAttentionCases";

    [Fact]
    public void Attention_stacks_match_the_reference()
    {
        var specs = Enumerable.Range(1, Seeds).Select(s => AttentionCase.Generate(s, $"Attn{s}")).ToList();
        var source = new StringBuilder("using System;\nusing NetGen;\n\nnamespace " + Namespace + ";\n\n");
        foreach (AttentionCase c in specs) source.Append(c.Declaration(multiline: true)).Append("\n\n").Append(c.StepHelper()).Append('\n');
        var compiling = System.Diagnostics.Stopwatch.StartNew();
        using LoadedCases loaded = CaseCompiler.CompileAndLoad(source.ToString());
        output.WriteLine($"compiled {specs.Count} cases in {compiling.Elapsed.TotalSeconds:F1} s");
        var failures = specs.Select(s =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string? failure = AttentionRunner.Run(s, loaded, Namespace);
            output.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {s.ParameterCount,5} parameters  {s.Reproducer()}");
            return (Spec: s, Failure: failure);
        }).Where(f => f.Failure is not null).ToList();
        foreach (var (spec, failure) in failures) output.WriteLine($"FAILED {spec.Reproducer()}\n  {failure}");
        output.WriteLine($"attention differential: {specs.Count} cases, {specs.Count - failures.Count} passed");
        // The draw covers every kind it claims to.
        Assert.Contains(specs, s => s.TokenInput);
        Assert.Contains(specs, s => !s.TokenInput);
        foreach (AttentionLayerKind kind in new[] { AttentionLayerKind.MultiHeadAttention, AttentionLayerKind.TransformerBlock })
        {
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind && l.Causal));
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind && !l.Causal));
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind && l.Heads == 1));
            Assert.Contains(specs, s => s.AttentionWidths().Any(a => a.Layer.Kind == kind && a.Layer.Heads > 1 && a.Layer.Heads == a.Width));
        }
        Assert.Contains(specs, s => s.AttentionWidths().Any(a => a.Layer.Heads > 1 && a.Layer.Heads < a.Width));
        Assert.Contains(specs, s => s.Layers.Count(l => l.IsAttention) == 2);
        Assert.Contains(specs, s => s.CanStep && s.TimeSteps == 7);
        Assert.Contains(specs, s => s.TimeSteps == 1);
        foreach (AttentionLayerKind kind in new[] { AttentionLayerKind.PositionalEmbedding, AttentionLayerKind.LayerNorm, AttentionLayerKind.GlobalAveragePooling1D })
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind));
        Assert.Contains(specs, s => s.Layers.Any(l => l.Activation == Activation.GELU));
        Assert.Contains(specs, s => s.Loss == Loss.CrossEntropy && s.Output.Steps > 0);
        Assert.Contains(specs, s => s.ClipNorm is not null);
        Assert.Contains(specs, s => s.WeightDecayValue > 0);
        Assert.Contains(specs, s => s.Drops);
        Assert.Contains(specs, s => s.Layers.Any(l => l.Dropout == "0f") && !s.Drops);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Select(f => $"FAILED {f.Spec.Reproducer()}\n  {f.Failure}")));
    }

    [Fact]
    public void Reference_erf_and_attention_agree_with_known_values()
    {
        // erf at known points (Abramowitz & Stegun table values to 16 digits), both sides of the series/fraction switch.
        Assert.Equal(0.8427007929497149, ReferenceAttentionNetwork.Erf(1), 14);
        Assert.Equal(-0.5204998778130465, ReferenceAttentionNetwork.Erf(-0.5), 14);
        Assert.Equal(0.9995930479825550, ReferenceAttentionNetwork.Erf(2.5), 14);
        Assert.Equal(0.9999779095030014, ReferenceAttentionNetwork.Erf(3), 14);
        Assert.Equal(0.9999999845827421, ReferenceAttentionNetwork.Erf(4), 14);
        Assert.Equal(ReferenceAttentionNetwork.Erf(2.5 - 1e-12), ReferenceAttentionNetwork.Erf(2.5), 13);
        // GELU(1) = Φ(1) = 0.8413447460685429.
        Assert.Equal(0.8413447460685429, ReferenceAttentionNetwork.Gelu(1), 14);

        // One position attends only to itself: MultiHeadAttention of a length-1 sequence is out_proj(v_proj(x)).
        var spec = new AttentionCase
        {
            ClassName = "Check", TimeSteps = 1, Features = 2, LearningRate = "0.01f", Beta2 = "0.999f",
            Layers = new[] { new AttentionLayer(AttentionLayerKind.MultiHeadAttention, Heads: 2) },
        };
        var p = Enumerable.Range(0, spec.ParameterCount).Select(i => Math.Sin(i + 1)).ToArray();
        double[] x = { 0.3, -0.7 };
        // v = W_in[4..5]·x + b_in[4..5]; y = W_out·v + b_out (W_in 6x2 at 0, b_in 6 at 12, W_out 2x2 at 18, b_out at 22).
        double[] v = { p[8] * x[0] + p[9] * x[1] + p[16], p[10] * x[0] + p[11] * x[1] + p[17] };
        double[] y = { p[18] * v[0] + p[19] * v[1] + p[22], p[20] * v[0] + p[21] * v[1] + p[23] };
        double[] actual = new ReferenceAttentionNetwork(spec, p).Forward(x);
        Assert.Equal(y[0], actual[0], 14);
        Assert.Equal(y[1], actual[1], 14);
    }
}

using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// The attention kinds through generated networks: finite differences in double (parameters and, through
/// Backward, inputs), the block against the runtime kernel, its names and initialisation, Summary rows,
/// and allocation-free training steps.
/// </summary>
public class AttentionTests
{
    private static void Check<TNet>(int batch, int seed = 1, double inputScale = 1) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        double[] x = GradientCheck.Random(batch * net.InputSize, seed + 100, inputScale);
        double[] t = GradientCheck.Targets(batch, net.OutputSize, Loss.MeanSquaredError, seed + 200);
        GradientCheck.Parameters(net, x, t, batch);
    }

    private static void CheckBackward<TNet>(int batch, int seed = 3) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        GradientCheck.ThroughBackward(net, GradientCheck.Random(batch * net.InputSize, seed + 7), batch, seed + 11);
    }

    private static void Both<TNet>(int batch) where TNet : INetwork<double>, IComposable, new()
    {
        Check<TNet>(batch);
        CheckBackward<TNet>(batch);
    }

    [Theory, InlineData(1), InlineData(3)] public void GeluThroughBackward(int batch) { CheckBackward<GcGelu>(batch); CheckBackward<GcGeluLayer>(batch); }
    [Theory, InlineData(1), InlineData(3)] public void LayerNormOnVectors(int batch) => Both<GcLayerNormVector>(batch);
    [Theory, InlineData(1), InlineData(3)] public void LayerNormAtEveryTimeStep(int batch) => Both<GcLayerNormSequence>(batch);
    [Theory, InlineData(1), InlineData(3)] public void PositionalEmbedding(int batch) => Both<GcPositional>(batch);
    [Theory, InlineData(1), InlineData(3)] public void GlobalAveragePooling1D(int batch) => Both<GcAveragePooling>(batch);
    [Theory, InlineData(1), InlineData(3)] public void AttentionHeadsEqualWidth(int batch) => Both<GcAttention7>(batch);
    [Theory, InlineData(1), InlineData(3)] public void AttentionCausalOneHead(int batch) => Both<GcAttention7Causal>(batch);
    [Theory, InlineData(1), InlineData(3)] public void AttentionOneStep(int batch) => Both<GcAttention1>(batch);
    [Theory, InlineData(1), InlineData(3)] public void TransformerBlock7Steps(int batch) => Both<GcBlock7>(batch);
    [Theory, InlineData(1), InlineData(3)] public void TransformerBlock7StepsCausal(int batch) => Both<GcBlock7Causal>(batch);
    [Theory, InlineData(1), InlineData(3)] public void TransformerBlock1Step(int batch) => Both<GcBlock1>(batch);
    [Theory, InlineData(1), InlineData(3)] public void TransformerBlock1StepCausal(int batch) => Both<GcBlock1Causal>(batch);
    [Theory, InlineData(1), InlineData(3)] public void GptLikeStack(int batch) => Both<GcGptStack>(batch);

    [Fact]
    public void LayerNormWithConstantRows()
    {
        // Every time step of every sample constant: σ² = 0 exactly, x̂ = 0, the gradients still match.
        var net = new GcLayerNormSequence();
        net.InitializeParameters(2);
        const int batch = 3;
        double[] x = new double[batch * GcLayerNormSequence.InputSize];
        for (int r = 0; r < x.Length / 3; r++) x.AsSpan(r * 3, 3).Fill(0.1 * r - 0.5);
        double[] t = GradientCheck.Targets(batch, GcLayerNormSequence.OutputSize, Loss.MeanSquaredError, 5);
        GradientCheck.Parameters(net, x, t, batch);
        GradientCheck.ThroughBackward(net, x, batch, 9);
    }

    [Fact]
    public void AttentionWithAllEqualScores()
    {
        // Every position equal: all scores equal, P uniform; the gradients still match finite differences.
        var net = new GcAttention7Causal();
        net.InitializeParameters(4);
        const int batch = 2;
        double[] row = GradientCheck.Random(3, 8);
        double[] x = Enumerable.Range(0, batch * 7).SelectMany(_ => row).ToArray();
        double[] t = GradientCheck.Targets(batch, GcAttention7Causal.OutputSize, Loss.MeanSquaredError, 5);
        GradientCheck.Parameters(net, x, t, batch);
        GradientCheck.ThroughBackward(net, x, batch, 9);
    }

    [Fact]
    public void GeneratedBlockIsTheRuntimeKernel()
    {
        // Predict of [TransformerBlock] alone equals TransformerBlock.Forward with the network's parameters.
        var net = new GcBlockAlone();
        const int batch = 3, time = 7, width = 3, heads = 3, ff = 5;
        double[] x = GradientCheck.Random(batch * time * width, 21), y = new double[x.Length], expected = new double[x.Length];
        net.Predict(x, y, batch);
        double[] cache = new double[TransformerBlock.CacheSize(batch, time, width, heads, ff)];
        double[] scratch = new double[TransformerBlock.ScratchSize(batch, time, width, heads, ff)];
        TransformerBlock.Forward<double>(x, net.Parameters, expected, cache, scratch, batch, time, width, heads, ff, causal: true);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void BlockTensorsAreTransformerEncoderLayersStateDict()
    {
        // Names, shapes and order as nn.TransformerEncoderLayer's state_dict (the runtime's TransformerBlockLayout).
        var layout = new TransformerBlockLayout(3, 5);
        Assert.Equal(TransformerBlockLayout.TensorNames.Select(n => "layers.0." + n), GcBlockAlone.ParameterTensors.Select(t => t.Name));
        Assert.Equal(GcBlockAlone.ParameterCount, layout.Count);
        Assert.Equal(4 * 9 + 2 * 3 * 5 + 9 * 3 + 5, GcBlockAlone.ParameterCount);
        Assert.Equal(new[] { 9, 3 }, GcBlockAlone.ParameterTensors[0].Shape);
        Assert.Equal(layout.Linear1WeightOffset, GcBlockAlone.ParameterTensors.Single(t => t.Name == "layers.0.linear1.weight").Offset);
        Assert.Equal(new[] { 5, 3 }, GcBlockAlone.ParameterTensors.Single(t => t.Name == "layers.0.linear1.weight").Shape);
        Assert.Equal(layout.Norm2BiasOffset, GcBlockAlone.ParameterTensors.Single(t => t.Name == "layers.0.norm2.bias").Offset);
        Assert.Equal(new[] { "layers.0.in_proj_weight", "layers.0.in_proj_bias", "layers.0.out_proj.weight", "layers.0.out_proj.bias", "layers.2.weight", "layers.2.bias" },
            GcAttention7.ParameterTensors.Select(t => t.Name));
    }

    [Fact]
    public void InitialisationIsTransformerBlockInitialize()
    {
        // The tensor-by-tensor init rules draw exactly what the runtime's PyTorch-style initialiser draws.
        var net = new GcBlockAlone();
        net.InitializeParameters(11);
        double[] expected = new double[GcBlockAlone.ParameterCount];
        var rng = SplitMix64.FromSeed(11);
        TransformerBlock.Initialize<double>(expected, 3, 5, ref rng);
        Assert.Equal(expected, net.Parameters.ToArray());
    }

    [Fact]
    public void PositionalTableAndNormStartAsDeclared()
    {
        var net = new GcGptStack();
        net.InitializeParameters(3);
        ParameterTensor table = GcGptStack.ParameterTensors.Single(t => t.Name == "layers.0.weight");
        Assert.Equal(new[] { 7, 3 }, table.Shape);
        double[] p = net.Parameters.Slice(table.Offset, 21).ToArray();
        Assert.All(p, v => Assert.True(Math.Abs(v) < 0.2));           // N(0, 0.02²): 10σ
        Assert.Contains(p, v => v != 0);
        ParameterTensor norm = GcGptStack.ParameterTensors.Single(t => t.Name == "layers.3.weight");
        Assert.All(net.Parameters.Slice(norm.Offset, 3).ToArray(), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void SummaryRows()
    {
        string s = GcGptStack.Summary;
        Assert.Contains("(PositionalEmbedding)", s);
        Assert.Contains("TransformerBlock, causal", s);
        Assert.Contains("(None, 7, 3)", s);
        Assert.Contains("98", s);                                     // 4E² + 2EF + 9E + F for E 3, F 5
        Assert.Contains("(LayerNorm)", s);
        Assert.Contains("(GlobalAveragePooling1D)", GcBlock7.Summary);
        Assert.Contains("(None, 3)", GcBlock7.Summary);
        Assert.Contains("MultiHeadAttention, causal", GcAttention7Causal.Summary);
        Assert.Contains("Dense, GELU", GcGelu.Summary);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStepAllocatesNothingAfterTheFirst()
    {
        var net = new FloatAttentionStack();
        const int batch = 5;
        float[] x = new float[batch * FloatAttentionStack.InputSize], t = new float[batch * FloatAttentionStack.OutputSize], y = new float[t.Length];
        var rng = new Random(1);
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        for (int i = 0; i < t.Length; i++) t[i] = (float)rng.NextDouble();
        net.TrainStep(x, t, batch);
        net.Predict(x, y, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            net.TrainStep(x, t, batch);
            net.TrainStep(x.AsSpan(0, 2 * FloatAttentionStack.InputSize), t.AsSpan(0, 2 * FloatAttentionStack.OutputSize), 2);
            net.Predict(x, y, batch);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(float.IsFinite(net.ComputeLoss(x, t, batch)));
    }
}

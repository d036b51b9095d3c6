using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Attention dropout: MultiHeadAttention drops attention weights, TransformerBlock also its two residual branches and
/// its hidden layer (PyTorch's dropout, dropout1, dropout2 and self_attn's), only in training passes, from the
/// network's dropout generator. Finite differences with the mask held fixed (the generator rewound for every
/// evaluation), rate 0 identical to no dropout, the kept fraction, deterministic inference and Step, no allocation.
/// </summary>
public class AttentionDropoutTests
{
    private static void CheckBackward<TNet>(int batch, int seed = 3) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        double[] x = GradientCheck.Random(batch * net.InputSize, seed + 7);
        // The training pass really drops: Forward (training) differs from Predict (inference) on the same input.
        double[] train = new double[batch * net.OutputSize], infer = new double[train.Length];
        ulong state = net.RandomState;
        net.Forward(x, train, batch);
        net.Predict(x, infer, batch);
        Assert.NotEqual(infer, train);
        net.RandomState = state;
        GradientCheck.ThroughBackward(net, x, batch, seed + 11);
    }

    [Theory, InlineData(1), InlineData(3)] public void AttentionWeightsDropout(int batch) => CheckBackward<GdAttention7>(batch);
    [Theory, InlineData(1), InlineData(3)] public void CausalAttentionWeightsDropout(int batch) => CheckBackward<GdAttention7Causal>(batch);
    [Theory, InlineData(1), InlineData(3)] public void TransformerBlockDropout(int batch) => CheckBackward<GdBlock7>(batch);
    [Theory, InlineData(1), InlineData(3)] public void CausalTransformerBlockDropout(int batch) => CheckBackward<GdBlock7Causal>(batch);
    [Theory, InlineData(1), InlineData(3)] public void OneStepBlockDropoutHalf(int batch) => CheckBackward<GdBlock1>(batch);

    [Fact]
    public void RateZeroIsBitIdenticalToNoDropout()
    {
        // Same seed, same data, five SGD steps each: every parameter bit and the generator state equal.
        static double[] Train<TNet>(TNet net, out ulong random) where TNet : INetwork<double>
        {
            double[] x = GradientCheck.Random(3 * net.InputSize, 5), t = GradientCheck.Targets(3, net.OutputSize, Loss.MeanSquaredError, 6);
            for (int i = 0; i < 5; i++) net.TrainStep(x, t, 3);
            random = net.RandomState;
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(new GcAttention7(), out ulong a), Train(new GdAttention7Zero(), out ulong b));
        Assert.Equal(a, b);
        Assert.Equal(Train(new GcBlock7(), out a), Train(new GdBlock7Zero(), out b));
        Assert.Equal(a, b);
    }

    [Fact]
    public void TrainingDrawsEveryMaskFromTheNetworksGenerator()
    {
        // Per sample: the block's H·T² + T·(2E + F) = 2·36 + 6·(8 + 5) = 150 draws, the attention's H·T² = 4·36 = 144.
        var net = new GdTokenGpt();
        int[] ids = { 1, 4, 0, 8, 2, 2, 7, 3, 3, 5, 6, 1 }, labels = { 4, 0, 8, 2, 2, 7, 3, 3, 5, 6, 1, 0 };
        ulong before = net.RandomState;
        net.ComputeGradients(ids, labels, 2);
        Assert.Equal(unchecked(before + 2 * 294 * DropoutMask.Gamma), net.RandomState);
        double[] dropped = net.Gradients.ToArray();
        // Replaying the generator replays the masks; the dropout-free twin's gradients differ.
        net.RandomState = before;
        net.ComputeGradients(ids, labels, 2);
        Assert.Equal(dropped, net.Gradients.ToArray());
        var plain = new GdTokenGptNoDropout();
        Assert.Equal(plain.Parameters.ToArray(), net.Parameters.ToArray());
        plain.ComputeGradients(ids, labels, 2);
        Assert.NotEqual(plain.Gradients.ToArray(), dropped);
        // Inference draws nothing.
        ulong after = net.RandomState;
        net.Predict(ids, new double[2 * GdTokenGpt.OutputSize], 2);
        net.ComputeLoss(ids, labels, 2);
        Assert.Equal(after, net.RandomState);
    }

    [Fact]
    public void InferenceAndStepAreDeterministicAndEqualTheDropoutFreeTwin()
    {
        var net = new GdTokenGpt();
        var plain = new GdTokenGptNoDropout();
        int[] ids = { 3, 1, 4, 1, 5, 0 };
        int[] labels = { 1, 4, 1, 5, 0, 2 };
        net.TrainStep(ids, labels, 1); // a training step between: the inference passes must not replay its masks
        plain.Parameters.Clear();
        net.Parameters.CopyTo(plain.Parameters);
        double[] a = new double[GdTokenGpt.OutputSize], b = new double[a.Length], c = new double[a.Length];
        net.Predict(ids, a);
        net.Predict(ids, b);
        plain.Predict(ids, c);
        Assert.Equal(a, b);
        Assert.Equal(c, a);
        // Step t gives Predict's row t (causal), the same bits on a second pass.
        var row = new double[GdTokenGpt.StepOutputSize];
        for (int pass = 0; pass < 2; pass++)
        {
            net.ResetState();
            for (int t = 0; t < ids.Length; t++)
            {
                net.Step(ids[t], row);
                for (int k = 0; k < row.Length; k++) Assert.Equal(a[t * row.Length + k], row[k], 12);
            }
        }
    }

    [Theory, InlineData(0.1), InlineData(0.5)]
    public void KeptFractionIsOneMinusTheRate(double rate)
    {
        // The kernels' masks over B·H·T² = 4·2·48² = 18,432 attention weights and the block's R·(2E + F) branch values:
        // kept fraction within 4.5 standard deviations of 1 − p, kept values exactly 1/(1 − p).
        const int batch = 4, time = 48, width = 6, heads = 2, feedForward = 7;
        var rng = SplitMix64.FromSeed(11);
        double[] x = GradientCheck.Random(batch * time * width, 12);
        double[] parameters = new double[TransformerBlock.ParameterCount(width, feedForward)];
        TransformerBlock.Initialize<double>(parameters, width, feedForward, ref rng);
        double[] y = new double[x.Length], cache = new double[TransformerBlock.CacheSize(batch, time, width, heads, feedForward)];
        double[] scratch = new double[TransformerBlock.DropoutScratchSize(batch, time, width, heads, feedForward)];
        double[] masks = new double[TransformerBlock.DropoutCacheSize(batch, time, width, heads, feedForward)];
        TransformerBlock.Forward<double>(x, parameters, y, cache, scratch, batch, time, width, heads, feedForward, causal: true, masks, rate, ref rng);
        double keep = 1 / (1 - rate);
        Assert.All(masks, m => Assert.True(m == 0 || m == keep, $"mask value {m}"));
        double kept = masks.Count(m => m != 0) / (double)masks.Length;
        double sigma = Math.Sqrt(rate * (1 - rate) / masks.Length);
        Assert.InRange(kept, 1 - rate - 4.5 * sigma, 1 - rate + 4.5 * sigma);
        // The attention weights alone, as MultiHeadAttention draws them.
        int weights = batch * heads * time * time;
        double keptWeights = masks.Take(weights).Count(m => m != 0) / (double)weights;
        Assert.InRange(keptWeights, 1 - rate - 4.5 * Math.Sqrt(rate * (1 - rate) / weights), 1 - rate + 4.5 * Math.Sqrt(rate * (1 - rate) / weights));
    }

    [Fact]
    public void KernelsRejectABadRateOrAShortMask()
    {
        var rng = SplitMix64.FromSeed(1);
        double[] x = new double[2 * 3], w = new double[TransformerBlock.ParameterCount(3, 2)], y = new double[6];
        double[] cache = new double[TransformerBlock.CacheSize(1, 2, 3, 1, 2)], scratch = new double[TransformerBlock.DropoutScratchSize(1, 2, 3, 1, 2)];
        Assert.Throws<ArgumentOutOfRangeException>(() => { var r = rng; TransformerBlock.Forward<double>(x, w, y, cache, scratch, 1, 2, 3, 1, 2, false, new double[100], 1.0, ref r); });
        var e = Assert.Throws<ArgumentException>(() => { var r = rng; TransformerBlock.Forward<double>(x, w, y, cache, scratch, 1, 2, 3, 1, 2, false, new double[3], 0.2, ref r); });
        Assert.Equal("dropoutCache", e.ParamName);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStepWithDropoutAllocatesNothingAfterTheFirst()
    {
        var net = new FloatDropoutGpt();
        const int batch = 4;
        int[] ids = new int[batch * FloatDropoutGpt.InputSize], labels = new int[batch * FloatDropoutGpt.LabelsPerSample];
        var r = new Random(2);
        for (int i = 0; i < ids.Length; i++) ids[i] = r.Next(11);
        for (int i = 0; i < labels.Length; i++) labels[i] = r.Next(11);
        float[] y = new float[batch * FloatDropoutGpt.OutputSize], row = new float[FloatDropoutGpt.StepOutputSize];
        net.TrainStep(ids, labels, batch);
        net.Predict(ids, y, batch);
        net.ResetState();
        net.Step(1, row);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 30; i++)
        {
            net.TrainStep(ids, labels, batch);
            net.TrainStep(ids.AsSpan(0, FloatDropoutGpt.InputSize), labels.AsSpan(0, FloatDropoutGpt.LabelsPerSample), 1);
            net.Predict(ids, y, batch);
            net.ResetState();
            net.Step(i % 11, row);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(float.IsFinite(net.ComputeLoss(ids, labels, batch)));
    }
}

using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>The whole pre-norm block: values against the reference, finite differences, cached steps, float vs double.</summary>
public class TransformerBlockTests
{
    private sealed class Setup<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public readonly int Batch, Time, Width, Heads, FeedForward;
        public readonly bool Causal;
        public T[] X, Parameters, Y, Cache, Scratch, Dx, Gradients;

        public Setup(int batch, int time, int width, int heads, int feedForward, bool causal, int seed)
        {
            Batch = batch; Time = time; Width = width; Heads = heads; FeedForward = feedForward; Causal = causal;
            int n = batch * time * width;
            X = TestData.Random<T>(n, seed, 1.5);
            Parameters = TestData.Random<T>(TransformerBlock.ParameterCount(width, feedForward), seed + 1, 0.6);
            // LayerNorm γ around 1 as after initialisation, but not exactly 1 so their gradients matter.
            var l = new TransformerBlockLayout(width, feedForward);
            foreach (int o in new[] { l.Norm1WeightOffset, l.Norm2WeightOffset })
                for (int i = 0; i < width; i++) Parameters[o + i] += T.One;
            Y = new T[n];
            Cache = new T[TransformerBlock.CacheSize(batch, time, width, heads, feedForward)];
            Scratch = new T[TransformerBlock.ScratchSize(batch, time, width, heads, feedForward)];
            Dx = new T[n];
            Gradients = new T[Parameters.Length];
        }

        public void Forward() => TransformerBlock.Forward<T>(X, Parameters, Y, Cache, Scratch, Batch, Time, Width, Heads, FeedForward, Causal);
        public void Backward(T[] dy) => TransformerBlock.Backward<T>(dy, X, Parameters, Cache, Dx, Gradients, Scratch, Batch, Time, Width, Heads, FeedForward, Causal);
    }

    [Fact]
    public void ParameterCountAndLayoutFollowTheStateDict()
    {
        var l = new TransformerBlockLayout(128, 512);
        // nn.TransformerEncoderLayer(128, 4, 512): 198,272 parameters (4E² + 2EF + 9E + F).
        Assert.Equal(4 * 128 * 128 + 2 * 128 * 512 + 9 * 128 + 512, l.Count);
        Assert.Equal(198272, TransformerBlock.ParameterCount(128, 512));
        Assert.Equal(3 * 128 * 128, l.InProjBiasOffset);
        Assert.Equal(l.Norm2BiasOffset + 128, l.Count);
        Assert.Equal(12, TransformerBlockLayout.TensorNames.Length);
    }

    [Theory]
    [InlineData(2, 7, 6, 3, 5, false)]
    [InlineData(2, 7, 6, 3, 5, true)]
    [InlineData(1, 1, 4, 4, 3, true)]
    [InlineData(1, 7, 4, 1, 9, true)]
    public void ForwardMatchesTheReferenceAndFloatAgrees(int batch, int time, int width, int heads, int feedForward, bool causal)
    {
        var s = new Setup<double>(batch, time, width, heads, feedForward, causal, 3);
        s.Forward();
        double[] expected = AttentionReference.TransformerBlock(s.X, s.Parameters, batch, time, width, heads, feedForward, causal);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(s.Y[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"y[{i}] = {s.Y[i]:R}, expected {expected[i]:R}");
        var f = new Setup<float>(batch, time, width, heads, feedForward, causal, 3);
        f.Forward();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(f.Y[i] - s.Y[i]) <= 2e-5 * (1 + Math.Abs(s.Y[i])), $"float y[{i}] = {f.Y[i]}, double {s.Y[i]}");
    }

    [Theory]
    [InlineData(2, 7, 6, 3, 5, false)]
    [InlineData(2, 7, 6, 3, 5, true)]
    [InlineData(1, 1, 3, 1, 3, false)]
    [InlineData(1, 1, 3, 3, 3, true)]
    [InlineData(1, 7, 4, 4, 7, true)]
    public void GradientsMatchFiniteDifferences(int batch, int time, int width, int heads, int feedForward, bool causal)
    {
        var s = new Setup<double>(batch, time, width, heads, feedForward, causal, 13);
        double[] r = FiniteDifferences.Random(batch * time * width, 77);
        double Loss()
        {
            s.Forward();
            return FiniteDifferences.Dot(r, s.Y);
        }
        Loss();
        s.Backward(r);
        FiniteDifferences.Check("dx", s.X, s.Dx, Loss, tolerance: 2e-6);
        FiniteDifferences.Check("dparameters", s.Parameters, s.Gradients, Loss, tolerance: 2e-6);
    }

    [Theory]
    [InlineData(1, 7, 6, 3, 5)]
    [InlineData(2, 4, 72, 4, 80)]
    public void CachedStepEqualsTheCausalForward(int batch, int time, int width, int heads, int feedForward)
    {
        var s = new Setup<double>(batch, time, width, heads, feedForward, true, 23);
        s.Forward();
        double[] state = new double[TransformerBlock.StateSize(batch, time, width)];
        double[] scratch = new double[TransformerBlock.StepScratchSize(batch, time, width, feedForward)];
        double[] x = new double[batch * width], y = new double[batch * width];
        for (int t = 0; t < time; t++)
        {
            for (int b = 0; b < batch; b++) s.X.AsSpan((b * time + t) * width, width).CopyTo(x.AsSpan(b * width));
            TransformerBlock.Step<double>(x, s.Parameters, state, t, y, scratch, batch, time, width, heads, feedForward);
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < width; i++)
                {
                    double expected = s.Y[(b * time + t) * width + i];
                    TestData.Near(y[b * width + i], expected, Math.Abs(expected) + 1, 1e-13, $"step {t} sample {b} [{i}]");
                }
        }
    }

    [Fact]
    public void ShortSpansAreRejectedByName()
    {
        var s = new Setup<float>(2, 3, 4, 2, 5, true, 1);
        var e = Assert.Throws<ArgumentException>(() => TransformerBlock.Forward<float>(s.X, s.Parameters, s.Y, new float[s.Cache.Length - 1], s.Scratch, 2, 3, 4, 2, 5, true));
        Assert.Equal("cache", e.ParamName);
        Assert.Contains(TransformerBlock.CacheSize(2, 3, 4, 2, 5).ToString(), e.Message);
        e = Assert.Throws<ArgumentException>(() => TransformerBlock.Backward<float>(new float[5], s.X, s.Parameters, s.Cache, s.Dx, s.Gradients, s.Scratch, 2, 3, 4, 2, 5, true));
        Assert.Equal("dy", e.ParamName);
    }

    [Fact]
    public void InitialisationIsPyTorchs()
    {
        int width = 8, feedForward = 12;
        var p = new float[TransformerBlock.ParameterCount(width, feedForward)];
        var rng = SplitMix64.FromSeed(3);
        TransformerBlock.Initialize<float>(p, width, feedForward, ref rng);
        var l = new TransformerBlockLayout(width, feedForward);
        ReadOnlySpan<float> ps = p;
        foreach (float v in l.Norm1Weight(ps)) Assert.Equal(1f, v);
        foreach (float v in l.Norm2Bias(ps)) Assert.Equal(0f, v);
        foreach (float v in l.InProjBias(ps)) Assert.Equal(0f, v);
        foreach (float v in l.OutProjBias(ps)) Assert.Equal(0f, v);
        double xavier = Math.Sqrt(6.0 / (width + 3 * width));
        foreach (float v in l.InProjWeight(ps)) Assert.InRange(v, -xavier, xavier);
        foreach (float v in l.Linear2Weight(ps)) Assert.InRange(v, -1 / Math.Sqrt(feedForward), 1 / Math.Sqrt(feedForward));
        Assert.Contains(l.Linear1Bias(ps).ToArray(), v => v != 0);
    }
}

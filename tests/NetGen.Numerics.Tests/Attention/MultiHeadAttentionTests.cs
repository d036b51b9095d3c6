using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>Multi-head self-attention: values, finite-difference gradients, the cached step, float vs double.</summary>
public class MultiHeadAttentionTests
{
    /// <summary>The layer's parameters and every buffer it needs, sized by the documented formulas.</summary>
    private sealed class Setup<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public readonly int Batch, Time, Width, Heads;
        public readonly bool Causal;
        public T[] X, InW, InB, OutW, OutB, Y, Qkv, Probabilities, Context, Head;
        public T[] Dx, DInW, DInB, DOutW, DOutB, DContext, DQkv;

        public Setup(int batch, int time, int width, int heads, bool causal, int seed)
        {
            Batch = batch; Time = time; Width = width; Heads = heads; Causal = causal;
            int rows = batch * time;
            X = TestData.Random<T>(rows * width, seed, 1.5);
            // Weights ~ U(±2/√width): scores and outputs O(1) at every width, as after initialisation.
            double bound = 2 / Math.Sqrt(width);
            InW = TestData.Random<T>(3 * width * width, seed + 1, bound);
            InB = TestData.Random<T>(3 * width, seed + 2, 0.3);
            OutW = TestData.Random<T>(width * width, seed + 3, bound);
            OutB = TestData.Random<T>(width, seed + 4, 0.3);
            Y = new T[rows * width];
            Qkv = new T[rows * 3 * width];
            Probabilities = new T[batch * heads * time * time];
            Context = new T[rows * width];
            Head = new T[MultiHeadAttention.HeadScratchSize(time, width, heads)];
            Dx = new T[rows * width]; DInW = new T[InW.Length]; DInB = new T[InB.Length]; DOutW = new T[OutW.Length]; DOutB = new T[OutB.Length];
            DContext = new T[rows * width]; DQkv = new T[rows * 3 * width];
        }

        public void Forward() => MultiHeadAttention.Forward<T>(X, InW, InB, OutW, OutB, Y, Qkv, Probabilities, Context, Head, Batch, Time, Width, Heads, Causal);

        public void Backward(T[] dy) => MultiHeadAttention.Backward<T>(dy, X, InW, OutW, Qkv, Probabilities, Context, Dx, DInW, DInB, DOutW, DOutB, DContext, DQkv, Head, Batch, Time, Width, Heads, Causal);
    }

    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (bool causal in new[] { false, true })
        {
            data.Add(1, 1, 4, 2, causal);   // one position
            data.Add(2, 1, 3, 1, causal);
            data.Add(2, 7, 6, 1, causal);   // heads = 1
            data.Add(1, 7, 6, 6, causal);   // heads = width (d = 1)
            data.Add(2, 7, 6, 3, causal);
            data.Add(1, 3, 17, 1, causal);  // odd width past the vector widths
            data.Add(2, 7, 16, 2, causal);  // d = 8: whole vectors
            data.Add(1, 40, 8, 2, causal);  // score rows long enough for the 4-vector blocks
        }
        return data;
    }

    /// <summary>Shapes too large for finite differences: heads wide enough for every blocked path.</summary>
    public static TheoryData<int, int, int, int, bool> WideShapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (bool causal in new[] { false, true })
        {
            data.Add(2, 9, 64, 2, causal);  // d = 32: four float vectors, eight double
            data.Add(1, 33, 72, 4, causal); // d = 18: blocks plus a remainder
            data.Add(3, 64, 128, 4, causal); // the ShakespeareGpt shape (batch 3)
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [MemberData(nameof(WideShapes))]
    public void ForwardMatchesTheReference(int batch, int time, int width, int heads, bool causal)
    {
        var s = new Setup<double>(batch, time, width, heads, causal, 11);
        s.Forward();
        double[] expected = AttentionReference.MultiHeadAttention(s.X, s.InW, s.InB, s.OutW, s.OutB, batch, time, width, heads, causal, out double[] p);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(s.Y[i] - expected[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"y[{i}] = {s.Y[i]:R}, expected {expected[i]:R}");
        for (int i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(s.Probabilities[i] - p[i]) <= 1e-14, $"P[{i}] = {s.Probabilities[i]:R}, expected {p[i]:R}");
            if (p[i] == 0 && causal) Assert.Equal(0.0, s.Probabilities[i]); // masked: exactly 0
        }

        // float agrees with double (same inputs rounded to float).
        var f = new Setup<float>(batch, time, width, heads, causal, 11);
        f.Forward();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(f.Y[i] - s.Y[i]) <= 1e-5 * (1 + Math.Abs(s.Y[i])), $"float y[{i}] = {f.Y[i]}, double {s.Y[i]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsMatchFiniteDifferences(int batch, int time, int width, int heads, bool causal)
    {
        var s = new Setup<double>(batch, time, width, heads, causal, 21);
        double[] r = FiniteDifferences.Random(batch * time * width, 99);
        double Loss()
        {
            s.Forward();
            return FiniteDifferences.Dot(r, s.Y);
        }
        Loss();
        s.Backward(r);
        FiniteDifferences.Check("dx", s.X, s.Dx, Loss);
        FiniteDifferences.Check("d in_proj_weight", s.InW, s.DInW, Loss);
        FiniteDifferences.Check("d in_proj_bias", s.InB, s.DInB, Loss);
        FiniteDifferences.Check("d out_proj.weight", s.OutW, s.DOutW, Loss);
        FiniteDifferences.Check("d out_proj.bias", s.OutB, s.DOutB, Loss);
    }

    [Theory]
    [MemberData(nameof(WideShapes))]
    public void FloatBackwardAgreesWithDouble(int batch, int time, int width, int heads, bool causal)
    {
        var s = new Setup<double>(batch, time, width, heads, causal, 51);
        var f = new Setup<float>(batch, time, width, heads, causal, 51);
        double[] r = FiniteDifferences.Random(batch * time * width, 52);
        s.Forward(); s.Backward(r);
        f.Forward(); f.Backward(FiniteDifferences.ToFloat(r));
        Compare(f.Dx, s.Dx, "dx");
        Compare(f.DInW, s.DInW, "d in_proj_weight");
        Compare(f.DOutW, s.DOutW, "d out_proj.weight");

        static void Compare(float[] single, double[] reference, string what)
        {
            double scale = 0;
            foreach (double v in reference) scale = Math.Max(scale, Math.Abs(v));
            for (int i = 0; i < reference.Length; i++)
                Assert.True(Math.Abs(single[i] - reference[i]) <= 1e-4 * scale, $"{what}[{i}]: float {single[i]}, double {reference[i]} (largest {scale})");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AllEqualScoresGiveUniformWeightsAndCorrectGradients(bool causal)
    {
        int batch = 2, time = 7, width = 6, heads = 2;
        var s = new Setup<double>(batch, time, width, heads, causal, 31);
        // k = 0 for every position (key weights and biases zero): every score is 0.
        Array.Clear(s.InW, width * width, width * width);
        Array.Clear(s.InB, width, width);
        s.Forward();
        for (int bh = 0; bh < batch * heads; bh++)
            for (int t = 0; t < time; t++)
                for (int k = 0; k < time; k++)
                {
                    int keys = causal ? t + 1 : time;
                    double expected = k < keys ? 1.0 / keys : 0.0;
                    Assert.True(Math.Abs(s.Probabilities[(bh * time + t) * time + k] - expected) <= 2e-16, $"P[{t},{k}]");
                }
        double[] r = FiniteDifferences.Random(batch * time * width, 5);
        double Loss()
        {
            s.Forward();
            return FiniteDifferences.Dot(r, s.Y);
        }
        Loss();
        s.Backward(r);
        FiniteDifferences.Check("dx", s.X, s.Dx, Loss);
        FiniteDifferences.Check("d in_proj_weight", s.InW, s.DInW, Loss);
    }

    [Theory]
    [InlineData(1, 7, 6, 3, false)]
    [InlineData(3, 5, 16, 4, false)]
    [InlineData(2, 1, 4, 4, false)]
    [InlineData(2, 5, 72, 4, true)]  // width past 4 vectors: the projections take one kernel at any row count
    public void CachedStepEqualsTheCausalForward(int batch, int time, int width, int heads, bool bitForBit)
    {
        StepEqualsForward<double>(batch, time, width, heads, bitForBit ? 0 : 1e-14);
        StepEqualsForward<float>(batch, time, width, heads, bitForBit ? 0 : 1e-5);
    }

    private static void StepEqualsForward<T>(int batch, int time, int width, int heads, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var s = new Setup<T>(batch, time, width, heads, causal: true, seed: 41);
        s.Forward();
        T[] keys = new T[batch * time * width], values = new T[batch * time * width];
        T[] x = new T[batch * width], y = new T[batch * width], qkv = new T[3 * batch * width], context = new T[batch * width], scores = new T[time];
        for (int t = 0; t < time; t++)
        {
            for (int b = 0; b < batch; b++) s.X.AsSpan((b * time + t) * width, width).CopyTo(x.AsSpan(b * width));
            MultiHeadAttention.Step<T>(x, s.InW, s.InB, s.OutW, s.OutB, keys, values, t, y, qkv, context, scores, batch, time, width, heads);
            for (int b = 0; b < batch; b++)
            {
                if (tolerance == 0) TestData.BitEqual<T>(y.AsSpan(b * width, width), s.Y.AsSpan((b * time + t) * width, width), $"{typeof(T).Name} step {t} sample {b}");
                else
                    for (int i = 0; i < width; i++)
                    {
                        double expected = double.CreateTruncating(s.Y[(b * time + t) * width + i]);
                        TestData.Near(y[b * width + i], expected, Math.Abs(expected) + 1, tolerance, $"{typeof(T).Name} step {t} sample {b} [{i}]");
                    }
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiHeadAttention.Step<T>(x, s.InW, s.InB, s.OutW, s.OutB, keys, values, time, y, qkv, context, scores, batch, time, width, heads));
    }

    [Fact]
    public void BadShapesAreRejectedByName()
    {
        var s = new Setup<float>(2, 3, 6, 3, false, 1);
        var e = Assert.Throws<ArgumentException>(() => MultiHeadAttention.Forward<float>(s.X, s.InW, s.InB, s.OutW, s.OutB, s.Y, s.Qkv, new float[10], s.Context, s.Head, 2, 3, 6, 3, false));
        Assert.Equal("probabilities", e.ParamName);
        Assert.Contains("54", e.Message);
        e = Assert.Throws<ArgumentException>(() => MultiHeadAttention.Forward<float>(s.X, s.InW, s.InB, s.OutW, s.OutB, s.Y, s.Qkv, s.Probabilities, s.Context, s.Head, 2, 3, 6, 4, false));
        Assert.Contains("divisible", e.Message);
    }
}

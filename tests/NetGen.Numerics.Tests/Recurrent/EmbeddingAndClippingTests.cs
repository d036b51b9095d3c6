using System;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

public class EmbeddingAndClippingTests
{
    [Fact]
    public void Embedding_gathers_rows_and_repeated_ids_accumulate_their_gradients()
    {
        const int vocabulary = 7, dimensions = 3;
        double[] weight = TestData.Random<double>(vocabulary * dimensions, 1);
        int[] ids = [4, 0, 4, 6, 4, 0]; // 4 three times, 0 twice, 6 once, the rest never
        double[] y = new double[ids.Length * dimensions];
        Embedding.Forward<double>(ids, weight, y, ids.Length, vocabulary, dimensions);
        for (int p = 0; p < ids.Length; p++)
            for (int d = 0; d < dimensions; d++) Assert.Equal(weight[ids[p] * dimensions + d], y[p * dimensions + d]);

        double[] dy = TestData.Random<double>(y.Length, 2);
        double[] dw = new double[weight.Length];
        Array.Fill(dw, 99.0); // overwritten, not added to
        Embedding.Backward<double>(ids, dy, dw, ids.Length, vocabulary, dimensions);
        for (int v = 0; v < vocabulary; v++)
            for (int d = 0; d < dimensions; d++)
            {
                double expected = 0;
                for (int p = 0; p < ids.Length; p++) if (ids[p] == v) expected += dy[p * dimensions + d];
                Assert.Equal(expected, dw[v * dimensions + d], 15);
            }
        // Row 4 really is the sum of three gradients (not the last one written).
        Assert.Equal(dy[0 * 3] + dy[2 * 3] + dy[4 * 3], dw[4 * 3], 15);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void Embedding_ids_out_of_range_name_the_position_and_the_id(int bad)
    {
        double[] weight = new double[7 * 2], y = new double[4 * 2];
        int[] ids = [1, 2, bad, 3];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Forward<double>(ids, weight, y, 4, 7, 2));
        Assert.Contains("position 2", e.Message);
        Assert.Contains($"Token id {bad}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Backward<double>(ids, y, weight, 4, 7, 2));
    }

    [Fact]
    public void ClipNorm_matches_the_formula_by_hand()
    {
        // ‖(3, 4, 12)‖ = 13; maxNorm 6.5 → scale 6.5 / (13 + 1e-6).
        double[] g = [3, 4, 12];
        double norm = GradientClipping.ClipNorm<double>(g, 6.5);
        Assert.Equal(13.0, norm, 14);
        double scale = 6.5 / (13.0 + 1e-6);
        Assert.Equal(3 * scale, g[0], 15);
        Assert.Equal(4 * scale, g[1], 15);
        Assert.Equal(12 * scale, g[2], 15);

        // Below the limit: unchanged (the coefficient is clamped to 1), the norm still returned.
        double[] small = [0.3, -0.4];
        Assert.Equal(0.5, GradientClipping.ClipNorm<double>(small, 1.0), 15);
        Assert.Equal([0.3, -0.4], small);

        // A long float span: the global norm over everything, by hand in double.
        float[] big = TestData.Random<float>(1001, 3, 5.0);
        double sum = 0;
        foreach (float v in big) sum += (double)v * v;
        float[] before = (float[])big.Clone();
        float n = GradientClipping.ClipNorm<float>(big, 1f);
        Assert.True(Math.Abs(n - Math.Sqrt(sum)) <= 1e-5 * Math.Sqrt(sum));
        double c = 1.0 / (Math.Sqrt(sum) + 1e-6);
        for (int i = 0; i < big.Length; i++) Assert.True(Math.Abs(big[i] - before[i] * c) <= 1e-6);
        double after = 0;
        foreach (float v in big) after += (double)v * v;
        Assert.True(Math.Abs(Math.Sqrt(after) - 1.0) <= 1e-5);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm<double>(g, 0.0));
    }

    [Fact]
    public void Initialisers_draw_the_documented_distributions()
    {
        var rng = SplitMix64.FromSeed(1);
        double[] w = new double[20000];
        SequenceInitializers.Recurrent<double>(w, 16, ref rng);
        double max = 0, mean = 0;
        foreach (double v in w) { max = Math.Max(max, Math.Abs(v)); mean += v / w.Length; }
        Assert.True(max <= 0.25 && max > 0.249, $"U(−1/√16, 1/√16): max |w| {max}");
        Assert.True(Math.Abs(mean) < 0.01);

        SequenceInitializers.Normal<double>(w, 0, 1, ref rng);
        double m = 0, s = 0;
        foreach (double v in w) m += v / w.Length;
        foreach (double v in w) s += (v - m) * (v - m) / w.Length;
        Assert.True(Math.Abs(m) < 0.03 && Math.Abs(Math.Sqrt(s) - 1) < 0.03, $"N(0,1): mean {m}, std {Math.Sqrt(s)}");
        // Deterministic for a seed.
        var a = SplitMix64.FromSeed(5); var b = SplitMix64.FromSeed(5);
        double[] wa = new double[9], wb = new double[9];
        SequenceInitializers.Normal<double>(wa, 0, 1, ref a); SequenceInitializers.Normal<double>(wb, 0, 1, ref b);
        Assert.Equal(wa, wb);
    }
}

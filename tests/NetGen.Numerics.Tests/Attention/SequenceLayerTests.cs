using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>PositionalEmbedding and GlobalAveragePooling1D: values and finite-difference gradients.</summary>
public class SequenceLayerTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 7, 3, 9)]
    [InlineData(3, 5, 17, 5)]
    public void PositionalEmbeddingAddsRowsAndSumsGradients(int batch, int time, int width, int maxLength)
    {
        double[] x = FiniteDifferences.Random(batch * time * width, 1), w = FiniteDifferences.Random(maxLength * width, 2);
        double[] r = FiniteDifferences.Random(batch * time * width, 3), y = new double[x.Length];
        double Loss()
        {
            PositionalEmbedding.Forward<double>(x, w, y, batch, time, width);
            return FiniteDifferences.Dot(r, y);
        }
        Loss();
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < time; t++)
                for (int i = 0; i < width; i++)
                {
                    int o = (b * time + t) * width + i;
                    Assert.Equal(x[o] + w[t * width + i], y[o]);
                }
        double[] dx = new double[x.Length], dw = new double[w.Length];
        dw.AsSpan().Fill(99); // rows past time must be overwritten with 0
        PositionalEmbedding.Backward<double>(r, dx, dw, batch, time, width, maxLength);
        FiniteDifferences.Check("dx", x, dx, Loss);
        FiniteDifferences.Check("dweight", w, dw, Loss);

        // Step adds row `position`.
        double[] step = new double[batch * width];
        PositionalEmbedding.Step<double>(x.AsSpan(0, batch * width), w, step, time - 1, batch, width);
        for (int i = 0; i < batch * width; i++) Assert.Equal(x[i] + w[(time - 1) * width + i % width], step[i]);
    }

    [Fact]
    public void PositionalEmbeddingInitialisationIsNormalWithStd002()
    {
        var w = new double[20000];
        var rng = SplitMix64.FromSeed(7);
        PositionalEmbedding.Initialize<double>(w, ref rng);
        double mean = 0, sq = 0;
        foreach (double v in w) { mean += v; sq += v * v; }
        mean /= w.Length;
        double std = Math.Sqrt(sq / w.Length - mean * mean);
        Assert.True(Math.Abs(mean) < 0.02 * 4 / Math.Sqrt(w.Length), $"mean {mean}");
        Assert.True(Math.Abs(std - 0.02) < 0.02 * 0.03, $"std {std}");
        var again = new double[20000];
        rng = SplitMix64.FromSeed(7);
        PositionalEmbedding.Initialize<double>(again, ref rng);
        Assert.Equal(w, again);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 7, 3)]
    [InlineData(3, 17, 5)]
    public void GlobalAveragePoolingMeansOverTime(int batch, int time, int width)
    {
        double[] x = FiniteDifferences.Random(batch * time * width, 4), r = FiniteDifferences.Random(batch * width, 5), y = new double[batch * width];
        double Loss()
        {
            GlobalAveragePooling1D.Forward<double>(x, y, batch, time, width);
            return FiniteDifferences.Dot(r, y);
        }
        Loss();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < width; i++)
            {
                double s = 0;
                for (int t = 0; t < time; t++) s += x[(b * time + t) * width + i];
                Assert.True(Math.Abs(y[b * width + i] - s / time) <= 1e-15 * (1 + Math.Abs(s)), "mean over time");
            }
        double[] dx = new double[x.Length];
        GlobalAveragePooling1D.Backward<double>(r, dx, batch, time, width);
        FiniteDifferences.Check("dx", x, dx, Loss);
    }
}

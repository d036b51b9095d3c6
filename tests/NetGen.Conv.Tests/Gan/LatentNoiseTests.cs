using System;
using System.Runtime.CompilerServices;
using NetGen.Gan;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>N(0, 1) latent vectors: moments, reproducibility, no allocation.</summary>
public class LatentNoiseTests
{
    [Fact]
    public void Draws_are_standard_normal()
    {
        // 200,001 values (odd: the last pair is cut): mean within 4 standard errors of 0, variance of 1, P(|z| < 1) ≈ 0.6827.
        var z = new double[200_001];
        var rng = SplitMix64.FromSeed(7);
        LatentNoise.Normal<double>(z, ref rng);
        double mean = 0, squares = 0;
        int inside = 0;
        foreach (double v in z)
        {
            mean += v;
            if (Math.Abs(v) < 1) inside++;
        }
        mean /= z.Length;
        foreach (double v in z) squares += (v - mean) * (v - mean);
        double variance = squares / (z.Length - 1), standardError = 1 / Math.Sqrt(z.Length);
        Assert.InRange(mean, -4 * standardError, 4 * standardError);
        Assert.InRange(variance, 1 - 4 * Math.Sqrt(2.0 / z.Length), 1 + 4 * Math.Sqrt(2.0 / z.Length));
        Assert.InRange(inside / (double)z.Length, 0.6827 - 0.005, 0.6827 + 0.005);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Same_seed_same_values_and_no_allocation()
    {
        var a = new float[101];
        var b = new float[101];
        var first = SplitMix64.FromSeed(3);
        var second = SplitMix64.FromSeed(3);
        LatentNoise.Normal<float>(a, ref first);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) LatentNoise.Normal<float>(b, ref second);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var again = SplitMix64.FromSeed(3);
        LatentNoise.Normal<float>(b, ref again);
        Assert.Equal(a, b);
        LatentNoise.Normal<float>(b, ref again);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Truncated_draws_stay_within_the_threshold_and_keep_the_truncated_normals_moments()
    {
        // N(0, 1) truncated to [−1, 1]: mean 0, variance 1 − 2·φ(1)/(2Φ(1) − 1) = 0.29112; an odd count fills every value.
        var z = new double[100_001];
        var rng = SplitMix64.FromSeed(3);
        LatentNoise.TruncatedNormal<double>(z, 1.0, ref rng);
        double mean = 0, squares = 0;
        foreach (double v in z) { Assert.InRange(v, -1.0, 1.0); mean += v; }
        mean /= z.Length;
        foreach (double v in z) squares += (v - mean) * (v - mean);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(squares / (z.Length - 1), 0.29112 - 0.005, 0.29112 + 0.005);
        Assert.NotEqual(0.0, z[^1]);
        var again = new double[z.Length];
        var rng2 = SplitMix64.FromSeed(3);
        LatentNoise.TruncatedNormal<double>(again, 1.0, ref rng2);
        Assert.Equal(z, again);
        var bad = SplitMix64.FromSeed(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatentNoise.TruncatedNormal<double>(new double[2], 0, ref bad));
    }
}

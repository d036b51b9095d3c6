using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;

// Tests here change the global Parallelism settings, so none may run beside another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NetGen.Numerics.Tests;

internal static class TestData
{
    /// <summary>Sizes that exercise every remainder path: below, at and just past the vector widths and block sizes.</summary>
    public static readonly int[] OddSizes = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 64, 127];

    /// <summary>(batch, inputs, units) triples: every pair of odd sizes, plus the MNIST MLP shapes.</summary>
    public static IEnumerable<(int Batch, int Inputs, int Units)> DenseShapes()
    {
        int[] inputs = [.. OddSizes, 784];
        foreach (int b in OddSizes)
            foreach (int i in inputs)
                foreach (int u in OddSizes)
                    if ((long)b * i * u <= 400_000 && (b <= 17 || u <= 17 || i <= 17)) yield return (b, i, u);
        yield return (64, 784, 128);
        yield return (1, 784, 128);
        yield return (64, 128, 10);
        yield return (1, 128, 10);
        yield return (0, 7, 5);
        yield return (3, 0, 5);
    }

    public static T[] Random<T>(int n, int seed, double scale = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = T.CreateTruncating((2 * rng.NextDouble() - 1) * scale);
        return a;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = new double[a.Length];
        for (int i = 0; i < a.Length; i++) d[i] = double.CreateTruncating(a[i]);
        return d;
    }

    /// <summary>Unit roundoff of T.</summary>
    public static double Epsilon<T>() where T : unmanaged, IFloatingPointIeee754<T> => double.CreateTruncating(T.Epsilon) > 0 && typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16;

    /// <summary>|actual − expected| ≤ tolerance·(magnitude + 1e-30); magnitude is Σ|terms| of the sum that made expected.</summary>
    public static void Near<T>(T actual, double expected, double magnitude, double tolerance, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = double.CreateTruncating(actual);
        if (double.IsNaN(expected) && double.IsNaN(a)) return;
        if (a == expected) return;
        Assert.True(Math.Abs(a - expected) <= tolerance * (magnitude + 1e-30), $"{what}: got {a:R}, expected {expected:R} (magnitude {magnitude:G3}, tolerance {tolerance:G3})");
    }

    public static void BitEqual<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            if (!a[i].Equals(b[i]) && !(T.IsNaN(a[i]) && T.IsNaN(b[i])))
                Assert.Fail($"{what}: element {i} differs: {a[i]} vs {b[i]}");
    }
}

/// <summary>Restores the global settings a test changed.</summary>
internal sealed class ParallelismScope : IDisposable
{
    private readonly int _threads = Parallelism.MaxThreads;
    private readonly long _minimum = Parallelism.MinimumParallelWork;

    public ParallelismScope(int threads, long minimumWork = -1)
    {
        Parallelism.MaxThreads = threads;
        if (minimumWork >= 0) Parallelism.MinimumParallelWork = minimumWork;
    }

    public void Dispose()
    {
        Parallelism.MaxThreads = _threads;
        Parallelism.MinimumParallelWork = _minimum;
    }
}

using System;
using NetGen.Data;
using NetGen.Numerics;

namespace NetGen.Distributed.Tests;

/// <summary>Small seeded datasets: 5 features in [−1, 1], a class label 0..2 from a fixed rule.</summary>
internal static class SyntheticData
{
    public static Dataset Classes(int count, int seed)
    {
        const int Features = 5;
        var rng = SplitMix64.FromSeed(seed);
        var x = new float[count * Features];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < Features; j++) x[i * Features + j] = (float)(rng.NextDouble() * 2 - 1);
            y[i] = x[i * Features] > 0.2f ? 0 : x[i * Features + 1] + x[i * Features + 2] > 0 ? 1 : 2;
        }
        return new Dataset(x, y, count, Features, 1);
    }

    /// <summary>Rows [start, start + n) as network inputs and one-hot targets of <paramref name="classes"/> columns.</summary>
    public static (T[] Inputs, T[] Targets) Batch<T>(Dataset data, int start, int n, int classes) where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var inputs = new T[n * data.FeatureCount];
        var targets = new T[n * classes];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = data.FeatureRow(start + i);
            for (int j = 0; j < row.Length; j++) inputs[i * data.FeatureCount + j] = T.CreateTruncating(row[j]);
            targets[i * classes + data.Label(start + i)] = T.One;
        }
        return (inputs, targets);
    }
}

using System;
using NetGen.Numerics;

namespace NetGen.Data;

/// <summary>Splitting, shuffling and relabelling datasets. Every random choice takes a seed, so results repeat.</summary>
public static class DatasetTransforms
{
    /// <summary>A permutation of 0 .. <paramref name="count"/> − 1 (Fisher–Yates, SplitMix64 from <paramref name="seed"/>).</summary>
    public static int[] Permutation(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var rng = SplitMix64.FromSeed(seed);
        Shuffle(order, ref rng);
        return order;
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates); allocation free.</summary>
    public static void Shuffle(Span<int> values, ref SplitMix64 rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A copy of the dataset with its samples in a random order.</summary>
    public static Dataset Shuffle(this Dataset data, int seed) => data.Select(Permutation(data.Count, seed));

    /// <summary>
    /// Splits into a training and a test set: the samples are shuffled with <paramref name="seed"/>, then the
    /// last ⌈<paramref name="testFraction"/> · count⌉ go to the test set (as scikit-learn's <c>train_test_split</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public static (Dataset Train, Dataset Test) TrainTestSplit(this Dataset data, double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Expected a fraction in (0, 1).");
        int testCount = (int)Math.Ceiling(testFraction * data.Count);
        int[] order = Permutation(data.Count, seed);
        int trainCount = data.Count - testCount;
        return (data.Select(order.AsSpan(0, trainCount)), data.Select(order.AsSpan(trainCount)));
    }

    /// <summary>
    /// Replaces one-label-per-sample targets by one-hot rows of <paramref name="classCount"/> floats.
    /// </summary>
    /// <exception cref="InvalidOperationException">The dataset does not hold one label per sample, or a label is not an integer in range.</exception>
    public static Dataset ToOneHot(this Dataset data, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (data.TargetCount != 1) throw new InvalidOperationException($"One-hot encoding needs one label per sample; this dataset has {data.TargetCount} targets per sample.");
        var targets = new float[data.Count * classCount];
        for (int i = 0; i < data.Count; i++)
        {
            double label = data.DoubleTargets is { } precise ? precise[i] : data.Targets[i];
            int c = (int)label;
            if (c != label || c < 0 || c >= classCount)
                throw new InvalidOperationException($"Sample {i} has label {label}, not an integer in 0..{classCount - 1}.");
            targets[i * classCount + c] = 1f;
        }
        if (data.DoubleFeatures is { } features)
            return new Dataset(features, Array.ConvertAll(targets, t => (double)t), data.Count, data.FeatureCount, classCount, data.ClassNames);
        return new Dataset(data.Features, targets, data.Count, data.FeatureCount, classCount, data.ClassNames);
    }

    /// <summary>Multiplies every feature by <paramref name="factor"/> in place (1/255 brings 8-bit pixels into [0, 1]).</summary>
    public static Dataset ScaleFeatures(this Dataset data, float factor)
    {
        Span<float> f = data.Features;
        for (int i = 0; i < f.Length; i++) f[i] *= factor;
        if (data.DoubleFeatures is { } precise) for (int i = 0; i < precise.Length; i++) precise[i] *= factor;
        return data;
    }
}

using System;

namespace NetGen.Data;

/// <summary>
/// Samples in memory: <see cref="Features"/> holds <see cref="FeatureCount"/> floats per sample and
/// <see cref="Targets"/> holds <see cref="TargetCount"/> floats per sample, both row-major. Class labels are
/// stored as one float per sample (the class index) until <see cref="DatasetTransforms.ToOneHot"/> turns them
/// into one-hot rows.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset over existing arrays (not copied).</summary>
    /// <param name="features">Row-major features, <paramref name="count"/> × <paramref name="featureCount"/>.</param>
    /// <param name="targets">Row-major targets, <paramref name="count"/> × <paramref name="targetCount"/>.</param>
    /// <param name="count">The number of samples.</param>
    /// <param name="featureCount">Floats per sample in <paramref name="features"/>.</param>
    /// <param name="targetCount">Floats per sample in <paramref name="targets"/> (may be 0).</param>
    /// <param name="classNames">The names of the classes, when the targets are class labels.</param>
    /// <exception cref="ArgumentException">An array's length does not match the counts.</exception>
    public Dataset(float[] features, float[] targets, int count, int featureCount, int targetCount, string[]? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegative(targetCount);
        if ((long)count * featureCount != features.Length)
            throw new ArgumentException($"Expected {count} × {featureCount} = {(long)count * featureCount} features, got {features.Length}.", nameof(features));
        if ((long)count * targetCount != targets.Length)
            throw new ArgumentException($"Expected {count} × {targetCount} = {(long)count * targetCount} targets, got {targets.Length}.", nameof(targets));
        Features = features;
        Targets = targets;
        Count = count;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        ClassNames = classNames;
    }

    /// <summary>
    /// Creates a dataset of doubles: the arrays become <see cref="DoubleFeatures"/> and <see cref="DoubleTargets"/>
    /// (not copied), so that a double-precision network trains on the exact values; <see cref="Features"/> and
    /// <see cref="Targets"/> hold the same values rounded to float, for float networks and the float-based metrics.
    /// Transforms (<c>Select</c>, <c>Slice</c>, <c>Shuffle</c>, <c>ScaleFeatures</c>, the scalers, <c>ToOneHot</c>) keep both in step.
    /// </summary>
    /// <param name="features">Row-major features, <paramref name="count"/> × <paramref name="featureCount"/>.</param>
    /// <param name="targets">Row-major targets, <paramref name="count"/> × <paramref name="targetCount"/>.</param>
    /// <param name="count">The number of samples.</param>
    /// <param name="featureCount">Values per sample in <paramref name="features"/>.</param>
    /// <param name="targetCount">Values per sample in <paramref name="targets"/> (may be 0).</param>
    /// <param name="classNames">The names of the classes, when the targets are class labels.</param>
    /// <exception cref="ArgumentException">An array's length does not match the counts.</exception>
    public Dataset(double[] features, double[] targets, int count, int featureCount, int targetCount, string[]? classNames = null)
        : this(ToFloats(features), ToFloats(targets), count, featureCount, targetCount, classNames)
    {
        DoubleFeatures = features;
        DoubleTargets = targets;
    }

    /// <summary>Row-major features, <see cref="Count"/> × <see cref="FeatureCount"/> (rounded to float for a dataset of doubles).</summary>
    public float[] Features { get; }
    /// <summary>The features in double precision when the dataset was made from doubles, else null.</summary>
    public double[]? DoubleFeatures { get; }
    /// <summary>The targets in double precision when the dataset was made from doubles, else null.</summary>
    public double[]? DoubleTargets { get; }
    /// <summary>True when the dataset holds doubles (<see cref="DoubleFeatures"/> and <see cref="DoubleTargets"/>).</summary>
    public bool IsDoublePrecision => DoubleFeatures is not null;
    /// <summary>Row-major targets, <see cref="Count"/> × <see cref="TargetCount"/>.</summary>
    public float[] Targets { get; }
    /// <summary>The number of samples.</summary>
    public int Count { get; }
    /// <summary>Floats per sample in <see cref="Features"/>.</summary>
    public int FeatureCount { get; }
    /// <summary>Floats per sample in <see cref="Targets"/>.</summary>
    public int TargetCount { get; }
    /// <summary>The class names when known (from a scikit-learn metadata row, say), else null.</summary>
    public string[]? ClassNames { get; }

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> FeatureRow(int index) => Features.AsSpan(checked(index * FeatureCount), FeatureCount);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int index) => Targets.AsSpan(checked(index * TargetCount), TargetCount);

    /// <summary>
    /// The class label of sample <paramref name="index"/>: the target itself when there is one target per
    /// sample, else the index of the largest target (one-hot rows).
    /// </summary>
    public int Label(int index)
    {
        ReadOnlySpan<float> row = TargetRow(index);
        if (row.Length == 1) return (int)row[0];
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /// <summary>The number of samples per class label (labels as in <see cref="Label"/>).</summary>
    /// <exception cref="InvalidOperationException">A label is negative or not a number.</exception>
    public int[] CountPerClass()
    {
        int classes = TargetCount > 1 ? TargetCount : 0;
        for (int i = 0; i < Count; i++)
        {
            int label = Label(i);
            if (label < 0 || (TargetCount == 1 && float.IsNaN(Targets[i])))
                throw new InvalidOperationException($"Sample {i} has target {Targets[i * TargetCount]}, not a class label.");
            classes = Math.Max(classes, label + 1);
        }
        var counts = new int[classes];
        for (int i = 0; i < Count; i++) counts[Label(i)]++;
        return counts;
    }

    /// <summary>A new dataset holding copies of the given samples, in the given order.</summary>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        if (DoubleFeatures is { } xd && DoubleTargets is { } td)
        {
            var doubleFeatures = new double[indices.Length * FeatureCount];
            var doubleTargets = new double[indices.Length * TargetCount];
            for (int i = 0; i < indices.Length; i++)
            {
                xd.AsSpan(checked(indices[i] * FeatureCount), FeatureCount).CopyTo(doubleFeatures.AsSpan(i * FeatureCount));
                td.AsSpan(checked(indices[i] * TargetCount), TargetCount).CopyTo(doubleTargets.AsSpan(i * TargetCount));
            }
            return new Dataset(doubleFeatures, doubleTargets, indices.Length, FeatureCount, TargetCount, ClassNames);
        }
        var features = new float[indices.Length * FeatureCount];
        var targets = new float[indices.Length * TargetCount];
        for (int i = 0; i < indices.Length; i++)
        {
            FeatureRow(indices[i]).CopyTo(features.AsSpan(i * FeatureCount));
            TargetRow(indices[i]).CopyTo(targets.AsSpan(i * TargetCount));
        }
        return new Dataset(features, targets, indices.Length, FeatureCount, TargetCount, ClassNames);
    }

    /// <summary>A new dataset holding copies of samples <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> − 1.</summary>
    public Dataset Slice(int start, int length)
    {
        if ((uint)start > (uint)Count || (uint)length > (uint)(Count - start)) throw new ArgumentOutOfRangeException(nameof(length));
        if (DoubleFeatures is { } xd && DoubleTargets is { } td)
            return new Dataset(
                xd.AsSpan(start * FeatureCount, length * FeatureCount).ToArray(),
                td.AsSpan(start * TargetCount, length * TargetCount).ToArray(),
                length, FeatureCount, TargetCount, ClassNames);
        return new Dataset(
            Features.AsSpan(start * FeatureCount, length * FeatureCount).ToArray(),
            Targets.AsSpan(start * TargetCount, length * TargetCount).ToArray(),
            length, FeatureCount, TargetCount, ClassNames);
    }

    /// <summary>A short description: counts and sizes.</summary>
    public override string ToString() =>
        $"Dataset({Count} samples × {FeatureCount} features → {TargetCount} targets{(IsDoublePrecision ? ", double" : "")})";

    private static float[] ToFloats(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var floats = new float[values.Length];
        for (int i = 0; i < values.Length; i++) floats[i] = (float)values[i];
        return floats;
    }
}

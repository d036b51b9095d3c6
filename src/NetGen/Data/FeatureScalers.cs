using System;

namespace NetGen.Data;

/// <summary>
/// Standardisation: per feature, subtract the mean and divide by the standard deviation (population, as
/// scikit-learn's <c>StandardScaler</c>). Fit it on the training set only, then apply it to every set.
/// </summary>
public sealed class Standardizer
{
    private readonly double[] _mean, _scale;

    private Standardizer(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
        Mean = Array.ConvertAll(mean, m => (float)m);
        Scale = Array.ConvertAll(scale, v => (float)v);
    }

    /// <summary>The mean of each feature over the set it was fitted on.</summary>
    public float[] Mean { get; }
    /// <summary>The standard deviation of each feature (1 where it was 0, so constant features stay finite).</summary>
    public float[] Scale { get; }

    /// <summary>Computes the means and standard deviations of <paramref name="train"/>'s features (in double, from the doubles of a dataset of doubles).</summary>
    public static Standardizer Fit(Dataset train)
    {
        int n = train.Count, d = train.FeatureCount;
        var sum = new double[d];
        var sumSquares = new double[d];
        // μ_j = Σ_i x_ij / n
        for (int i = 0; i < n * d; i++) sum[i % d] += Feature(train, i);
        for (int j = 0; j < d; j++) sum[j] /= Math.Max(n, 1);
        // σ_j = √(Σ_i (x_ij − μ_j)² / n), 1 where it is 0
        for (int i = 0; i < n * d; i++) { double c = Feature(train, i) - sum[i % d]; sumSquares[i % d] += c * c; }
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(sumSquares[j] / Math.Max(n, 1));
            scale[j] = sd > 0 && (float)sd > 0 ? sd : 1;
        }
        return new Standardizer(sum, scale);
    }

    private static double Feature(Dataset data, int index) => data.DoubleFeatures is { } precise ? precise[index] : data.Features[index];

    /// <summary>Standardises <paramref name="data"/>'s features in place and returns it.</summary>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Dataset Transform(Dataset data)
    {
        if (data.FeatureCount != Mean.Length) throw new ArgumentException($"Expected {Mean.Length} features, got {data.FeatureCount}.", nameof(data));
        Span<float> f = data.Features;
        for (int i = 0; i < f.Length; i++) { int j = i % Mean.Length; f[i] = (f[i] - Mean[j]) / Scale[j]; }
        // A dataset of doubles keeps its doubles in step, computed in double.
        if (data.DoubleFeatures is { } precise)
            for (int i = 0; i < precise.Length; i++) { int j = i % _mean.Length; precise[i] = (precise[i] - _mean[j]) / _scale[j]; }
        return data;
    }
}

/// <summary>
/// Min-max scaling: per feature, map the fitted set's [min, max] onto [0, 1] (scikit-learn's <c>MinMaxScaler</c>).
/// For 8-bit images, <see cref="DatasetTransforms.ScaleFeatures"/> with 1/255 is the usual fixed choice.
/// </summary>
public sealed class MinMaxScaler
{
    private MinMaxScaler(float[] min, float[] range) { Min = min; Range = range; }

    /// <summary>The minimum of each feature over the set it was fitted on.</summary>
    public float[] Min { get; }
    /// <summary>max − min of each feature (1 where it was 0).</summary>
    public float[] Range { get; }

    /// <summary>Finds each feature's minimum and maximum over <paramref name="train"/>.</summary>
    public static MinMaxScaler Fit(Dataset train)
    {
        int d = train.FeatureCount;
        var min = new float[d];
        var max = new float[d];
        min.AsSpan().Fill(float.PositiveInfinity);
        max.AsSpan().Fill(float.NegativeInfinity);
        for (int i = 0; i < train.Count; i++)
        {
            ReadOnlySpan<float> row = train.FeatureRow(i);
            for (int j = 0; j < d; j++) { min[j] = Math.Min(min[j], row[j]); max[j] = Math.Max(max[j], row[j]); }
        }
        var range = new float[d];
        for (int j = 0; j < d; j++)
        {
            if (train.Count == 0) { min[j] = 0; max[j] = 1; }
            range[j] = max[j] > min[j] ? max[j] - min[j] : 1f;
        }
        return new MinMaxScaler(min, range);
    }

    /// <summary>Scales <paramref name="data"/>'s features in place and returns it.</summary>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    public Dataset Transform(Dataset data)
    {
        if (data.FeatureCount != Min.Length) throw new ArgumentException($"Expected {Min.Length} features, got {data.FeatureCount}.", nameof(data));
        Span<float> f = data.Features;
        for (int i = 0; i < f.Length; i++) { int j = i % Min.Length; f[i] = (f[i] - Min[j]) / Range[j]; }
        // A dataset of doubles keeps its doubles in step (with the float bounds).
        if (data.DoubleFeatures is { } precise)
            for (int i = 0; i < precise.Length; i++) { int j = i % Min.Length; precise[i] = (precise[i] - Min[j]) / Range[j]; }
        return data;
    }
}

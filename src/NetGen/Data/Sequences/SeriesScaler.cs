using System;

namespace NetGen.Data;

/// <summary>How <see cref="SeriesScaler"/> maps a series.</summary>
public enum SeriesScaling
{
    /// <summary>(v − min) / (max − min): the fitted range onto [0, 1].</summary>
    MinMax,
    /// <summary>(v − mean) / std (population standard deviation).</summary>
    Standard,
}

/// <summary>
/// An invertible affine scaling of one series, v' = (v − Offset) / Scale, fitted on the training part
/// only (so no information leaks from the held-out tail). A constant series gets Scale 1, as
/// scikit-learn's scalers do.
/// </summary>
public sealed class SeriesScaler
{
    /// <summary>Subtracted before dividing: the minimum or the mean.</summary>
    public double Offset { get; }
    /// <summary>Divided by: max − min or the standard deviation (1 for a constant series).</summary>
    public double Scale { get; }
    /// <summary>The method fitted.</summary>
    public SeriesScaling Method { get; }

    /// <summary>A scaler with these parameters (e.g. saved from an earlier fit).</summary>
    public SeriesScaler(SeriesScaling method, double offset, double scale)
    {
        if (!double.IsFinite(offset)) throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be finite.");
        if (!double.IsFinite(scale) || scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite and positive.");
        Method = method; Offset = offset; Scale = scale;
    }

    /// <summary>Fits on <paramref name="series"/> (empty or non-finite values throw, naming the index).</summary>
    public static SeriesScaler Fit(ReadOnlySpan<float> series, SeriesScaling method)
    {
        if (series.IsEmpty) throw new ArgumentException("Cannot fit a scaler on an empty series.", nameof(series));
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        for (int i = 0; i < series.Length; i++)
        {
            double v = series[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"Value {i} of the series is {v}.", nameof(series));
            min = Math.Min(min, v); max = Math.Max(max, v); sum += v;
        }
        if (method == SeriesScaling.MinMax) return new SeriesScaler(method, min, max > min ? max - min : 1.0);
        double mean = sum / series.Length, squares = 0;
        foreach (float v in series) squares += (v - mean) * (v - mean);
        double std = Math.Sqrt(squares / series.Length);
        return new SeriesScaler(method, mean, std > 0 ? std : 1.0);
    }

    /// <summary>scaled[i] = (series[i] − Offset) / Scale (may be the same span).</summary>
    public void Transform(ReadOnlySpan<float> series, Span<float> scaled)
    {
        if (scaled.Length < series.Length) throw new ArgumentException($"'scaled' needs {series.Length} elements, got {scaled.Length}.", nameof(scaled));
        for (int i = 0; i < series.Length; i++) scaled[i] = (float)((series[i] - Offset) / Scale);
    }

    /// <summary>The scaled copy of <paramref name="series"/>.</summary>
    public float[] Transform(ReadOnlySpan<float> series)
    {
        var scaled = new float[series.Length];
        Transform(series, scaled);
        return scaled;
    }

    /// <summary>series[i] = scaled[i]·Scale + Offset, the inverse of <see cref="Transform(ReadOnlySpan{float}, Span{float})"/> (may be the same span).</summary>
    public void Inverse(ReadOnlySpan<float> scaled, Span<float> series)
    {
        if (series.Length < scaled.Length) throw new ArgumentException($"'series' needs {scaled.Length} elements, got {series.Length}.", nameof(series));
        for (int i = 0; i < scaled.Length; i++) series[i] = (float)(scaled[i] * Scale + Offset);
    }

    /// <summary>The unscaled copy of <paramref name="scaled"/>.</summary>
    public float[] Inverse(ReadOnlySpan<float> scaled)
    {
        var series = new float[scaled.Length];
        Inverse(scaled, series);
        return series;
    }
}

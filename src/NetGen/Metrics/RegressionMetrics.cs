using System;

namespace NetGen.Metrics;

/// <summary>Regression metrics over paired value spans (sums in double).</summary>
public static class RegressionMetrics
{
    /// <summary>mean((actual − predicted)²); 0 for empty spans.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) { double d = actual[i] - (double)predicted[i]; sum += d * d; }
        return actual.Length == 0 ? 0 : sum / actual.Length;
    }

    /// <summary>mean(|actual − predicted|); 0 for empty spans.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) sum += Math.Abs(actual[i] - (double)predicted[i]);
        return actual.Length == 0 ? 0 : sum / actual.Length;
    }

    /// <summary>
    /// The coefficient of determination 1 − SS_res / SS_tot. When the actual values are constant (SS_tot = 0)
    /// it is 1 for a perfect prediction and 0 otherwise (scikit-learn's <c>force_finite</c>), never NaN.
    /// </summary>
    public static double R2(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        if (actual.Length == 0) return 0;
        double mean = 0;
        foreach (float a in actual) mean += a;
        mean /= actual.Length;
        double residual = 0, total = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double r = actual[i] - (double)predicted[i];
            double t = actual[i] - mean;
            residual += r * r;
            total += t * t;
        }
        if (total == 0) return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    private static void CheckLengths(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} actual values but {predicted.Length} predicted.", nameof(predicted));
    }
}

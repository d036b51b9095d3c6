using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>Central finite differences in double against an analytic gradient.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// For every element i of <paramref name="values"/>: (L(v + h·eᵢ) − L(v − h·eᵢ))/(2h) against
    /// <paramref name="analytic"/>[i], within tolerance·(1 + |numeric|). Returns the largest error seen.
    /// </summary>
    public static double Check(string what, double[] values, ReadOnlySpan<double> analytic, Func<double> loss, double h = 1e-6, double tolerance = 1e-6)
    {
        Assert.True(analytic.Length >= values.Length, $"{what}: gradient shorter than the values");
        double worst = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + h;
            double plus = loss();
            values[i] = saved - h;
            double minus = loss();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.Abs(numeric - analytic[i]) / (1 + Math.Abs(numeric));
            worst = Math.Max(worst, error);
            Assert.True(error <= tolerance, $"{what}[{i}]: analytic {analytic[i]:R}, numeric {numeric:R}");
        }
        return worst;
    }

    /// <summary>Σ r ⊙ y: a scalar loss whose gradient with respect to y is r.</summary>
    public static double Dot(ReadOnlySpan<double> r, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < r.Length; i++) s += r[i] * y[i];
        return s;
    }

    public static double[] Random(int n, int seed, double scale = 1.0) => TestData.Random<double>(n, seed, scale);

    public static float[] ToFloat(double[] a)
    {
        var f = new float[a.Length];
        for (int i = 0; i < a.Length; i++) f[i] = (float)a[i];
        return f;
    }
}

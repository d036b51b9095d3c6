using System;
using NetGen.Metrics;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>The inception-style score and the Fréchet distance against cases worked by hand.</summary>
public class GanQualityTests
{
    [Fact]
    public void Inception_score_of_hand_cases()
    {
        // Every sample the same distribution: p(y|x) = p(y), KL 0, score 1.
        double[] same = { 0.2, 0.5, 0.3, 0.2, 0.5, 0.3, 0.2, 0.5, 0.3 };
        Assert.Equal(1.0, GanQuality.InceptionScore<double>(same, 3), 1e-12);
        // Certain samples spread evenly over 4 classes: KL = log 4 each, score 4.
        float[] certain = new float[8 * 4];
        for (int i = 0; i < 8; i++) certain[i * 4 + i % 4] = 1;
        Assert.Equal(4.0, GanQuality.InceptionScore<float>(certain, 4), 1e-12);
        // [1, 0] and [½, ½]: p(y) = [¾, ¼]; KL₁ = log(4/3), KL₂ = ½·log(⅔) + ½·log 2 = ½·log(4/3); score (4/3)^(3/4).
        double[] mixed = { 1, 0, 0.5, 0.5 };
        Assert.Equal(Math.Pow(4.0 / 3, 0.75), GanQuality.InceptionScore<double>(mixed, 2), 1e-12);
    }

    [Fact]
    public void Inception_score_names_a_row_that_is_not_a_distribution()
    {
        var e = Assert.Throws<ArgumentException>(() => GanQuality.InceptionScore<double>(new double[] { 0.5, 0.5, 0.7, 0.7 }, 2));
        Assert.Contains("Row 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => GanQuality.InceptionScore<double>(new double[] { 0.5, 0.5, 1.5, -0.5 }, 2));
        Assert.Contains("Row 1", e.Message);
        Assert.Throws<ArgumentException>(() => GanQuality.InceptionScore<double>(new double[] { 0.5, 0.5, 1 }, 2));
    }

    [Fact]
    public void Feature_statistics_are_the_unbiased_mean_and_covariance()
    {
        // (±u, 0) and (0, ±v) around (1, −2): mean (1, −2), covariance diag(2u²/3, 2v²/3) (N − 1 = 3), no correlation.
        const double u = 1.5, v = 0.5;
        double[] rows = { 1 + u, -2, 1 - u, -2, 1, -2 + v, 1, -2 - v };
        (double[] mean, double[] covariance) = GanQuality.FeatureStatistics<double>(rows, 2);
        Assert.Equal(1, mean[0], 1e-15);
        Assert.Equal(-2, mean[1], 1e-15);
        Assert.Equal(2 * u * u / 3, covariance[0], 1e-14);
        Assert.Equal(0, covariance[1], 1e-15);
        Assert.Equal(0, covariance[2], 1e-15);
        Assert.Equal(2 * v * v / 3, covariance[3], 1e-14);
    }

    [Fact]
    public void Frechet_distance_of_identical_sets_is_zero_and_of_shifted_sets_the_squared_shift()
    {
        const int samples = 200, dimensions = 7;
        double[] a = Reference.Random(samples * dimensions, 1);
        // Correlated features: each dimension mixes in the one before.
        for (int i = 0; i < samples; i++)
            for (int d = 1; d < dimensions; d++) a[i * dimensions + d] += 0.8 * a[i * dimensions + d - 1];
        Assert.Equal(0, GanQuality.FrechetDistance<double>(a, a, dimensions), 1e-9);
        double[] shift = Reference.Random(dimensions, 2, 3);
        double[] b = (double[])a.Clone();
        double squared = 0;
        for (int d = 0; d < dimensions; d++) squared += shift[d] * shift[d];
        for (int i = 0; i < samples; i++)
            for (int d = 0; d < dimensions; d++) b[i * dimensions + d] += shift[d];
        Assert.Equal(squared, GanQuality.FrechetDistance<double>(a, b, dimensions), 1e-9);
    }

    [Fact]
    public void Frechet_distance_of_diagonal_covariances()
    {
        // ‖μ1 − μ2‖² + Σ (√a − √b)²
        double[] mean1 = { 1, 2, 3 }, mean2 = { 1.5, 2, 1 };
        double[] a = { 4, 1, 0.25 }, b = { 1, 9, 0.25 };
        double expected = 0.25 + 0 + 4 + (2 - 1) * (2 - 1) + (1 - 3) * (1 - 3) + 0;
        Assert.Equal(expected, GanQuality.FrechetDistance(mean1, Diagonal(a), mean2, Diagonal(b), 3), 1e-12);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(84)]
    public void Frechet_distance_of_rotated_commuting_covariances(int n)
    {
        // Σ1 = R·diag(a)·Rᵀ, Σ2 = R·diag(b)·Rᵀ share eigenvectors: Tr((Σ1Σ2)^½) = Σ √(a·b), the distance Σ (√a − √b)².
        // 84 dimensions: LeNet-5's penultimate layer; eigenvalues spread over decades, one zero.
        double[] a = new double[n], b = new double[n];
        double[] spread = Reference.Random(2 * n, 6);
        for (int i = 0; i < n; i++)
        {
            a[i] = Math.Pow(10, 2 * spread[i]);
            b[i] = i == 1 ? 0 : Math.Pow(10, 2 * spread[n + i]);
        }
        double[] r = RandomRotation(n, 3);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += Math.Pow(Math.Sqrt(a[i]) - Math.Sqrt(b[i]), 2);
        var zero = new double[n];
        double[] s1 = Rotate(r, a, n), s2 = Rotate(r, b, n);
        Assert.Equal(expected, GanQuality.FrechetDistance(zero, s1, zero, s2, n), 1e-7 * Math.Max(1, expected));
        // The distance is symmetric in its two arguments.
        Assert.Equal(GanQuality.FrechetDistance(zero, s2, zero, s1, n), GanQuality.FrechetDistance(zero, s1, zero, s2, n), 1e-7 * Math.Max(1, expected));
    }

    [Fact]
    public void Frechet_distance_of_two_by_two_covariances_matches_the_closed_form()
    {
        // For 2×2 M = Σ1Σ2 with eigenvalues λ1, λ2 ≥ 0: Tr M^½ = √λ1 + √λ2 = √(Tr M + 2·√det M).
        double[] s1 = { 2, 0.7, 0.7, 1 }, s2 = { 0.5, -0.3, -0.3, 3 };
        double m00 = s1[0] * s2[0] + s1[1] * s2[2], m01 = s1[0] * s2[1] + s1[1] * s2[3];
        double m10 = s1[2] * s2[0] + s1[3] * s2[2], m11 = s1[2] * s2[1] + s1[3] * s2[3];
        double traceRoot = Math.Sqrt(m00 + m11 + 2 * Math.Sqrt(m00 * m11 - m01 * m10));
        double expected = s1[0] + s1[3] + s2[0] + s2[3] - 2 * traceRoot;
        var zero = new double[2];
        Assert.Equal(expected, GanQuality.FrechetDistance(zero, s1, zero, s2, 2), 1e-12);
    }

    [Fact]
    public void Frechet_distance_survives_singular_covariances()
    {
        // A constant feature and a duplicated one: both covariances singular.
        const int samples = 50, dimensions = 4;
        double[] a = Reference.Random(samples * dimensions, 4), b = Reference.Random(samples * dimensions, 5);
        foreach (double[] set in new[] { a, b })
            for (int i = 0; i < samples; i++)
            {
                set[i * dimensions + 2] = 1;
                set[i * dimensions + 3] = set[i * dimensions];
            }
        double distance = GanQuality.FrechetDistance<double>(a, b, dimensions);
        Assert.True(double.IsFinite(distance) && distance > 0, $"distance {distance}");
        Assert.Equal(0, GanQuality.FrechetDistance<double>(a, a, dimensions), 1e-6);
    }

    private static double[] Diagonal(double[] values)
    {
        int n = values.Length;
        var m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = values[i];
        return m;
    }

    /// <summary>R·diag(values)·Rᵀ.</summary>
    private static double[] Rotate(double[] r, double[] values, int n)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) m[i * n + j] += r[i * n + k] * values[k] * r[j * n + k];
        return m;
    }

    /// <summary>An orthogonal matrix: Gram–Schmidt on the columns of a random one.</summary>
    private static double[] RandomRotation(int n, int seed)
    {
        double[] q = Reference.Random(n * n, seed);
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + p];
                for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) q[i * n + j] /= norm;
        }
        return q;
    }
}

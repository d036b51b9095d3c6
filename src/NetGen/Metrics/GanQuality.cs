using System;
using System.Numerics;

namespace NetGen.Metrics;

/// <summary>
/// Quality of generated samples measured through a fixed classifier, in double precision: an
/// inception-style score from its class probabilities and the Fréchet distance between Gaussians
/// fitted to its features of two sets of samples (the FID recipe, with any classifier).
/// </summary>
public static class GanQuality
{
    /// <summary>
    /// exp(E_x[KL(p(y|x) ‖ p(y))]) with p(y) = the mean of the rows: from 1 (every sample gets the
    /// same distribution) to the number of classes (each sample certain, the classes used equally).
    /// Terms with p(y|x) = 0 contribute 0 (the limit of p·log p).
    /// </summary>
    /// <param name="probabilities">[samples, classes] rows of class probabilities (each non-negative, summing to 1 within 1e-3).</param>
    /// <param name="classes">Values per row.</param>
    /// <exception cref="ArgumentException">No rows, a length that is not a whole number of rows, or a row that is not a distribution (named by its index).</exception>
    public static double InceptionScore<T>(ReadOnlySpan<T> probabilities, int classes) where T : unmanaged, INumberBase<T>
    {
        int samples = Rows(probabilities.Length, classes, nameof(probabilities));
        // p(y) = (1/N)·Σ_x p(y|x), each row checked on the way.
        var marginal = new double[classes];
        for (int i = 0; i < samples; i++)
        {
            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                double p = double.CreateTruncating(probabilities[i * classes + k]);
                if (!(p >= 0)) throw new ArgumentException($"Row {i} is not a distribution: p[{k}] = {p}.", nameof(probabilities));
                sum += p;
                marginal[k] += p;
            }
            if (Math.Abs(sum - 1) > 1e-3) throw new ArgumentException($"Row {i} is not a distribution: it sums to {sum}.", nameof(probabilities));
        }
        for (int k = 0; k < classes; k++) marginal[k] /= samples;
        // E_x[KL] = (1/N)·Σ_x Σ_y p(y|x)·(log p(y|x) − log p(y))
        double divergence = 0;
        for (int i = 0; i < samples; i++)
            for (int k = 0; k < classes; k++)
            {
                double p = double.CreateTruncating(probabilities[i * classes + k]);
                if (p > 0) divergence += p * (Math.Log(p) - Math.Log(marginal[k]));
            }
        return Math.Exp(divergence / samples);
    }

    /// <summary>
    /// The mean μ [dimensions] and the unbiased covariance Σ [dimensions, dimensions] (divided by
    /// N − 1, as numpy's <c>cov</c>) of feature rows, accumulated in double.
    /// </summary>
    /// <param name="features">[samples, dimensions] row-major, at least two rows.</param>
    /// <param name="dimensions">Values per row.</param>
    public static (double[] Mean, double[] Covariance) FeatureStatistics<T>(ReadOnlySpan<T> features, int dimensions) where T : unmanaged, INumberBase<T>
    {
        int samples = Rows(features.Length, dimensions, nameof(features));
        if (samples < 2) throw new ArgumentException("A covariance needs at least two feature rows.", nameof(features));
        // μ = (1/N)·Σ x
        var mean = new double[dimensions];
        for (int i = 0; i < samples; i++)
            for (int d = 0; d < dimensions; d++) mean[d] += double.CreateTruncating(features[i * dimensions + d]);
        for (int d = 0; d < dimensions; d++) mean[d] /= samples;
        // Σ = (1/(N − 1))·Σ (x − μ)(x − μ)ᵀ, the upper triangle, then mirrored.
        var covariance = new double[dimensions * dimensions];
        var centered = new double[dimensions];
        for (int i = 0; i < samples; i++)
        {
            for (int d = 0; d < dimensions; d++) centered[d] = double.CreateTruncating(features[i * dimensions + d]) - mean[d];
            for (int r = 0; r < dimensions; r++)
            {
                double cr = centered[r];
                for (int c = r; c < dimensions; c++) covariance[r * dimensions + c] += cr * centered[c];
            }
        }
        for (int r = 0; r < dimensions; r++)
            for (int c = r; c < dimensions; c++)
                covariance[c * dimensions + r] = covariance[r * dimensions + c] /= samples - 1;
        return (mean, covariance);
    }

    /// <summary>
    /// The Fréchet distance between Gaussians fitted to two sets of feature rows (see
    /// <see cref="FeatureStatistics{T}"/> and <see cref="FrechetDistance(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>).
    /// </summary>
    public static double FrechetDistance<T>(ReadOnlySpan<T> features1, ReadOnlySpan<T> features2, int dimensions) where T : unmanaged, INumberBase<T>
    {
        (double[] mean1, double[] covariance1) = FeatureStatistics(features1, dimensions);
        (double[] mean2, double[] covariance2) = FeatureStatistics(features2, dimensions);
        return FrechetDistance(mean1, covariance1, mean2, covariance2, dimensions);
    }

    /// <summary>
    /// d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2·(Σ1Σ2)^½). The trace of the square root is taken as
    /// Tr((Σ1^½·Σ2·Σ1^½)^½) (the same eigenvalues), both roots from symmetric eigen-decompositions by
    /// Jacobi rotations, eigenvalues below zero (round-off of a singular covariance) taken as zero.
    /// </summary>
    /// <param name="mean1">[dimensions].</param>
    /// <param name="covariance1">[dimensions, dimensions] symmetric positive semi-definite.</param>
    /// <param name="mean2">[dimensions].</param>
    /// <param name="covariance2">[dimensions, dimensions] symmetric positive semi-definite.</param>
    /// <param name="dimensions">Feature dimensions.</param>
    public static double FrechetDistance(ReadOnlySpan<double> mean1, ReadOnlySpan<double> covariance1, ReadOnlySpan<double> mean2, ReadOnlySpan<double> covariance2, int dimensions)
    {
        if (dimensions <= 0) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "The feature dimensions must be positive.");
        int n = dimensions;
        CheckLength(mean1.Length, n, nameof(mean1));
        CheckLength(mean2.Length, n, nameof(mean2));
        CheckLength(covariance1.Length, n * n, nameof(covariance1));
        CheckLength(covariance2.Length, n * n, nameof(covariance2));
        // ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2
        double distance = 0;
        for (int d = 0; d < n; d++)
        {
            double delta = mean1[d] - mean2[d];
            distance += delta * delta + covariance1[d * n + d] + covariance2[d * n + d];
        }
        return distance - 2 * TraceOfSquareRootOfProduct(covariance1, covariance2, n);
    }

    /// <summary>Tr((Σ1Σ2)^½) = Σ √λ(S·Σ2·S) with S = Σ1^½ = V·diag(√λ(Σ1))·Vᵀ.</summary>
    private static double TraceOfSquareRootOfProduct(ReadOnlySpan<double> covariance1, ReadOnlySpan<double> covariance2, int n)
    {
        // Σ1 = V·diag(λ)·Vᵀ  (symmetrised first: an input off by round-off stays symmetric)
        var a = new double[n * n];
        var vectors = new double[n * n];
        Symmetrize(covariance1, a, n);
        SymmetricEigen.Decompose(a, vectors, n);
        // S = V·diag(√max(λ, 0))·Vᵀ
        var root = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[r * n + k] * Math.Sqrt(Math.Max(a[k * n + k], 0)) * vectors[c * n + k];
                root[r * n + c] = s;
            }
        // M = S·Σ2·S (symmetric positive semi-definite, similar to Σ1·Σ2)
        var product = Multiply(root, covariance2, n);
        var m = Multiply(product, root, n);
        Symmetrize(m, a, n);
        SymmetricEigen.Decompose(a, Span<double>.Empty, n);
        // Σ √max(λ, 0)
        double trace = 0;
        for (int k = 0; k < n; k++) trace += Math.Sqrt(Math.Max(a[k * n + k], 0));
        return trace;
    }

    /// <summary>C = A·B, all n×n row-major.</summary>
    private static double[] Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n)
    {
        var c = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int k = 0; k < n; k++)
            {
                double ark = a[r * n + k];
                if (ark == 0) continue;
                for (int j = 0; j < n; j++) c[r * n + j] += ark * b[k * n + j];
            }
        return c;
    }

    /// <summary>destination = (m + mᵀ)/2.</summary>
    private static void Symmetrize(ReadOnlySpan<double> m, Span<double> destination, int n)
    {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) destination[r * n + c] = 0.5 * (m[r * n + c] + m[c * n + r]);
    }

    private static int Rows(int length, int width, string name)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(name, width, "The row width must be positive.");
        if (length == 0 || length % width != 0)
            throw new ArgumentException($"Expected a whole, non-zero number of rows of {width} values, but got {length} values.", name);
        return length / width;
    }

    private static void CheckLength(int length, int expected, string name)
    {
        if (length != expected) throw new ArgumentException($"Expected {expected} values, but got {length}.", name);
    }
}

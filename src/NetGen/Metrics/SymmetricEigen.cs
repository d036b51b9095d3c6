using System;

namespace NetGen.Metrics;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations, in double: each
/// rotation in a (p, q) plane zeroes the off-diagonal pair a[p, q] = a[q, p]; sweeps over every
/// pair repeat until the off-diagonal mass is negligible against the diagonal. Slow (O(n³) per sweep)
/// but unconditionally stable and accurate for the small matrices here (feature covariances of a
/// hundred or so dimensions).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Sweeps before giving up; Jacobi converges quadratically, in well under 20 sweeps.</summary>
    private const int MaxSweeps = 100;

    /// <summary>
    /// Diagonalises <paramref name="a"/> (n×n row-major, symmetric; destroyed): on return its
    /// diagonal holds the eigenvalues and, when <paramref name="vectors"/> is not empty, that n×n
    /// matrix's column j holds the eigenvector of eigenvalue a[j, j] (A = V·diag(λ)·Vᵀ).
    /// </summary>
    public static void Decompose(Span<double> a, Span<double> vectors, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"The matrix needs {n * n} values.", nameof(a));
        bool withVectors = !vectors.IsEmpty;
        if (withVectors)
        {
            if (vectors.Length < n * n) throw new ArgumentException($"The eigenvectors need {n * n} values.", nameof(vectors));
            // V = I
            vectors.Slice(0, n * n).Clear();
            for (int i = 0; i < n; i++) vectors[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            // Stop when Σ_(p<q) a_pq² is at the round-off level of Σ a_ii².
            double off = 0, diagonal = 0;
            for (int p = 0; p < n; p++)
            {
                diagonal += a[p * n + p] * a[p * n + p];
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            }
            if (off <= 1e-30 * diagonal || off == 0) return;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    // The rotation A' = Jᵀ·A·J (J_pp = J_qq = c, J_pq = s, J_qp = −s) with a'_pq = 0:
                    // θ = (a_qq − a_pp)/(2·a_pq), t = tan φ the smaller root of t² + 2θt − 1 = 0.
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    Rotate(a, vectors, withVectors, n, p, q, c, s);
                }
        }
    }

    /// <summary>A ← Jᵀ·A·J (columns p and q, then rows p and q), V ← V·J.</summary>
    private static void Rotate(Span<double> a, Span<double> vectors, bool withVectors, int n, int p, int q, double c, double s)
    {
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        // Exactly zero where the rotation was chosen to put zero (round-off would leave ~1e-17·a).
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        if (!withVectors) return;
        for (int k = 0; k < n; k++)
        {
            double vkp = vectors[k * n + p], vkq = vectors[k * n + q];
            vectors[k * n + p] = c * vkp - s * vkq;
            vectors[k * n + q] = s * vkp + c * vkq;
        }
    }
}

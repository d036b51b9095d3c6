using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Layer normalisation over the last dimension (<c>nn.LayerNorm(width)</c>, ε = 1e-5 by default):
/// y = (x − μ)·rstd ⊙ weight + bias per row, μ the row mean, rstd = 1/√(σ² + ε), σ² the biased
/// (divide by width) row variance, as PyTorch. Rows are any leading dimensions flattened: batch × time
/// for a sequence.
/// </summary>
/// <remarks>
/// The variance is taken in two passes (the mean first, then Σ(x − μ)²), so a constant row gives exactly
/// σ² = 0, x̂ = 0 and y = bias, and large offsets cost no precision. Nothing is allocated.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNorm
{
    /// <summary>PyTorch's default ε.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>
    /// y = (x − μ)·rstd ⊙ weight + bias, row by row; caches μ and rstd per row for <see cref="Backward"/>.
    /// </summary>
    /// <param name="x">Input [rows, width].</param>
    /// <param name="weight">γ [width].</param>
    /// <param name="bias">β [width].</param>
    /// <param name="y">Output [rows, width]; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Cache [rows]: μ of each row.</param>
    /// <param name="rstd">Cache [rows]: 1/√(σ² + ε) of each row.</param>
    /// <param name="rows">Rows (batch × time for a sequence).</param>
    /// <param name="width">Features normalised together (the last dimension).</param>
    /// <param name="epsilon">ε added to the variance (1e-5 as PyTorch).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> mean, Span<T> rstd, int rows, int width, double epsilon = DefaultEpsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(rows, width);
        Check(x.Length, (long)rows * width, nameof(x));
        Check(weight.Length, width, nameof(weight));
        Check(bias.Length, width, nameof(bias));
        Check(y.Length, (long)rows * width, nameof(y));
        Check(mean.Length, rows, nameof(mean));
        Check(rstd.Length, rows, nameof(rstd));
        T n = T.CreateTruncating(width), eps = T.CreateTruncating(epsilon);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> xr = x.Slice(r * width, width);
            Span<T> yr = y.Slice(r * width, width);
            // μ = Σx / n.
            T mu = RowMath.Sum(xr) / n;
            // σ² = Σ(x − μ)² / n (biased, as PyTorch), from the centred values.
            T s = T.One / T.Sqrt(CentredSquares(xr, mu) / n + eps);
            mean[r] = mu;
            rstd[r] = s;
            // y = (x − μ)·rstd ⊙ γ + β.
            int i = 0;
            if (Vectorize<T>())
            {
                Vector256<T> vmu = Vector256.Create(mu), vs = Vector256.Create(s);
                for (; i + Vector256<T>.Count <= width; i += Vector256<T>.Count)
                    ((Load(xr, i) - vmu) * vs * Load(weight, i) + Load(bias, i)).StoreUnsafe(ref MemoryMarshal.GetReference(yr), (nuint)i);
            }
            for (; i < width; i++) yr[i] = LayerNormMath.Normalised(xr[i], mu, s) * weight[i] + bias[i];
        }
    }

    /// <summary>
    /// Gradients of <see cref="Forward"/> given dy: with x̂ = (x − μ)·rstd and g = dy ⊙ γ,
    /// dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), dweight = Σ_rows dy ⊙ x̂, dbias = Σ_rows dy.
    /// </summary>
    /// <param name="dy">Output gradient [rows, width].</param>
    /// <param name="x">The forward input [rows, width].</param>
    /// <param name="weight">γ [width].</param>
    /// <param name="mean">μ [rows] from the forward pass.</param>
    /// <param name="rstd">rstd [rows] from the forward pass.</param>
    /// <param name="dx">Input gradient [rows, width], overwritten; may be <paramref name="dy"/> itself.</param>
    /// <param name="dweight">dγ [width], overwritten (or added to when <paramref name="accumulate"/>).</param>
    /// <param name="dbias">dβ [width], overwritten (or added to when <paramref name="accumulate"/>).</param>
    /// <param name="rows">Rows.</param>
    /// <param name="width">Width.</param>
    /// <param name="accumulate">Add into dweight and dbias instead of overwriting them.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        Span<T> dx, Span<T> dweight, Span<T> dbias, int rows, int width, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(rows, width);
        Check(dy.Length, (long)rows * width, nameof(dy));
        Check(x.Length, (long)rows * width, nameof(x));
        Check(weight.Length, width, nameof(weight));
        Check(mean.Length, rows, nameof(mean));
        Check(rstd.Length, rows, nameof(rstd));
        Check(dx.Length, (long)rows * width, nameof(dx));
        Check(dweight.Length, width, nameof(dweight));
        Check(dbias.Length, width, nameof(dbias));
        if (!accumulate)
        {
            dweight.Slice(0, width).Clear();
            dbias.Slice(0, width).Clear();
        }
        T n = T.CreateTruncating(width);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> dyr = dy.Slice(r * width, width), xr = x.Slice(r * width, width);
            Span<T> dxr = dx.Slice(r * width, width);
            T mu = mean[r], s = rstd[r];
            // mean(g) and mean(g ⊙ x̂) with g = dy ⊙ γ; dγ += dy ⊙ x̂ and dβ += dy on the way.
            T sumG = T.Zero, sumGXhat = T.Zero;
            int i = 0;
            if (Vectorize<T>())
            {
                Vector256<T> vmu = Vector256.Create(mu), vs = Vector256.Create(s), accG = Vector256<T>.Zero, accGX = Vector256<T>.Zero;
                for (; i + Vector256<T>.Count <= width; i += Vector256<T>.Count)
                {
                    Vector256<T> xhat = (Load(xr, i) - vmu) * vs, d = Load(dyr, i), g = d * Load(weight, i);
                    accG += g;
                    accGX += g * xhat;
                    (Load(dweight, i) + d * xhat).StoreUnsafe(ref MemoryMarshal.GetReference(dweight), (nuint)i);
                    (Load(dbias, i) + d).StoreUnsafe(ref MemoryMarshal.GetReference(dbias), (nuint)i);
                }
                sumG = Vector256.Sum(accG);
                sumGXhat = Vector256.Sum(accGX);
            }
            for (; i < width; i++)
            {
                T xhat = LayerNormMath.Normalised(xr[i], mu, s);
                T g = dyr[i] * weight[i];
                sumG += g;
                sumGXhat += g * xhat;
                dweight[i] += dyr[i] * xhat;
                dbias[i] += dyr[i];
            }
            T meanG = sumG / n, meanGXhat = sumGXhat / n;
            // dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)).
            i = 0;
            if (Vectorize<T>())
            {
                Vector256<T> vmu = Vector256.Create(mu), vs = Vector256.Create(s), vmg = Vector256.Create(meanG), vmgx = Vector256.Create(meanGXhat);
                for (; i + Vector256<T>.Count <= width; i += Vector256<T>.Count)
                {
                    Vector256<T> xhat = (Load(xr, i) - vmu) * vs;
                    (vs * (Load(dyr, i) * Load(weight, i) - vmg - xhat * vmgx)).StoreUnsafe(ref MemoryMarshal.GetReference(dxr), (nuint)i);
                }
            }
            for (; i < width; i++)
                dxr[i] = LayerNormMath.InputGradient(dyr[i], weight[i], LayerNormMath.Normalised(xr[i], mu, s), meanG, meanGXhat, s);
        }
    }

    /// <summary>Σ(x − μ)² over the row.</summary>
    private static T CentredSquares<T>(ReadOnlySpan<T> x, T mu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sq = T.Zero;
        int i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vmu = Vector256.Create(mu), acc = Vector256<T>.Zero;
            for (; i + Vector256<T>.Count <= x.Length; i += Vector256<T>.Count)
            {
                Vector256<T> c = Load(x, i) - vmu;
                acc += c * c;
            }
            sq = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            T c = x[i] - mu;
            sq += c * c;
        }
        return sq;
    }

    private static bool Vectorize<T>() => Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Load<T>(ReadOnlySpan<T> x, int i) => Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i);

    /// <summary>Sets γ to ones and β to zeros (PyTorch's initialisation).</summary>
    public static void Initialize<T>(Span<T> weight, Span<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        weight.Fill(T.One);
        bias.Clear();
    }

    internal static void CheckSizes(int rows, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
    }

    internal static void Check(int length, long required, string name)
    {
        if (length < required) throw new ArgumentException($"Expected at least {required} elements, got {length}.", name);
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The two matrix products a convolution lowers to once its input is unrolled by im2col, written
/// for the shapes convolutions have: few rows (filters or patch elements), long rows (output
/// positions) that are contiguous in memory. Vectorised along the rows with the widest accelerated
/// <see cref="Vector512{T}"/> or <see cref="Vector256{T}"/>, and a scalar loop for the remainder.
/// </summary>
internal static class ConvolutionProducts
{
    /// <summary>Rows computed together, so each load of <c>b</c> feeds four multiply-adds.</summary>
    private const int RowBlock = 4;

    /// <summary>
    /// c[r, 0..cols) = bias[r] (0 when <paramref name="bias"/> is empty) + Σⱼ A(r, j)·b[j, 0..cols),
    /// where A(r, j) = a[r·rowStride + j·colStride] (so A may be read transposed) and b, c are row-major.
    /// </summary>
    public static void MultiplyRows<T>(ReadOnlySpan<T> a, int rowStride, int colStride, int rows, int inner,
        ReadOnlySpan<T> b, int cols, Span<T> c, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c.Length < rows * cols || b.Length < inner * cols || (rows > 0 && inner > 0 && a.Length <= (rows - 1) * rowStride + (inner - 1) * colStride))
            throw new ArgumentException("Spans shorter than the product's shape.");
        if (!bias.IsEmpty && bias.Length < rows) throw new ArgumentException("Bias shorter than the rows.", nameof(bias));
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(c);
        bool hasBias = !bias.IsEmpty;
        int r = 0;
        for (; r + RowBlock <= rows; r += RowBlock)
        {
            ref T a0 = ref Unsafe.Add(ref ra, r * rowStride);
            ref T a1 = ref Unsafe.Add(ref a0, rowStride);
            ref T a2 = ref Unsafe.Add(ref a1, rowStride);
            ref T a3 = ref Unsafe.Add(ref a2, rowStride);
            T b0 = hasBias ? bias[r] : T.Zero, b1 = hasBias ? bias[r + 1] : T.Zero, b2 = hasBias ? bias[r + 2] : T.Zero, b3 = hasBias ? bias[r + 3] : T.Zero;
            ref T c0 = ref Unsafe.Add(ref rc, r * cols);
            ref T c1 = ref Unsafe.Add(ref c0, cols);
            ref T c2 = ref Unsafe.Add(ref c1, cols);
            ref T c3 = ref Unsafe.Add(ref c2, cols);
            int n = 0;
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            {
                for (; n + Vector512<T>.Count <= cols; n += Vector512<T>.Count)
                {
                    Vector512<T> s0 = Vector512.Create(b0), s1 = Vector512.Create(b1), s2 = Vector512.Create(b2), s3 = Vector512.Create(b3);
                    for (int j = 0; j < inner; j++)
                    {
                        Vector512<T> bv = Vector512.LoadUnsafe(ref rb, (nuint)(j * cols + n));
                        int o = j * colStride;
                        s0 += Vector512.Create(Unsafe.Add(ref a0, o)) * bv;
                        s1 += Vector512.Create(Unsafe.Add(ref a1, o)) * bv;
                        s2 += Vector512.Create(Unsafe.Add(ref a2, o)) * bv;
                        s3 += Vector512.Create(Unsafe.Add(ref a3, o)) * bv;
                    }
                    s0.StoreUnsafe(ref c0, (nuint)n);
                    s1.StoreUnsafe(ref c1, (nuint)n);
                    s2.StoreUnsafe(ref c2, (nuint)n);
                    s3.StoreUnsafe(ref c3, (nuint)n);
                }
            }
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                for (; n + Vector256<T>.Count <= cols; n += Vector256<T>.Count)
                {
                    Vector256<T> s0 = Vector256.Create(b0), s1 = Vector256.Create(b1), s2 = Vector256.Create(b2), s3 = Vector256.Create(b3);
                    for (int j = 0; j < inner; j++)
                    {
                        Vector256<T> bv = Vector256.LoadUnsafe(ref rb, (nuint)(j * cols + n));
                        int o = j * colStride;
                        s0 += Vector256.Create(Unsafe.Add(ref a0, o)) * bv;
                        s1 += Vector256.Create(Unsafe.Add(ref a1, o)) * bv;
                        s2 += Vector256.Create(Unsafe.Add(ref a2, o)) * bv;
                        s3 += Vector256.Create(Unsafe.Add(ref a3, o)) * bv;
                    }
                    s0.StoreUnsafe(ref c0, (nuint)n);
                    s1.StoreUnsafe(ref c1, (nuint)n);
                    s2.StoreUnsafe(ref c2, (nuint)n);
                    s3.StoreUnsafe(ref c3, (nuint)n);
                }
            }
            for (; n < cols; n++)
            {
                T s0 = b0, s1 = b1, s2 = b2, s3 = b3;
                for (int j = 0; j < inner; j++)
                {
                    T bv = Unsafe.Add(ref rb, j * cols + n);
                    int o = j * colStride;
                    s0 += Unsafe.Add(ref a0, o) * bv;
                    s1 += Unsafe.Add(ref a1, o) * bv;
                    s2 += Unsafe.Add(ref a2, o) * bv;
                    s3 += Unsafe.Add(ref a3, o) * bv;
                }
                Unsafe.Add(ref c0, n) = s0;
                Unsafe.Add(ref c1, n) = s1;
                Unsafe.Add(ref c2, n) = s2;
                Unsafe.Add(ref c3, n) = s3;
            }
        }
        for (; r < rows; r++)
        {
            ref T a0 = ref Unsafe.Add(ref ra, r * rowStride);
            T b0 = hasBias ? bias[r] : T.Zero;
            ref T c0 = ref Unsafe.Add(ref rc, r * cols);
            int n = 0;
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            {
                for (; n + Vector512<T>.Count <= cols; n += Vector512<T>.Count)
                {
                    Vector512<T> s0 = Vector512.Create(b0);
                    for (int j = 0; j < inner; j++)
                        s0 += Vector512.Create(Unsafe.Add(ref a0, j * colStride)) * Vector512.LoadUnsafe(ref rb, (nuint)(j * cols + n));
                    s0.StoreUnsafe(ref c0, (nuint)n);
                }
            }
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                for (; n + Vector256<T>.Count <= cols; n += Vector256<T>.Count)
                {
                    Vector256<T> s0 = Vector256.Create(b0);
                    for (int j = 0; j < inner; j++)
                        s0 += Vector256.Create(Unsafe.Add(ref a0, j * colStride)) * Vector256.LoadUnsafe(ref rb, (nuint)(j * cols + n));
                    s0.StoreUnsafe(ref c0, (nuint)n);
                }
            }
            for (; n < cols; n++)
            {
                T s0 = b0;
                for (int j = 0; j < inner; j++) s0 += Unsafe.Add(ref a0, j * colStride) * Unsafe.Add(ref rb, j * cols + n);
                Unsafe.Add(ref c0, n) = s0;
            }
        }
    }

    /// <summary>
    /// c[i, k] += Σₙ a[i, n]·b[k, n] over rows of length <paramref name="length"/> (c += a·bᵀ, all
    /// row-major): the dot product of every row of a with every row of b.
    /// </summary>
    public static void AccumulateRowDots<T>(ReadOnlySpan<T> a, int rowsA, ReadOnlySpan<T> b, int rowsB, int length, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < rowsA * length || b.Length < rowsB * length || c.Length < rowsA * rowsB) throw new ArgumentException("Spans shorter than the product's shape.");
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        for (int i = 0; i < rowsA; i++)
        {
            ref T ai = ref Unsafe.Add(ref ra, i * length);
            Span<T> ci = c.Slice(i * rowsB, rowsB);
            int k = 0;
            for (; k + RowBlock <= rowsB; k += RowBlock)
            {
                ref T b0 = ref Unsafe.Add(ref rb, k * length);
                ref T b1 = ref Unsafe.Add(ref b0, length);
                ref T b2 = ref Unsafe.Add(ref b1, length);
                ref T b3 = ref Unsafe.Add(ref b2, length);
                T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                int n = 0;
                if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
                {
                    Vector512<T> v0 = Vector512<T>.Zero, v1 = Vector512<T>.Zero, v2 = Vector512<T>.Zero, v3 = Vector512<T>.Zero;
                    for (; n + Vector512<T>.Count <= length; n += Vector512<T>.Count)
                    {
                        Vector512<T> av = Vector512.LoadUnsafe(ref ai, (nuint)n);
                        v0 += av * Vector512.LoadUnsafe(ref b0, (nuint)n);
                        v1 += av * Vector512.LoadUnsafe(ref b1, (nuint)n);
                        v2 += av * Vector512.LoadUnsafe(ref b2, (nuint)n);
                        v3 += av * Vector512.LoadUnsafe(ref b3, (nuint)n);
                    }
                    s0 = Vector512.Sum(v0); s1 = Vector512.Sum(v1); s2 = Vector512.Sum(v2); s3 = Vector512.Sum(v3);
                }
                else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
                {
                    Vector256<T> v0 = Vector256<T>.Zero, v1 = Vector256<T>.Zero, v2 = Vector256<T>.Zero, v3 = Vector256<T>.Zero;
                    for (; n + Vector256<T>.Count <= length; n += Vector256<T>.Count)
                    {
                        Vector256<T> av = Vector256.LoadUnsafe(ref ai, (nuint)n);
                        v0 += av * Vector256.LoadUnsafe(ref b0, (nuint)n);
                        v1 += av * Vector256.LoadUnsafe(ref b1, (nuint)n);
                        v2 += av * Vector256.LoadUnsafe(ref b2, (nuint)n);
                        v3 += av * Vector256.LoadUnsafe(ref b3, (nuint)n);
                    }
                    s0 = Vector256.Sum(v0); s1 = Vector256.Sum(v1); s2 = Vector256.Sum(v2); s3 = Vector256.Sum(v3);
                }
                for (; n < length; n++)
                {
                    T av = Unsafe.Add(ref ai, n);
                    s0 += av * Unsafe.Add(ref b0, n);
                    s1 += av * Unsafe.Add(ref b1, n);
                    s2 += av * Unsafe.Add(ref b2, n);
                    s3 += av * Unsafe.Add(ref b3, n);
                }
                ci[k] += s0;
                ci[k + 1] += s1;
                ci[k + 2] += s2;
                ci[k + 3] += s3;
            }
            for (; k < rowsB; k++) ci[k] += Dot(ref ai, ref Unsafe.Add(ref rb, k * length), length);
        }
    }

    /// <summary>Σᵢ x[i] (the bias gradient of one filter over one sample's positions).</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        T s = T.Zero;
        int n = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && x.Length >= Vector256<T>.Count)
        {
            Vector256<T> v = Vector256<T>.Zero;
            for (; n + Vector256<T>.Count <= x.Length; n += Vector256<T>.Count) v += Vector256.LoadUnsafe(ref rx, (nuint)n);
            s = Vector256.Sum(v);
        }
        for (; n < x.Length; n++) s += Unsafe.Add(ref rx, n);
        return s;
    }

    private static T Dot<T>(ref T x, ref T y, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        int n = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
        {
            Vector256<T> v = Vector256<T>.Zero;
            for (; n + Vector256<T>.Count <= length; n += Vector256<T>.Count)
                v += Vector256.LoadUnsafe(ref x, (nuint)n) * Vector256.LoadUnsafe(ref y, (nuint)n);
            s = Vector256.Sum(v);
        }
        for (; n < length; n++) s += Unsafe.Add(ref x, n) * Unsafe.Add(ref y, n);
        return s;
    }
}

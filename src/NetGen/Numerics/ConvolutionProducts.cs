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
    /// where A(r, j) = a[r·rowStride + j·colStride] (so A may be read transposed), row j of b starts
    /// at j·<paramref name="bStride"/> and row r of c at r·<paramref name="cStride"/> (so both may be
    /// column ranges of wider matrices). Each c[r, n] is one fixed sequence of operations (from the
    /// bias, j in order) whether it lands in a vector lane or the scalar remainder.
    /// </summary>
    public static void MultiplyRows<T>(ReadOnlySpan<T> a, int rowStride, int colStride, int rows, int inner,
        ReadOnlySpan<T> b, int bStride, int cols, Span<T> c, int cStride, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows <= 0 || cols <= 0) return;
        if (c.Length < (rows - 1) * cStride + cols || (inner > 0 && b.Length < (inner - 1) * bStride + cols)
            || (inner > 0 && a.Length <= (rows - 1) * rowStride + (inner - 1) * colStride))
            throw new ArgumentException("Spans shorter than the product's shape.");
        if (!bias.IsEmpty && bias.Length < rows) throw new ArgumentException("Bias shorter than the rows.", nameof(bias));
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(c);
        bool hasBias = !bias.IsEmpty;
        for (int r = 0; r < rows; r += RowBlock)
        {
            // A last block with fewer rows repeats its last row: the copies compute the same values
            // and store them to the same place, so every block keeps four independent sums.
            int r1 = Math.Min(r + 1, rows - 1), r2 = Math.Min(r + 2, rows - 1), r3 = Math.Min(r + 3, rows - 1);
            ref T a0 = ref Unsafe.Add(ref ra, r * rowStride);
            ref T a1 = ref Unsafe.Add(ref ra, r1 * rowStride);
            ref T a2 = ref Unsafe.Add(ref ra, r2 * rowStride);
            ref T a3 = ref Unsafe.Add(ref ra, r3 * rowStride);
            T b0 = hasBias ? bias[r] : T.Zero, b1 = hasBias ? bias[r1] : T.Zero, b2 = hasBias ? bias[r2] : T.Zero, b3 = hasBias ? bias[r3] : T.Zero;
            ref T c0 = ref Unsafe.Add(ref rc, r * cStride);
            ref T c1 = ref Unsafe.Add(ref rc, r1 * cStride);
            ref T c2 = ref Unsafe.Add(ref rc, r2 * cStride);
            ref T c3 = ref Unsafe.Add(ref rc, r3 * cStride);
            int n = 0;
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            {
                // Two vectors per row: eight independent sums hide the latency of the additions.
                int width = Vector512<T>.Count;
                for (; n + 2 * width <= cols; n += 2 * width)
                {
                    Vector512<T> s0 = Vector512.Create(b0), s1 = Vector512.Create(b1), s2 = Vector512.Create(b2), s3 = Vector512.Create(b3);
                    Vector512<T> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                    for (int j = 0; j < inner; j++)
                    {
                        nuint at = (nuint)(j * bStride + n);
                        Vector512<T> u = Vector512.LoadUnsafe(ref rb, at), v = Vector512.LoadUnsafe(ref rb, at + (nuint)width);
                        int o = j * colStride;
                        Vector512<T> w0 = Vector512.Create(Unsafe.Add(ref a0, o)), w1 = Vector512.Create(Unsafe.Add(ref a1, o));
                        Vector512<T> w2 = Vector512.Create(Unsafe.Add(ref a2, o)), w3 = Vector512.Create(Unsafe.Add(ref a3, o));
                        s0 = Simd.MultiplyAdd(w0, u, s0); t0 = Simd.MultiplyAdd(w0, v, t0);
                        s1 = Simd.MultiplyAdd(w1, u, s1); t1 = Simd.MultiplyAdd(w1, v, t1);
                        s2 = Simd.MultiplyAdd(w2, u, s2); t2 = Simd.MultiplyAdd(w2, v, t2);
                        s3 = Simd.MultiplyAdd(w3, u, s3); t3 = Simd.MultiplyAdd(w3, v, t3);
                    }
                    s0.StoreUnsafe(ref c0, (nuint)n); t0.StoreUnsafe(ref c0, (nuint)(n + width));
                    s1.StoreUnsafe(ref c1, (nuint)n); t1.StoreUnsafe(ref c1, (nuint)(n + width));
                    s2.StoreUnsafe(ref c2, (nuint)n); t2.StoreUnsafe(ref c2, (nuint)(n + width));
                    s3.StoreUnsafe(ref c3, (nuint)n); t3.StoreUnsafe(ref c3, (nuint)(n + width));
                }
                // One vector at a time; the last one overlaps the previous (recomputing a few
                // columns with the same result) rather than leaving a scalar remainder.
                for (; n < cols && cols >= width; n += width)
                {
                    if (n > cols - width) n = cols - width;
                    Vector512<T> s0 = Vector512.Create(b0), s1 = Vector512.Create(b1), s2 = Vector512.Create(b2), s3 = Vector512.Create(b3);
                    for (int j = 0; j < inner; j++)
                    {
                        Vector512<T> u = Vector512.LoadUnsafe(ref rb, (nuint)(j * bStride + n));
                        int o = j * colStride;
                        s0 = Simd.MultiplyAdd(Vector512.Create(Unsafe.Add(ref a0, o)), u, s0);
                        s1 = Simd.MultiplyAdd(Vector512.Create(Unsafe.Add(ref a1, o)), u, s1);
                        s2 = Simd.MultiplyAdd(Vector512.Create(Unsafe.Add(ref a2, o)), u, s2);
                        s3 = Simd.MultiplyAdd(Vector512.Create(Unsafe.Add(ref a3, o)), u, s3);
                    }
                    s0.StoreUnsafe(ref c0, (nuint)n);
                    s1.StoreUnsafe(ref c1, (nuint)n);
                    s2.StoreUnsafe(ref c2, (nuint)n);
                    s3.StoreUnsafe(ref c3, (nuint)n);
                }
            }
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                int width = Vector256<T>.Count;
                for (; n + 2 * width <= cols; n += 2 * width)
                {
                    Vector256<T> s0 = Vector256.Create(b0), s1 = Vector256.Create(b1), s2 = Vector256.Create(b2), s3 = Vector256.Create(b3);
                    Vector256<T> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                    for (int j = 0; j < inner; j++)
                    {
                        nuint at = (nuint)(j * bStride + n);
                        Vector256<T> u = Vector256.LoadUnsafe(ref rb, at), v = Vector256.LoadUnsafe(ref rb, at + (nuint)width);
                        int o = j * colStride;
                        Vector256<T> w0 = Vector256.Create(Unsafe.Add(ref a0, o)), w1 = Vector256.Create(Unsafe.Add(ref a1, o));
                        Vector256<T> w2 = Vector256.Create(Unsafe.Add(ref a2, o)), w3 = Vector256.Create(Unsafe.Add(ref a3, o));
                        s0 = Simd.MultiplyAdd(w0, u, s0); t0 = Simd.MultiplyAdd(w0, v, t0);
                        s1 = Simd.MultiplyAdd(w1, u, s1); t1 = Simd.MultiplyAdd(w1, v, t1);
                        s2 = Simd.MultiplyAdd(w2, u, s2); t2 = Simd.MultiplyAdd(w2, v, t2);
                        s3 = Simd.MultiplyAdd(w3, u, s3); t3 = Simd.MultiplyAdd(w3, v, t3);
                    }
                    s0.StoreUnsafe(ref c0, (nuint)n); t0.StoreUnsafe(ref c0, (nuint)(n + width));
                    s1.StoreUnsafe(ref c1, (nuint)n); t1.StoreUnsafe(ref c1, (nuint)(n + width));
                    s2.StoreUnsafe(ref c2, (nuint)n); t2.StoreUnsafe(ref c2, (nuint)(n + width));
                    s3.StoreUnsafe(ref c3, (nuint)n); t3.StoreUnsafe(ref c3, (nuint)(n + width));
                }
                // One vector at a time; the last one overlaps the previous (recomputing a few
                // columns with the same result) rather than leaving a scalar remainder.
                for (; n < cols && cols >= width; n += width)
                {
                    if (n > cols - width) n = cols - width;
                    Vector256<T> s0 = Vector256.Create(b0), s1 = Vector256.Create(b1), s2 = Vector256.Create(b2), s3 = Vector256.Create(b3);
                    for (int j = 0; j < inner; j++)
                    {
                        Vector256<T> u = Vector256.LoadUnsafe(ref rb, (nuint)(j * bStride + n));
                        int o = j * colStride;
                        s0 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref a0, o)), u, s0);
                        s1 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref a1, o)), u, s1);
                        s2 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref a2, o)), u, s2);
                        s3 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref a3, o)), u, s3);
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
                    T u = Unsafe.Add(ref rb, j * bStride + n);
                    int o = j * colStride;
                    s0 = Simd.MultiplyAdd(Unsafe.Add(ref a0, o), u, s0);
                    s1 = Simd.MultiplyAdd(Unsafe.Add(ref a1, o), u, s1);
                    s2 = Simd.MultiplyAdd(Unsafe.Add(ref a2, o), u, s2);
                    s3 = Simd.MultiplyAdd(Unsafe.Add(ref a3, o), u, s3);
                }
                Unsafe.Add(ref c0, n) = s0;
                Unsafe.Add(ref c1, n) = s1;
                Unsafe.Add(ref c2, n) = s2;
                Unsafe.Add(ref c3, n) = s3;
            }
        }
    }

    /// <summary>
    /// c[i, k] += Σₙ a[i, n]·b[k, n] over rows of length <paramref name="length"/> (c += a·bᵀ, a and b
    /// row-major, row i of c starting at i·<paramref name="cStride"/>): the dot product of every row
    /// of a with every row of b.
    /// </summary>
    public static void AccumulateRowDots<T>(ReadOnlySpan<T> a, int rowsA, ReadOnlySpan<T> b, int rowsB, int length, Span<T> c, int cStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rowsA <= 0 || rowsB <= 0) return;
        if (a.Length < rowsA * length || b.Length < rowsB * length || c.Length < (rowsA - 1) * cStride + rowsB) throw new ArgumentException("Spans shorter than the product's shape.");
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            AccumulateRowDots512(ref ra, rowsA, ref rb, rowsB, length, c, cStride);
            return;
        }
        for (int i = 0; i < rowsA; i++)
        {
            ref T ai = ref Unsafe.Add(ref ra, i * length);
            Span<T> ci = c.Slice(i * cStride, rowsB);
            for (int k = 0; k < rowsB; k += RowBlock)
            {
                // A last block with fewer rows repeats its last row, computed but not added twice.
                int live = Math.Min(RowBlock, rowsB - k);
                ref T b0 = ref Unsafe.Add(ref rb, k * length);
                ref T b1 = ref Unsafe.Add(ref rb, Math.Min(k + 1, rowsB - 1) * length);
                ref T b2 = ref Unsafe.Add(ref rb, Math.Min(k + 2, rowsB - 1) * length);
                ref T b3 = ref Unsafe.Add(ref rb, Math.Min(k + 3, rowsB - 1) * length);
                T s0, s1, s2, s3;
                if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
                    Dots512(ref ai, ref b0, ref b1, ref b2, ref b3, length, out s0, out s1, out s2, out s3);
                else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
                    Dots256(ref ai, ref b0, ref b1, ref b2, ref b3, length, out s0, out s1, out s2, out s3);
                else
                {
                    s0 = s1 = s2 = s3 = T.Zero;
                    for (int n = 0; n < length; n++)
                    {
                        T av = Unsafe.Add(ref ai, n);
                        s0 = Simd.MultiplyAdd(av, Unsafe.Add(ref b0, n), s0);
                        s1 = Simd.MultiplyAdd(av, Unsafe.Add(ref b1, n), s1);
                        s2 = Simd.MultiplyAdd(av, Unsafe.Add(ref b2, n), s2);
                        s3 = Simd.MultiplyAdd(av, Unsafe.Add(ref b3, n), s3);
                    }
                }
                ci[k] += s0;
                if (live > 1) ci[k + 1] += s1;
                if (live > 2) ci[k + 2] += s2;
                if (live > 3) ci[k + 3] += s3;
            }
        }
    }

    /// <summary>
    /// <see cref="AccumulateRowDots{T}"/> in blocks of 4 rows of a × 4 rows of b: sixteen dot products
    /// share each load (8 loads feed 16 multiply-adds) and are reduced together by one transposing
    /// sum. Short blocks repeat their last row; the copies are computed but not added. Every element
    /// takes the same path (vector FMA chain, masked last vector, the same reduction), whichever
    /// block it falls in.
    /// </summary>
    private static void AccumulateRowDots512<T>(ref T ra, int rowsA, ref T rb, int rowsB, int length, Span<T> c, int cStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        int tail = length % width;
        // Lanes of the last (overlapping) vector that the full vectors have not counted yet.
        Vector512<T> fresh = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(tail == 0 ? width : width - tail)));
        ref T rc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < rowsA; i += RowBlock)
        {
            int liveA = Math.Min(RowBlock, rowsA - i);
            ref T a0 = ref Unsafe.Add(ref ra, i * length);
            ref T a1 = ref Unsafe.Add(ref ra, Math.Min(i + 1, rowsA - 1) * length);
            ref T a2 = ref Unsafe.Add(ref ra, Math.Min(i + 2, rowsA - 1) * length);
            ref T a3 = ref Unsafe.Add(ref ra, Math.Min(i + 3, rowsA - 1) * length);
            for (int k = 0; k < rowsB; k += RowBlock)
            {
                int liveB = Math.Min(RowBlock, rowsB - k);
                ref T b0 = ref Unsafe.Add(ref rb, k * length);
                ref T b1 = ref Unsafe.Add(ref rb, Math.Min(k + 1, rowsB - 1) * length);
                ref T b2 = ref Unsafe.Add(ref rb, Math.Min(k + 2, rowsB - 1) * length);
                ref T b3 = ref Unsafe.Add(ref rb, Math.Min(k + 3, rowsB - 1) * length);
                Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default;
                Vector512<T> s10 = default, s11 = default, s12 = default, s13 = default;
                Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default;
                Vector512<T> s30 = default, s31 = default, s32 = default, s33 = default;
                int n = 0;
                for (; n + width <= length; n += width)
                {
                    Vector512<T> u0 = Vector512.LoadUnsafe(ref b0, (nuint)n), u1 = Vector512.LoadUnsafe(ref b1, (nuint)n);
                    Vector512<T> u2 = Vector512.LoadUnsafe(ref b2, (nuint)n), u3 = Vector512.LoadUnsafe(ref b3, (nuint)n);
                    Vector512<T> v = Vector512.LoadUnsafe(ref a0, (nuint)n);
                    s00 = Simd.MultiplyAdd(v, u0, s00); s01 = Simd.MultiplyAdd(v, u1, s01); s02 = Simd.MultiplyAdd(v, u2, s02); s03 = Simd.MultiplyAdd(v, u3, s03);
                    v = Vector512.LoadUnsafe(ref a1, (nuint)n);
                    s10 = Simd.MultiplyAdd(v, u0, s10); s11 = Simd.MultiplyAdd(v, u1, s11); s12 = Simd.MultiplyAdd(v, u2, s12); s13 = Simd.MultiplyAdd(v, u3, s13);
                    v = Vector512.LoadUnsafe(ref a2, (nuint)n);
                    s20 = Simd.MultiplyAdd(v, u0, s20); s21 = Simd.MultiplyAdd(v, u1, s21); s22 = Simd.MultiplyAdd(v, u2, s22); s23 = Simd.MultiplyAdd(v, u3, s23);
                    v = Vector512.LoadUnsafe(ref a3, (nuint)n);
                    s30 = Simd.MultiplyAdd(v, u0, s30); s31 = Simd.MultiplyAdd(v, u1, s31); s32 = Simd.MultiplyAdd(v, u2, s32); s33 = Simd.MultiplyAdd(v, u3, s33);
                }
                if (n < length)
                {
                    // The last vector overlaps the previous one; counted lanes keep their sums (selected,
                    // not masked to 0·x, so an infinity there cannot turn into NaN).
                    nuint at = (nuint)(length - width);
                    Vector512<T> u0 = Vector512.LoadUnsafe(ref b0, at), u1 = Vector512.LoadUnsafe(ref b1, at);
                    Vector512<T> u2 = Vector512.LoadUnsafe(ref b2, at), u3 = Vector512.LoadUnsafe(ref b3, at);
                    Vector512<T> v = Vector512.LoadUnsafe(ref a0, at);
                    s00 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u0, s00), s00); s01 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u1, s01), s01);
                    s02 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u2, s02), s02); s03 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u3, s03), s03);
                    v = Vector512.LoadUnsafe(ref a1, at);
                    s10 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u0, s10), s10); s11 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u1, s11), s11);
                    s12 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u2, s12), s12); s13 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u3, s13), s13);
                    v = Vector512.LoadUnsafe(ref a2, at);
                    s20 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u0, s20), s20); s21 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u1, s21), s21);
                    s22 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u2, s22), s22); s23 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u3, s23), s23);
                    v = Vector512.LoadUnsafe(ref a3, at);
                    s30 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u0, s30), s30); s31 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u1, s31), s31);
                    s32 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u2, s32), s32); s33 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(v, u3, s33), s33);
                }
                AddSums(ref Unsafe.Add(ref rc, i * cStride + k), liveB, s00, s01, s02, s03);
                if (liveA > 1) AddSums(ref Unsafe.Add(ref rc, (i + 1) * cStride + k), liveB, s10, s11, s12, s13);
                if (liveA > 2) AddSums(ref Unsafe.Add(ref rc, (i + 2) * cStride + k), liveB, s20, s21, s22, s23);
                if (liveA > 3) AddSums(ref Unsafe.Add(ref rc, (i + 3) * cStride + k), liveB, s30, s31, s32, s33);
            }
        }
    }

    /// <summary>c[0..live) += the lane sums of the first <paramref name="live"/> vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSums<T>(ref T c, int live, Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Simd512<T>.Sum4(v0, v1, v2, v3, out T s0, out T s1, out T s2, out T s3);
        c += s0;
        if (live > 1) Unsafe.Add(ref c, 1) += s1;
        if (live > 2) Unsafe.Add(ref c, 2) += s2;
        if (live > 3) Unsafe.Add(ref c, 3) += s3;
    }

    /// <summary>Four dot products sharing one row of a; the remainder is one last vector, its already-counted lanes masked off.</summary>
    private static void Dots512<T>(ref T a, ref T b0, ref T b1, ref T b2, ref T b3, int length, out T s0, out T s1, out T s2, out T s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count, n = 0;
        Vector512<T> v0 = Vector512<T>.Zero, v1 = Vector512<T>.Zero, v2 = Vector512<T>.Zero, v3 = Vector512<T>.Zero;
        for (; n + width <= length; n += width)
        {
            Vector512<T> av = Vector512.LoadUnsafe(ref a, (nuint)n);
            v0 = Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b0, (nuint)n), v0);
            v1 = Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b1, (nuint)n), v1);
            v2 = Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b2, (nuint)n), v2);
            v3 = Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b3, (nuint)n), v3);
        }
        if (n < length)
        {
            nuint at = (nuint)(length - width);
            // Lanes below width − remainder were counted by the loop above.
            Vector512<T> fresh = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(width - (length - n))));
            Vector512<T> av = Vector512.LoadUnsafe(ref a, at);
            // Counted lanes keep their sums (selected, not masked to 0·x), so an infinity there cannot turn into NaN.
            v0 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b0, at), v0), v0);
            v1 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b1, at), v1), v1);
            v2 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b2, at), v2), v2);
            v3 = Vector512.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector512.LoadUnsafe(ref b3, at), v3), v3);
        }
        s0 = Vector512.Sum(v0); s1 = Vector512.Sum(v1); s2 = Vector512.Sum(v2); s3 = Vector512.Sum(v3);
    }

    /// <summary>As <see cref="Dots512{T}"/>, with 256-bit vectors.</summary>
    private static void Dots256<T>(ref T a, ref T b0, ref T b1, ref T b2, ref T b3, int length, out T s0, out T s1, out T s2, out T s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count, n = 0;
        Vector256<T> v0 = Vector256<T>.Zero, v1 = Vector256<T>.Zero, v2 = Vector256<T>.Zero, v3 = Vector256<T>.Zero;
        for (; n + width <= length; n += width)
        {
            Vector256<T> av = Vector256.LoadUnsafe(ref a, (nuint)n);
            v0 = Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b0, (nuint)n), v0);
            v1 = Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b1, (nuint)n), v1);
            v2 = Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b2, (nuint)n), v2);
            v3 = Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b3, (nuint)n), v3);
        }
        if (n < length)
        {
            nuint at = (nuint)(length - width);
            Vector256<T> fresh = Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(width - (length - n))));
            Vector256<T> av = Vector256.LoadUnsafe(ref a, at);
            // Counted lanes keep their sums (selected, not masked to 0·x), so an infinity there cannot turn into NaN.
            v0 = Vector256.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b0, at), v0), v0);
            v1 = Vector256.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b1, at), v1), v1);
            v2 = Vector256.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b2, at), v2), v2);
            v3 = Vector256.ConditionalSelect(fresh, Simd.MultiplyAdd(av, Vector256.LoadUnsafe(ref b3, at), v3), v3);
        }
        s0 = Vector256.Sum(v0); s1 = Vector256.Sum(v1); s2 = Vector256.Sum(v2); s3 = Vector256.Sum(v3);
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
}

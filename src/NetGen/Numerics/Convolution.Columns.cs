using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// im2col and col2im: a sample unrolled into patch columns for the products, and folded back for the input gradient.
public static unsafe partial class Convolution
{
    /// <summary>
    /// im2col: cols[(c·k + ky)·k + kx, oy·outW + ox] = x[c, oy·s + ky − p, ox·s + kx − p], or 0 in the padding.
    /// </summary>
    public static void Unroll<T>(ReadOnlySpan<T> x, Span<T> cols, in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
        => Unroll(x, cols, shape, 0, shape.PatchSize, 0, shape.OutHeight);

    /// <summary>im2col for patch rows [r0, r1) and output rows [oy0, oy1) only; the rest of cols is left as it is.</summary>
    private static void Unroll<T>(ReadOnlySpan<T> x, Span<T> cols, in Conv2DShape shape, int r0, int r1, int oy0, int oy1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < shape.InputSize || cols.Length < shape.ColumnsSize) throw new ArgumentException("Spans shorter than the convolution's shape.");
        int k = shape.KernelSize, s = shape.Stride, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rc = ref MemoryMarshal.GetReference(cols);
        if (s == 1 && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && ow >= Vector256<T>.Count)
        {
            UnrollStride1(ref rx, ref rc, shape, r0, r1, oy0, oy1);
            return;
        }
        for (int r = r0; r < r1; r++)
        {
            int c = r / (k * k), ky = r / k % k, kx = r % k;
            ref T row = ref Unsafe.Add(ref rc, r * shape.Positions);
            // The output columns whose input column ox·s + kx − p lies inside the image: [first, end).
            int first = FirstInside(kx - p, s), end = EndInside(kx - p, s, w, ow);
            for (int oy = oy0; oy < oy1; oy++)
            {
                Span<T> dst = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref row, oy * ow), ow);
                int iy = oy * s + ky - p;
                if ((uint)iy >= (uint)h || first >= end)
                {
                    dst.Clear();
                    continue;
                }
                if (first > 0) dst.Slice(0, first).Clear();
                if (end < ow) dst.Slice(end).Clear();
                ref T src = ref Unsafe.Add(ref rx, (c * h + iy) * w + first * s + kx - p);
                if (s == 1) CopyRow(ref src, ref dst[first], end - first);
                else for (int ox = first, ix = 0; ox < end; ox++, ix += s) dst[ox] = Unsafe.Add(ref src, ix);
            }
        }
    }

    /// <summary>
    /// The stride-1 im2col with rows at least one vector wide, written without calls: each output row
    /// is zeros, a copy, or zeros around a copy, stored a vector at a time with the last vector
    /// overlapping the one before (rows are 10 to 30 values, so per-row overhead is what costs).
    /// </summary>
    private static void UnrollStride1<T>(ref T rx, ref T rc, in Conv2DShape shape, int r0, int r1, int oy0, int oy1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = shape.KernelSize, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, positions = shape.Positions;
        int width = Vector256<T>.Count;
        for (int r = r0; r < r1; r++)
        {
            int c = r / (k * k), ky = r / k % k, kx = r % k;
            ref T row = ref Unsafe.Add(ref rc, r * positions);
            int first = FirstInside(kx - p, 1), end = EndInside(kx - p, 1, w, ow);
            bool whole = first == 0 && end == ow;
            for (int oy = oy0; oy < oy1; oy++)
            {
                ref T dst = ref Unsafe.Add(ref row, oy * ow);
                int iy = oy + ky - p;
                if ((uint)iy >= (uint)h || first >= end)
                {
                    ZeroRow(ref dst, ow, width);
                    continue;
                }
                ref T src = ref Unsafe.Add(ref rx, (c * h + iy) * w + kx - p);
                if (whole)
                {
                    CopyShort(ref src, ref dst, ow);
                    continue;
                }
                // Zeros in the padding columns (a few), the inside part a vector at a time where it is one wide.
                for (int ox = 0; ox < first; ox++) Unsafe.Add(ref dst, ox) = T.Zero;
                for (int ox = end; ox < ow; ox++) Unsafe.Add(ref dst, ox) = T.Zero;
                int length = end - first;
                if (length >= width) CopyShort(ref Unsafe.Add(ref src, first), ref Unsafe.Add(ref dst, first), length);
                else for (int ox = first; ox < end; ox++) Unsafe.Add(ref dst, ox) = Unsafe.Add(ref src, ox);
            }
        }
    }

    /// <summary>dst[0..length) = src[0..length), length ≥ one 256-bit vector: the widest vectors that fit, the last one overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(ref T src, ref T dst, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            int wide = Vector512<T>.Count;
            for (int n = 0; n < length - wide; n += wide) Vector512.LoadUnsafe(ref src, (nuint)n).StoreUnsafe(ref dst, (nuint)n);
            Vector512.LoadUnsafe(ref src, (nuint)(length - wide)).StoreUnsafe(ref dst, (nuint)(length - wide));
            return;
        }
        int width = Vector256<T>.Count;
        for (int n = 0; n < length - width; n += width) Vector256.LoadUnsafe(ref src, (nuint)n).StoreUnsafe(ref dst, (nuint)n);
        Vector256.LoadUnsafe(ref src, (nuint)(length - width)).StoreUnsafe(ref dst, (nuint)(length - width));
    }

    /// <summary>dst[0..length) = 0, length ≥ one vector, the last vector overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroRow<T>(ref T dst, int length, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            int wide = Vector512<T>.Count;
            for (int n = 0; n < length - wide; n += wide) Vector512<T>.Zero.StoreUnsafe(ref dst, (nuint)n);
            Vector512<T>.Zero.StoreUnsafe(ref dst, (nuint)(length - wide));
            return;
        }
        for (int n = 0; n < length - width; n += width) Vector256<T>.Zero.StoreUnsafe(ref dst, (nuint)n);
        Vector256<T>.Zero.StoreUnsafe(ref dst, (nuint)(length - width));
    }

    /// <summary>col2im, the adjoint of <see cref="Unroll{T}(ReadOnlySpan{T}, Span{T}, in Conv2DShape)"/>: dx[c, iy, ix] = Σ of dcols over every (patch element, position) that read it. Overwrites dx.</summary>
    public static void Fold<T>(ReadOnlySpan<T> cols, Span<T> dx, in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
        => Fold(cols, dx, shape, 0, shape.Channels);

    /// <summary>col2im onto channels [c0, c1) only (from their patch rows); overwrites those planes of dx.</summary>
    private static void Fold<T>(ReadOnlySpan<T> cols, Span<T> dx, in Conv2DShape shape, int c0, int c1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.Length < shape.InputSize || cols.Length < shape.ColumnsSize) throw new ArgumentException("Spans shorter than the convolution's shape.");
        int k = shape.KernelSize, s = shape.Stride, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        if (s == 1 && Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && w <= Vector512<T>.Count)
        {
            FoldNarrow(cols, dx, shape, c0, c1);
            return;
        }
        dx.Slice(c0 * h * w, (c1 - c0) * h * w).Clear();
        ref T rx = ref MemoryMarshal.GetReference(dx);
        ref T rc = ref MemoryMarshal.GetReference(cols);
        for (int c = c0; c < c1; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                {
                    ref T row = ref Unsafe.Add(ref rc, ((c * k + ky) * k + kx) * shape.Positions);
                    int first = FirstInside(kx - p, s), end = EndInside(kx - p, s, w, ow);
                    if (first >= end) continue;
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * s + ky - p;
                        if ((uint)iy >= (uint)h) continue;
                        ref T src = ref Unsafe.Add(ref row, oy * ow + first);
                        ref T dst = ref Unsafe.Add(ref rx, (c * h + iy) * w + first * s + kx - p);
                        if (s == 1) AddRow(ref src, ref dst, end - first);
                        else for (int ox = 0, ix = 0; ox < end - first; ox++, ix += s) Unsafe.Add(ref dst, ix) += Unsafe.Add(ref src, ox);
                    }
                }
    }

    /// <summary>
    /// col2im for stride 1 and image rows no wider than a vector: each row of dx is summed in one
    /// register from the (ky, kx) rows of dcols that reach it, each shifted into place by loading it
    /// kx − p values early and keeping only the lanes that belong to the row. The contributions are
    /// added in the order of the general loop, from zero, so the sums are the same; dx is written once.
    /// </summary>
    private static unsafe void FoldNarrow<T>(ReadOnlySpan<T> cols, Span<T> dx, in Conv2DShape shape, int c0, int c1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = shape.KernelSize, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight, positions = shape.Positions;
        int width = Vector512<T>.Count, length = cols.Length;
        ref T rc = ref MemoryMarshal.GetReference(cols);
        ref T rx = ref MemoryMarshal.GetReference(dx);
        Vector512<T> lane = Vector512<T>.Indices;
        Vector512<T> inRow = Vector512.LessThan(lane, Vector512.Create(T.CreateTruncating(w)));
        // The lanes each kernel column reaches: shift ≤ ix < shift + ow, inside the row.
        Vector512<T>* keeps = stackalloc Vector512<T>[k];
        for (int kx = 0; kx < k; kx++)
            keeps[kx] = Vector512.GreaterThanOrEqual(lane, Vector512.Create(T.CreateTruncating(kx - p)))
                & Vector512.LessThan(lane, Vector512.Create(T.CreateTruncating(kx - p + ow))) & inRow;
        for (int c = c0; c < c1; c++)
            for (int iy = 0; iy < h; iy++)
            {
                Vector512<T> sum = Vector512<T>.Zero;
                for (int ky = 0; ky < k; ky++)
                {
                    int oy = iy - ky + p;
                    if ((uint)oy >= (uint)oh) continue;
                    for (int kx = 0; kx < k; kx++)
                    {
                        // Lane ix takes dcols[r, oy·ow + ix − shift] where 0 ≤ ix − shift < ow.
                        int shift = kx - p, r = (c * k + ky) * k + kx;
                        int at = r * positions + oy * ow - shift;
                        Vector512<T> keep = keeps[kx];
                        if (at >= 0 && at + width <= length)
                            sum = Vector512.ConditionalSelect(keep, sum + Vector512.LoadUnsafe(ref rc, (nuint)at), sum);
                        else
                        {
                            // At the ends of the scratch a whole vector would reach outside it: lane by lane.
                            for (int ix = Math.Max(0, shift); ix < Math.Min(w, shift + ow); ix++)
                                sum = sum.WithElement(ix, sum.GetElement(ix) + Unsafe.Add(ref rc, at + ix));
                        }
                    }
                }
                // A whole vector where its spill lands on this part's later rows (rewritten after), else lane by lane.
                int start = (c * h + iy) * w;
                if (start + width <= c1 * h * w) sum.StoreUnsafe(ref rx, (nuint)start);
                else for (int ix = 0; ix < w; ix++) Unsafe.Add(ref rx, start + ix) = sum.GetElement(ix);
            }
    }

    /// <summary>
    /// dst[0..length) = src[0..length). Rows of an unrolled image are short (often 10 to 30 values), too
    /// short for a call to memmove to pay off; the last vector overlaps the one before instead of a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow<T>(ref T src, ref T dst, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
        {
            int width = Vector256<T>.Count, n = 0;
            for (; n <= length - width; n += width) Vector256.LoadUnsafe(ref src, (nuint)n).StoreUnsafe(ref dst, (nuint)n);
            if (n < length) Vector256.LoadUnsafe(ref src, (nuint)(length - width)).StoreUnsafe(ref dst, (nuint)(length - width));
            return;
        }
        for (int n = 0; n < length; n++) Unsafe.Add(ref dst, n) = Unsafe.Add(ref src, n);
    }

    /// <summary>dst[0..length) += src[0..length), a vector at a time, then the remainder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<T>(ref T src, ref T dst, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; n <= length - Vector256<T>.Count; n += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dst, (nuint)n) + Vector256.LoadUnsafe(ref src, (nuint)n)).StoreUnsafe(ref dst, (nuint)n);
        for (; n < length; n++) Unsafe.Add(ref dst, n) += Unsafe.Add(ref src, n);
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The forward pass of an unpadded stride-1 convolution with lanes along output positions (LeNet-5's
// conv2: 6×14×14 in, 16 filters of 5×5, 10×10 out). The direct path (Convolution.cs) puts a vector
// of 16 filters in the lanes, so each FMA needs its own broadcast of an input value: 9 loads per 8
// FMAs, about half the FMA peak at best. Here the output is computed as if it were as wide as the
// input: position q = oy·w + ox reads x[c, ky·w + kx + q] for every (c, ky, kx), so a vector of 16
// consecutive q is one contiguous load; the k − 1 positions a row past the real output are computed
// and dropped. A block of 8 filters × 3 vectors of positions keeps 24 accumulators and takes 3
// loads and 8 weight broadcasts per 24 FMAs. A last vector that would run past the sample starts
// earlier instead, overlapping the one before (its shared lanes are computed identically).
// Each output is one FMA chain from its bias over (c, ky, kx) in order, as the direct and im2col
// paths compute it, so the bits are theirs, on any number of threads.
public static unsafe partial class Convolution
{
    /// <summary>Whether the position-lane forward may run (tests turn it off to compare with the direct path).</summary>
    internal static bool FlatForward { get; set; } = true;

    /// <summary>Filters a block of the position-lane forward computes (a short last group repeats its last filter).</summary>
    private const int FlatFilters = 8;

    /// <summary>
    /// Whether the forward pass puts output positions in the lanes: 512-bit vectors, stride 1, no
    /// padding, at least 8 filters, and rows wide enough that at most a third of the lanes are dropped.
    /// </summary>
    private static bool UsesFlatForward<T>(in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!FlatForward || !Vector512.IsHardwareAccelerated || !Vector512<T>.IsSupported) return false;
        int flat = (shape.OutHeight - 1) * shape.Width + shape.OutWidth;
        return shape.Stride == 1 && shape.Padding == 0 && shape.Filters >= FlatFilters && flat >= Vector512<T>.Count
            && 3 * shape.OutWidth >= 2 * shape.Width;
    }

    /// <summary>Samples [b0, b1) of z, positions in the lanes (see above).</summary>
    private static void FlatForwardPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int b0, int b1) = Range(job, i);
        int k = shape.KernelSize, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        int filters = shape.Filters, patch = shape.PatchSize, positions = shape.Positions, width = Vector512<T>.Count;
        // Positions of the input-wide output that hold real ones: q in [0, flat); vectors of them, the last one pulled back inside.
        int flat = (oh - 1) * w + ow, vectors = (flat + width - 1) / width;
        int stride = vectors * width;
        // The wide output of up to 8 filters, [filter][q], before the dropped positions are squeezed out.
        T* wide = stackalloc T[FlatFilters * stride];
        for (int b = b0; b < b1; b++)
        {
            T* xb = job.X + (nint)b * shape.InputSize;
            T* zb = job.Out + (nint)b * shape.OutputSize;
            for (int f = 0; f < filters; f += FlatFilters)
            {
                int last = Math.Min(FlatFilters, filters - f) - 1;
                for (int v = 0; v < vectors; v += 3)
                {
                    // Three vectors of positions (a short last block repeats its last vector).
                    int q0 = Start(v, vectors, flat, width), q1 = Start(Math.Min(v + 1, vectors - 1), vectors, flat, width), q2 = Start(Math.Min(v + 2, vectors - 1), vectors, flat, width);
                    FlatBlock(ref job, xb, f, last, q0, q1, q2, wide, stride);
                }
                // Squeeze: row oy of the output is wide[oy·w .. oy·w + ow).
                for (int q = 0; q <= last; q++)
                {
                    T* src = wide + q * stride, dst = zb + (nint)(f + q) * positions;
                    for (int oy = 0; oy < oh; oy++)
                        new ReadOnlySpan<T>(src + oy * w, ow).CopyTo(new Span<T>(dst + oy * ow, ow));
                }
            }
        }
    }

    /// <summary>Where vector v of the wide positions starts: v·width, or flat − width for a last one that would run past.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Start(int v, int vectors, int flat, int width) => Math.Min(v * width, flat - width);

    /// <summary>wide[q, p..p+width) for filters f..f+last and the three position vectors at q0, q1, q2: the bias, then Σ over (c, ky, kx) in order.</summary>
    private static void FlatBlock<T>(ref Job<T> job, T* xb, int f, int last, int q0, int q1, int q2, T* wide, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2DShape shape = job.Shape;
        int k = shape.KernelSize, hw = shape.Height * shape.Width, w = shape.Width, patch = shape.PatchSize;
        int f1 = f + Math.Min(1, last), f2 = f + Math.Min(2, last), f3 = f + Math.Min(3, last);
        int f4 = f + Math.Min(4, last), f5 = f + Math.Min(5, last), f6 = f + Math.Min(6, last), f7 = f + Math.Min(7, last);
        T* w0 = job.W + (nint)f * patch, w1 = job.W + (nint)f1 * patch, w2 = job.W + (nint)f2 * patch, w3 = job.W + (nint)f3 * patch;
        T* w4 = job.W + (nint)f4 * patch, w5 = job.W + (nint)f5 * patch, w6 = job.W + (nint)f6 * patch, w7 = job.W + (nint)f7 * patch;
        Vector512<T> a00 = Vector512.Create(job.Bias[f]), a10 = Vector512.Create(job.Bias[f1]), a20 = Vector512.Create(job.Bias[f2]), a30 = Vector512.Create(job.Bias[f3]);
        Vector512<T> a40 = Vector512.Create(job.Bias[f4]), a50 = Vector512.Create(job.Bias[f5]), a60 = Vector512.Create(job.Bias[f6]), a70 = Vector512.Create(job.Bias[f7]);
        Vector512<T> a01 = a00, a11 = a10, a21 = a20, a31 = a30, a41 = a40, a51 = a50, a61 = a60, a71 = a70;
        Vector512<T> a02 = a00, a12 = a10, a22 = a20, a32 = a30, a42 = a40, a52 = a50, a62 = a60, a72 = a70;
        int r = 0;
        for (int c = 0; c < shape.Channels; c++)
            for (int ky = 0; ky < k; ky++)
            {
                T* xr = xb + c * hw + ky * w;
                for (int kx = 0; kx < k; kx++, r++)
                {
                    // x[c, ky·w + kx + q] for the three vectors of q; each weight broadcast feeds three FMAs.
                    Vector512<T> u0 = Vector512.Load(xr + kx + q0), u1 = Vector512.Load(xr + kx + q1), u2 = Vector512.Load(xr + kx + q2);
                    Vector512<T> c0 = Vector512.Create(w0[r]);
                    a00 = Simd.MultiplyAdd(c0, u0, a00); a01 = Simd.MultiplyAdd(c0, u1, a01); a02 = Simd.MultiplyAdd(c0, u2, a02);
                    c0 = Vector512.Create(w1[r]);
                    a10 = Simd.MultiplyAdd(c0, u0, a10); a11 = Simd.MultiplyAdd(c0, u1, a11); a12 = Simd.MultiplyAdd(c0, u2, a12);
                    c0 = Vector512.Create(w2[r]);
                    a20 = Simd.MultiplyAdd(c0, u0, a20); a21 = Simd.MultiplyAdd(c0, u1, a21); a22 = Simd.MultiplyAdd(c0, u2, a22);
                    c0 = Vector512.Create(w3[r]);
                    a30 = Simd.MultiplyAdd(c0, u0, a30); a31 = Simd.MultiplyAdd(c0, u1, a31); a32 = Simd.MultiplyAdd(c0, u2, a32);
                    c0 = Vector512.Create(w4[r]);
                    a40 = Simd.MultiplyAdd(c0, u0, a40); a41 = Simd.MultiplyAdd(c0, u1, a41); a42 = Simd.MultiplyAdd(c0, u2, a42);
                    c0 = Vector512.Create(w5[r]);
                    a50 = Simd.MultiplyAdd(c0, u0, a50); a51 = Simd.MultiplyAdd(c0, u1, a51); a52 = Simd.MultiplyAdd(c0, u2, a52);
                    c0 = Vector512.Create(w6[r]);
                    a60 = Simd.MultiplyAdd(c0, u0, a60); a61 = Simd.MultiplyAdd(c0, u1, a61); a62 = Simd.MultiplyAdd(c0, u2, a62);
                    c0 = Vector512.Create(w7[r]);
                    a70 = Simd.MultiplyAdd(c0, u0, a70); a71 = Simd.MultiplyAdd(c0, u1, a71); a72 = Simd.MultiplyAdd(c0, u2, a72);
                }
            }
        // Last filter and vector first, so a repeated filter or vector leaves the same values either way.
        Store(a70, a71, a72, wide + 7 * stride, q0, q1, q2); Store(a60, a61, a62, wide + 6 * stride, q0, q1, q2);
        Store(a50, a51, a52, wide + 5 * stride, q0, q1, q2); Store(a40, a41, a42, wide + 4 * stride, q0, q1, q2);
        Store(a30, a31, a32, wide + 3 * stride, q0, q1, q2); Store(a20, a21, a22, wide + 2 * stride, q0, q1, q2);
        Store(a10, a11, a12, wide + stride, q0, q1, q2); Store(a00, a01, a02, wide, q0, q1, q2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, T* row, int q0, int q1, int q2) where T : unmanaged
    {
        v2.Store(row + q2); v1.Store(row + q1); v0.Store(row + q0);
    }
}

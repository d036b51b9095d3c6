using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The weight gradient along output rows (LeNet-5's conv1: 1 channel, 28×28 padded by 2, 6 filters
// of 5×5): dW[f, c, ky, kx] = Σ_b Σ_oy Σ_ox dz[b, f, oy, ox]·xp_b[c, oy + ky, ox + kx], xp_b the
// zero-padded sample. Unrolling such a layer (25 rows of 784 values a sample) costs more than the
// product, and the product has only 150 outputs, each a dot product 784 long: the im2col path ran at
// 34 GFLOP/s on Zen 5. Here the lanes run along an output row (two vectors, the second overlapping
// the first), nothing is unrolled, and every value is a vector FMA chain over (b, oy) in order:
// a unit of work is 6 filters × 2 kernel columns of one (channel, kernel row), 24 accumulators,
// 16 loads per 24 FMAs, all from L1 (one padded sample and its dz rows). The accumulators wait in
// aligned scratch between samples (stored and reloaded exactly). At the end each value is the lane
// sum of its first vector plus that of its second with the shared lanes masked off (selected away,
// so no 0·∞): the same operations whichever part computes the unit, so the same bits on any number
// of threads.
public static unsafe partial class Convolution
{
    /// <summary>Whether the row-wise weight gradient may run (tests turn it off to compare with the im2col path).</summary>
    internal static bool RowWeightGradients { get; set; } = true;

    /// <summary>Filters a unit of the row-wise weight gradient computes (a short last group repeats its last filter).</summary>
    private const int GradientFilters = 6;

    /// <summary>
    /// Whether the weight gradient works along output rows: 512-bit vectors, stride 1, output rows of
    /// one to two vectors (the forward's padded-row condition), a padded sample small enough for L1.
    /// </summary>
    private static bool UsesRowWeightGradient<T>(in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!RowWeightGradients || !Vector512.IsHardwareAccelerated || !Vector512<T>.IsSupported || shape.Stride != 1) return false;
        int width = Vector512<T>.Count;
        long padded = (long)shape.Channels * (shape.Height + 2 * shape.Padding) * (shape.Width + 2 * shape.Padding);
        return shape.OutWidth >= width && shape.OutWidth <= 2 * width && padded * sizeof(T) <= 16 * 1024;
    }

    /// <summary>Units of the row-wise weight gradient: filter groups × channels × kernel rows × kernel column pairs.</summary>
    private static int RowGradientUnits(in Conv2DShape shape)
        => (shape.Filters + GradientFilters - 1) / GradientFilters * shape.Channels * shape.KernelSize * ((shape.KernelSize + 1) / 2);

    /// <summary>Units [u0, u1) of dW (see above), every sample in order. Overwrites those values of dW.</summary>
    private static void RowWeightGradientPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int u0, int u1) = Range(job, i);
        int k = shape.KernelSize, pad = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        int ph = h + 2 * pad, pw = w + 2 * pad, channels = shape.Channels, filters = shape.Filters, patch = shape.PatchSize;
        int positions = shape.Positions, width = Vector512<T>.Count, second = ow - width, pairs = (k + 1) / 2;
        // This thread's padded sample (its border stays zero) and its units' accumulators, 24 vectors a unit.
        T* xp = AlignedScratch.Get<T>(0, (nint)channels * ph * pw);
        new Span<T>(xp, channels * ph * pw).Clear();
        Vector512<T>* acc = (Vector512<T>*)AlignedScratch.Get<T>(1, (nint)(u1 - u0) * 24 * width);
        new Span<Vector512<T>>(acc, (u1 - u0) * 24).Clear();
        for (int b = 0; b < job.Batch; b++)
        {
            T* xb = job.X + (nint)b * shape.InputSize;
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < h; y++)
                    new ReadOnlySpan<T>(xb + (c * h + y) * w, w).CopyTo(new Span<T>(xp + (c * ph + y + pad) * pw + pad, w));
            T* dzb = job.Gradient + (nint)b * shape.OutputSize;
            for (int u = u0; u < u1; u++)
            {
                Unit(u, shape, out int f, out int c, out int ky, out int kx0, out int kx1);
                int last = Math.Min(GradientFilters, filters - f) - 1;
                T* g0 = dzb + (nint)f * positions, g1 = dzb + (nint)(f + Math.Min(1, last)) * positions, g2 = dzb + (nint)(f + Math.Min(2, last)) * positions;
                T* g3 = dzb + (nint)(f + Math.Min(3, last)) * positions, g4 = dzb + (nint)(f + Math.Min(4, last)) * positions, g5 = dzb + (nint)(f + Math.Min(5, last)) * positions;
                // a·· : the first vector of the row (lanes ox 0..v), b·· : the second (ox second..second+v); ·q· filter, ··0/1 kernel column kx0/kx1.
                Vector512<T>* s = acc + (nint)(u - u0) * 24;
                Vector512<T> a00 = s[0], a01 = s[1], a10 = s[2], a11 = s[3], a20 = s[4], a21 = s[5], a30 = s[6], a31 = s[7], a40 = s[8], a41 = s[9], a50 = s[10], a51 = s[11];
                Vector512<T> b00 = s[12], b01 = s[13], b10 = s[14], b11 = s[15], b20 = s[16], b21 = s[17], b30 = s[18], b31 = s[19], b40 = s[20], b41 = s[21], b50 = s[22], b51 = s[23];
                T* row = xp + (c * ph + ky) * pw;
                for (int oy = 0; oy < oh; oy++, row += pw)
                {
                    int o = oy * ow;
                    Vector512<T> x0 = Vector512.Load(row + kx0), y0 = Vector512.Load(row + kx0 + second);
                    Vector512<T> x1 = Vector512.Load(row + kx1), y1 = Vector512.Load(row + kx1 + second);
                    Vector512<T> g = Vector512.Load(g0 + o), gs = Vector512.Load(g0 + o + second);
                    a00 = Simd.MultiplyAdd(g, x0, a00); a01 = Simd.MultiplyAdd(g, x1, a01); b00 = Simd.MultiplyAdd(gs, y0, b00); b01 = Simd.MultiplyAdd(gs, y1, b01);
                    g = Vector512.Load(g1 + o); gs = Vector512.Load(g1 + o + second);
                    a10 = Simd.MultiplyAdd(g, x0, a10); a11 = Simd.MultiplyAdd(g, x1, a11); b10 = Simd.MultiplyAdd(gs, y0, b10); b11 = Simd.MultiplyAdd(gs, y1, b11);
                    g = Vector512.Load(g2 + o); gs = Vector512.Load(g2 + o + second);
                    a20 = Simd.MultiplyAdd(g, x0, a20); a21 = Simd.MultiplyAdd(g, x1, a21); b20 = Simd.MultiplyAdd(gs, y0, b20); b21 = Simd.MultiplyAdd(gs, y1, b21);
                    g = Vector512.Load(g3 + o); gs = Vector512.Load(g3 + o + second);
                    a30 = Simd.MultiplyAdd(g, x0, a30); a31 = Simd.MultiplyAdd(g, x1, a31); b30 = Simd.MultiplyAdd(gs, y0, b30); b31 = Simd.MultiplyAdd(gs, y1, b31);
                    g = Vector512.Load(g4 + o); gs = Vector512.Load(g4 + o + second);
                    a40 = Simd.MultiplyAdd(g, x0, a40); a41 = Simd.MultiplyAdd(g, x1, a41); b40 = Simd.MultiplyAdd(gs, y0, b40); b41 = Simd.MultiplyAdd(gs, y1, b41);
                    g = Vector512.Load(g5 + o); gs = Vector512.Load(g5 + o + second);
                    a50 = Simd.MultiplyAdd(g, x0, a50); a51 = Simd.MultiplyAdd(g, x1, a51); b50 = Simd.MultiplyAdd(gs, y0, b50); b51 = Simd.MultiplyAdd(gs, y1, b51);
                }
                s[0] = a00; s[1] = a01; s[2] = a10; s[3] = a11; s[4] = a20; s[5] = a21; s[6] = a30; s[7] = a31; s[8] = a40; s[9] = a41; s[10] = a50; s[11] = a51;
                s[12] = b00; s[13] = b01; s[14] = b10; s[15] = b11; s[16] = b20; s[17] = b21; s[18] = b30; s[19] = b31; s[20] = b40; s[21] = b41; s[22] = b50; s[23] = b51;
            }
        }
        // Lanes of the second vector the first already holds (ox < v) are selected away before its sum.
        Vector512<T> fresh = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(2 * width - ow)));
        for (int u = u0; u < u1; u++)
        {
            Unit(u, shape, out int f, out int c, out int ky, out int kx0, out int kx1);
            Vector512<T>* s = acc + (nint)(u - u0) * 24;
            int live = Math.Min(GradientFilters, filters - f);
            // Stored kx1 first, so a repeated column (odd kernel) leaves the same value either way.
            for (int q = 0; q < live; q++)
            {
                T* dw = job.WeightGradient + (nint)(f + q) * patch + (c * k + ky) * k;
                dw[kx1] = Vector512.Sum(s[2 * q + 1]) + Vector512.Sum(Vector512.ConditionalSelect(fresh, s[12 + 2 * q + 1], Vector512<T>.Zero));
                dw[kx0] = Vector512.Sum(s[2 * q]) + Vector512.Sum(Vector512.ConditionalSelect(fresh, s[12 + 2 * q], Vector512<T>.Zero));
            }
        }
    }

    /// <summary>Unit u: its first filter, channel, kernel row and two kernel columns (the same twice for an odd kernel's last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unit(int u, in Conv2DShape shape, out int f, out int c, out int ky, out int kx0, out int kx1)
    {
        int k = shape.KernelSize, pairs = (k + 1) / 2;
        int pair = u % pairs, rest = u / pairs;
        ky = rest % k; rest /= k;
        c = rest % shape.Channels;
        f = rest / shape.Channels * GradientFilters;
        kx0 = 2 * pair;
        kx1 = Math.Min(kx0 + 1, k - 1);
    }
}

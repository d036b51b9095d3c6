using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>The geometry of 2-D pooling over one NCHW sample: square windows, no padding (PyTorch's defaults).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Pool2DShape
{
    public Pool2DShape(int channels, int height, int width, int size, int stride)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || size <= 0 || stride <= 0 || size > height || size > width)
            throw new ArgumentOutOfRangeException(nameof(size), "Every size must be positive and the window no larger than the input.");
        Channels = channels;
        Height = height;
        Width = width;
        Size = size;
        Stride = stride;
        OutHeight = (height - size) / stride + 1;
        OutWidth = (width - size) / stride + 1;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Size { get; }
    public int Stride { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize => Channels * Height * Width;
    /// <summary>Values per output sample.</summary>
    public int OutputSize => Channels * OutHeight * OutWidth;
}

/// <summary>
/// Max and average pooling per channel over NCHW samples. Max pooling records, for every output,
/// where in its sample the maximum was (the first one on ties, a NaN winning, as in PyTorch), so the
/// backward pass routes each gradient to it; average pooling spreads each gradient evenly over its
/// window. Overlapping windows (stride &lt; size) add their gradients.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static partial class Pooling
{
    /// <summary>y[b, c, oy, ox] = max over the window of x; argmax receives the index within the sample (c·H·W + iy·W + ix).</summary>
    private static void MaxForwardSamples<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, shape);
        if (argmax.Length < batch * shape.OutputSize) throw new ArgumentException("The arg-max buffer is too short.", nameof(argmax));
        int h = shape.Height, w = shape.Width, k = shape.Size, s = shape.Stride, oh = shape.OutHeight, ow = shape.OutWidth;
        int channels = shape.Channels, inputSize = shape.InputSize;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        ref int ra = ref MemoryMarshal.GetReference(argmax);
        if (k == 2 && s == 2)
        {
            MaxForward2x2(ref rx, ref ry, ref ra, batch * channels, h, w, oh, ow, inputSize, h * w);
            return;
        }
        int o = 0;
        for (int b = 0; b < batch; b++)
        {
            ref T xb = ref Unsafe.Add(ref rx, b * inputSize);
            for (int c = 0; c < channels; c++)
            {
                int plane = c * h * w;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, o++)
                    {
                        int start = plane + oy * s * w + ox * s, best = start;
                        T max = Unsafe.Add(ref xb, start);
                        for (int ky = 0; ky < k; ky++)
                        {
                            int row = start + ky * w;
                            for (int kx = 0; kx < k; kx++)
                            {
                                // PyTorch's rule: a larger value or a NaN takes the place. Written
                                // without branches (an integer select and a NaN-propagating max): on
                                // real data "is this one larger?" is a coin toss the CPU mispredicts.
                                T v = Unsafe.Add(ref xb, row + kx);
                                bool take = PoolingMath.Takes(v, max);
                                int mask = -Unsafe.As<bool, byte>(ref take); // all ones where v takes the place
                                best = (best & ~mask) | ((row + kx) & mask);
                                max = T.Max(max, v);
                            }
                        }
                        Unsafe.Add(ref ry, o) = max;
                        Unsafe.Add(ref ra, o) = best;
                    }
            }
        }
    }

    /// <summary>
    /// The common 2×2, stride-2 window, unrolled: the same four candidates in the same order
    /// (top-left, top-right, bottom-left, bottom-right) under the same rule as the general loop, so
    /// the values and indices are identical; only the loop overhead is gone.
    /// </summary>
    private static void MaxForward2x2<T>(ref T rx, ref T ry, ref int ra, int planes, int h, int w, int oh, int ow, int inputSize, int planeSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            // Indices are within the sample: the plane's channel offset, not the batch offset.
            int sample = plane / (inputSize / planeSize), channelStart = (plane - sample * (inputSize / planeSize)) * planeSize;
            ref T xs = ref Unsafe.Add(ref rx, sample * inputSize);
            for (int oy = 0; oy < oh; oy++)
            {
                int top = channelStart + 2 * oy * w;
                if (typeof(T) == typeof(float) && Avx512F.IsSupported && ow >= 8)
                {
                    // Eight outputs at a time, the last eight overlapping (recomputed identically).
                    for (int ox = 0; ox < ow; ox += 8)
                    {
                        if (ox > ow - 8) ox = ow - 8;
                        MaxWindows8(ref Unsafe.As<T, float>(ref xs), top + 2 * ox, w, ref Unsafe.As<T, float>(ref Unsafe.Add(ref ry, o + ox)), ref Unsafe.Add(ref ra, o + ox));
                    }
                    o += ow;
                    continue;
                }
                if (typeof(T) == typeof(float) && Avx2.IsSupported && ow >= 4)
                {
                    // Four outputs at a time, the last four overlapping (recomputed identically).
                    for (int ox = 0; ox < ow; ox += 4)
                    {
                        if (ox > ow - 4) ox = ow - 4;
                        MaxWindows4(ref Unsafe.As<T, float>(ref xs), top + 2 * ox, w, ref Unsafe.As<T, float>(ref Unsafe.Add(ref ry, o + ox)), ref Unsafe.Add(ref ra, o + ox));
                    }
                    o += ow;
                    continue;
                }
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    int i0 = top + 2 * ox, i2 = i0 + w;
                    T max = Unsafe.Add(ref xs, i0);
                    int best = i0;
                    Take(ref max, ref best, Unsafe.Add(ref xs, i0 + 1), i0 + 1);
                    Take(ref max, ref best, Unsafe.Add(ref xs, i2), i2);
                    Take(ref max, ref best, Unsafe.Add(ref xs, i2 + 1), i2 + 1);
                    Unsafe.Add(ref ry, o) = max;
                    Unsafe.Add(ref ra, o) = best;
                }
            }
        }
    }

    /// <summary>
    /// Four adjacent 2×2 windows starting at x[i0]: the even and odd columns of both rows are
    /// separated by one permute each, then the same four candidates are taken in the same order under
    /// the same rule as <see cref="Take{T}"/> (Vector128.Max has T.Max's NaN and signed-zero rules).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxWindows4(ref float xs, int i0, int w, ref float y, ref int argmax)
    {
        Vector256<int> split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> upper = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref xs, (nuint)i0), split);
        Vector256<float> lower = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref xs, (nuint)(i0 + w)), split);
        Vector128<int> index = Vector128.Create(i0) + Vector128.Create(0, 2, 4, 6);
        Vector128<float> max = upper.GetLower();
        Vector128<int> best = index;
        TakeVector(ref max, ref best, upper.GetUpper(), index + Vector128<int>.One);
        TakeVector(ref max, ref best, lower.GetLower(), index + Vector128.Create(w));
        TakeVector(ref max, ref best, lower.GetUpper(), index + Vector128.Create(w + 1));
        max.StoreUnsafe(ref y);
        best.StoreUnsafe(ref argmax);
    }

    /// <summary>As <see cref="MaxWindows4"/>, eight windows with AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxWindows8(ref float xs, int i0, int w, ref float y, ref int argmax)
    {
        Vector512<int> split = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        Vector512<float> upper = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref xs, (nuint)i0), split);
        Vector512<float> lower = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref xs, (nuint)(i0 + w)), split);
        Vector256<int> index = Vector256.Create(i0) + Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<float> max = upper.GetLower();
        Vector256<int> best = index;
        TakeVector(ref max, ref best, upper.GetUpper(), index + Vector256<int>.One);
        TakeVector(ref max, ref best, lower.GetLower(), index + Vector256.Create(w));
        TakeVector(ref max, ref best, lower.GetUpper(), index + Vector256.Create(w + 1));
        max.StoreUnsafe(ref y);
        best.StoreUnsafe(ref argmax);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TakeVector(ref Vector256<float> max, ref Vector256<int> best, Vector256<float> v, Vector256<int> index)
    {
        Vector256<float> take = Vector256.GreaterThan(v, max) | ~Vector256.Equals(v, v);
        best = Vector256.ConditionalSelect(take.AsInt32(), index, best);
        max = Vector256.Max(max, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TakeVector(ref Vector128<float> max, ref Vector128<int> best, Vector128<float> v, Vector128<int> index)
    {
        Vector128<float> take = Vector128.GreaterThan(v, max) | ~Vector128.Equals(v, v);
        best = Vector128.ConditionalSelect(take.AsInt32(), index, best);
        max = Vector128.Max(max, v);
    }

    /// <summary>PyTorch's rule, branch-free: a larger value or a NaN takes the place of the running maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<T>(ref T max, ref int best, T v, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool take = PoolingMath.Takes(v, max);
        int mask = -Unsafe.As<bool, byte>(ref take);
        best = (best & ~mask) | (index & mask);
        max = T.Max(max, v);
    }

    /// <summary>dx[b, argmax] += dy[b, o] for every output o; zero elsewhere. Overwrites dx.</summary>
    private static void MaxBackwardSamples<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dx.Length, dy.Length, batch, shape);
        if (argmax.Length < batch * shape.OutputSize) throw new ArgumentException("The arg-max buffer is too short.", nameof(argmax));
        if (typeof(T) == typeof(float) && Avx2.IsSupported && shape.Size == 2 && shape.Stride == 2
            && shape.Width == 2 * shape.OutWidth && shape.Height == 2 * shape.OutHeight && shape.OutWidth >= 4)
        {
            MaxBackward2x2(MemoryMarshal.Cast<T, float>(dy), argmax, MemoryMarshal.Cast<T, float>(dx), batch, shape);
            return;
        }
        dx.Slice(0, batch * shape.InputSize).Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxb = dx.Slice(b * shape.InputSize, shape.InputSize);
            int o = b * shape.OutputSize;
            for (int i = 0; i < shape.OutputSize; i++) dxb[argmax[o + i]] += dy[o + i];
        }
    }

    /// <summary>
    /// 2×2, stride-2 windows that tile the input: every input value belongs to exactly one window, so
    /// each window is written whole, dy where the arg-max points and 0 elsewhere, four windows (two
    /// rows of eight) at a time, with no clearing pass and no scattered adds. dy + 0 is what the
    /// general path's 0 + dy gives (−0 becomes +0), so the results are the same.
    /// </summary>
    private static void MaxBackward2x2(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, int batch, in Pool2DShape shape)
    {
        int w = shape.Width, oh = shape.OutHeight, ow = shape.OutWidth, planes = batch * shape.Channels;
        int planeSize = shape.Height * w, channels = shape.Channels;
        ref float rdy = ref MemoryMarshal.GetReference(dy);
        ref int ra = ref MemoryMarshal.GetReference(argmax);
        ref float rdx = ref MemoryMarshal.GetReference(dx);
        Vector256<int> pairs = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        Vector256<int> columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int sample = plane / channels;
            int channelStart = (plane - sample * channels) * planeSize; // arg-max indices are within the sample
            ref float dxs = ref Unsafe.Add(ref rdx, sample * shape.InputSize);
            for (int oy = 0; oy < oh; oy++, o += ow)
            {
                int top = channelStart + 2 * oy * w;
                for (int ox = 0; ox < ow; ox += 4)
                {
                    // The last four overlap the previous ones, writing the same values again.
                    if (ox > ow - 4) ox = ow - 4;
                    Vector256<int> at = Avx2.PermuteVar8x32(Vector128.LoadUnsafe(ref Unsafe.Add(ref ra, o + ox)).ToVector256Unsafe(), pairs);
                    Vector256<float> g = Avx2.PermuteVar8x32(Vector128.LoadUnsafe(ref Unsafe.Add(ref rdy, o + ox)).ToVector256Unsafe(), pairs) + Vector256<float>.Zero;
                    int i0 = top + 2 * ox;
                    Vector256<int> upper = Vector256.Create(i0) + columns, lower = upper + Vector256.Create(w);
                    Vector256.ConditionalSelect(Vector256.Equals(at, upper).AsSingle(), g, Vector256<float>.Zero).StoreUnsafe(ref dxs, (nuint)i0);
                    Vector256.ConditionalSelect(Vector256.Equals(at, lower).AsSingle(), g, Vector256<float>.Zero).StoreUnsafe(ref dxs, (nuint)(i0 + w));
                }
            }
        }
    }

    /// <summary>y[b, c, oy, ox] = the mean of x over the window.</summary>
    private static void AverageForwardSamples<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, shape);
        int h = shape.Height, w = shape.Width, k = shape.Size, s = shape.Stride, oh = shape.OutHeight, ow = shape.OutWidth;
        T scale = T.One / T.CreateTruncating(k * k);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xb = x.Slice(b * shape.InputSize, shape.InputSize);
            int o = b * shape.OutputSize;
            for (int c = 0; c < shape.Channels; c++)
            {
                int plane = c * h * w;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, o++)
                    {
                        int start = plane + oy * s * w + ox * s;
                        T sum = T.Zero;
                        for (int ky = 0; ky < k; ky++)
                        {
                            ReadOnlySpan<T> row = xb.Slice(start + ky * w, k);
                            for (int kx = 0; kx < k; kx++) sum += row[kx];
                        }
                        y[o] = sum * scale;
                    }
            }
        }
    }

    /// <summary>dx[window] += dy[b, c, oy, ox] / size² for every output. Overwrites dx.</summary>
    private static void AverageBackwardSamples<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dx.Length, dy.Length, batch, shape);
        int h = shape.Height, w = shape.Width, k = shape.Size, s = shape.Stride, oh = shape.OutHeight, ow = shape.OutWidth;
        T scale = T.One / T.CreateTruncating(k * k);
        dx.Slice(0, batch * shape.InputSize).Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxb = dx.Slice(b * shape.InputSize, shape.InputSize);
            int o = b * shape.OutputSize;
            for (int c = 0; c < shape.Channels; c++)
            {
                int plane = c * h * w;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, o++)
                    {
                        T g = dy[o] * scale;
                        int start = plane + oy * s * w + ox * s;
                        for (int ky = 0; ky < k; ky++)
                        {
                            Span<T> row = dxb.Slice(start + ky * w, k);
                            for (int kx = 0; kx < k; kx++) row[kx] += g;
                        }
                    }
            }
        }
    }

    private static void Check(int inputLength, int outputLength, int batch, in Pool2DShape shape)
    {
        if (batch < 0 || inputLength < (long)batch * shape.InputSize) throw new ArgumentException($"Expected at least {(long)batch * shape.InputSize} input values.");
        if (outputLength < (long)batch * shape.OutputSize) throw new ArgumentException($"Expected at least {(long)batch * shape.OutputSize} output values.");
    }
}

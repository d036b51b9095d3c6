using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Numerics;

/// <summary>
/// The geometry of a 2-D convolution over one NCHW sample (PyTorch's <c>nn.Conv2d</c>, square
/// kernel, zero padding on every side). The generated code builds it from constants.
/// </summary>
public readonly struct Conv2DShape
{
    public Conv2DShape(int channels, int height, int width, int filters, int kernelSize, int stride, int padding)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(channels), "Every size must be positive and the padding not negative.");
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutHeight = (height + 2 * padding - kernelSize) / stride + 1;
        OutWidth = (width + 2 * padding - kernelSize) / stride + 1;
        if (OutHeight <= 0 || OutWidth <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), "The kernel is larger than the padded input.");
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    /// <summary>Values per input sample: channels·height·width.</summary>
    public int InputSize => Channels * Height * Width;
    /// <summary>Values per output sample: filters·outHeight·outWidth.</summary>
    public int OutputSize => Filters * OutHeight * OutWidth;
    /// <summary>Values in one receptive field, the rows of the unrolled input: channels·k·k.</summary>
    public int PatchSize => Channels * KernelSize * KernelSize;
    /// <summary>Output positions per filter, the columns of the unrolled input: outHeight·outWidth.</summary>
    public int Positions => OutHeight * OutWidth;
    /// <summary>Values in one sample's unrolled input (the im2col scratch): patchSize·positions.</summary>
    public int ColumnsSize => PatchSize * Positions;
}

/// <summary>
/// 2-D convolution, NCHW activations, weight [filters, channels, k, k] then bias [filters] (PyTorch's
/// layout). Each sample's input is unrolled (im2col) into a [channels·k·k, outH·outW] matrix in a
/// caller-owned scratch, so the convolution becomes one product with the [filters, channels·k·k]
/// weight matrix whose long, contiguous rows vectorise well; the input gradient is the transposed
/// product folded back onto the image (col2im). Nothing here allocates.
/// </summary>
public static class Convolution
{
    /// <summary>z[b, f] = bias[f] + Σ_c W[f, c] ⋆ x[b, c] (cross-correlation, as PyTorch), for every sample.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> z, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, batch, shape.InputSize, nameof(x));
        Check(z.Length, batch, shape.OutputSize, nameof(z));
        CheckParameters(weight.Length, bias.Length, columns.Length, shape);
        Span<T> cols = columns.Slice(0, shape.ColumnsSize);
        for (int b = 0; b < batch; b++)
        {
            Unroll(x.Slice(b * shape.InputSize, shape.InputSize), cols, shape);
            // z[f, p] = bias[f] + Σ_r W[f, r]·cols[r, p]
            ConvolutionProducts.MultiplyRows(weight, shape.PatchSize, 1, shape.Filters, shape.PatchSize,
                cols, shape.Positions, z.Slice(b * shape.OutputSize, shape.OutputSize), bias);
        }
    }

    /// <summary>dW[f, r] = Σ_b Σ_p dz[b, f, p]·cols_b[r, p];  db[f] = Σ_b Σ_p dz[b, f, p]. Overwrites both.</summary>
    public static void BackwardWeights<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, Span<T> weightGradient, Span<T> biasGradient, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, batch, shape.InputSize, nameof(x));
        Check(dz.Length, batch, shape.OutputSize, nameof(dz));
        CheckParameters(weightGradient.Length, biasGradient.Length, columns.Length, shape);
        Span<T> dw = weightGradient.Slice(0, shape.Filters * shape.PatchSize);
        Span<T> db = biasGradient.Slice(0, shape.Filters);
        Span<T> cols = columns.Slice(0, shape.ColumnsSize);
        dw.Clear();
        db.Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> dzb = dz.Slice(b * shape.OutputSize, shape.OutputSize);
            Unroll(x.Slice(b * shape.InputSize, shape.InputSize), cols, shape);
            ConvolutionProducts.AccumulateRowDots(dzb, shape.Filters, cols, shape.PatchSize, shape.Positions, dw);
            for (int f = 0; f < shape.Filters; f++) db[f] += ConvolutionProducts.Sum(dzb.Slice(f * shape.Positions, shape.Positions));
        }
    }

    /// <summary>dx[b] = col2im(Wᵀ·dz[b]): each input value collects the gradient of every output it fed. Overwrites dx.</summary>
    public static void BackwardInput<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> weight, Span<T> dx, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length, batch, shape.OutputSize, nameof(dz));
        Check(dx.Length, batch, shape.InputSize, nameof(dx));
        CheckParameters(weight.Length, shape.Filters, columns.Length, shape);
        Span<T> cols = columns.Slice(0, shape.ColumnsSize);
        for (int b = 0; b < batch; b++)
        {
            // dcols[r, p] = Σ_f W[f, r]·dz[f, p]   (Wᵀ read in place: row stride 1, column stride patchSize)
            ConvolutionProducts.MultiplyRows(weight, 1, shape.PatchSize, shape.PatchSize, shape.Filters,
                dz.Slice(b * shape.OutputSize, shape.OutputSize), shape.Positions, cols, ReadOnlySpan<T>.Empty);
            Fold(cols, dx.Slice(b * shape.InputSize, shape.InputSize), shape);
        }
    }

    /// <summary>
    /// im2col: cols[(c·k + ky)·k + kx, oy·outW + ox] = x[c, oy·s + ky − p, ox·s + kx − p], or 0 in the padding.
    /// </summary>
    public static void Unroll<T>(ReadOnlySpan<T> x, Span<T> cols, in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < shape.InputSize || cols.Length < shape.ColumnsSize) throw new ArgumentException("Spans shorter than the convolution's shape.");
        int k = shape.KernelSize, s = shape.Stride, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rc = ref MemoryMarshal.GetReference(cols);
        for (int c = 0; c < shape.Channels; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                {
                    ref T row = ref Unsafe.Add(ref rc, ((c * k + ky) * k + kx) * shape.Positions);
                    // The output columns whose input column ox·s + kx − p lies inside the image: [first, end).
                    int first = FirstInside(kx - p, s), end = EndInside(kx - p, s, w, ow);
                    for (int oy = 0; oy < oh; oy++)
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
                        if (s == 1) MemoryMarshal.CreateReadOnlySpan(ref src, end - first).CopyTo(dst.Slice(first));
                        else for (int ox = first, ix = 0; ox < end; ox++, ix += s) dst[ox] = Unsafe.Add(ref src, ix);
                    }
                }
    }

    /// <summary>col2im, the adjoint of <see cref="Unroll{T}"/>: dx[c, iy, ix] = Σ of dcols over every (patch element, position) that read it. Overwrites dx.</summary>
    public static void Fold<T>(ReadOnlySpan<T> cols, Span<T> dx, in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.Length < shape.InputSize || cols.Length < shape.ColumnsSize) throw new ArgumentException("Spans shorter than the convolution's shape.");
        int k = shape.KernelSize, s = shape.Stride, p = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        dx.Slice(0, shape.InputSize).Clear();
        ref T rx = ref MemoryMarshal.GetReference(dx);
        ref T rc = ref MemoryMarshal.GetReference(cols);
        for (int c = 0; c < shape.Channels; c++)
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
                        for (int ox = 0, ix = 0; ox < end - first; ox++, ix += s) Unsafe.Add(ref dst, ix) += Unsafe.Add(ref src, ox);
                    }
                }
    }

    /// <summary>The first ox with ox·s + offset ≥ 0.</summary>
    private static int FirstInside(int offset, int s) => offset >= 0 ? 0 : (-offset + s - 1) / s;

    /// <summary>One past the last ox &lt; outWidth with ox·s + offset &lt; width.</summary>
    private static int EndInside(int offset, int s, int width, int outWidth)
    {
        int limit = width - offset; // ox·s < limit
        if (limit <= 0) return 0;
        return Math.Min(outWidth, (limit - 1) / s + 1);
    }

    private static void Check(int length, int batch, int size, string name)
    {
        if (batch < 0 || length < (long)batch * size)
            throw new ArgumentException($"Expected at least {(long)batch * size} values ({batch} samples of {size}), but got {length}.", name);
    }

    private static void CheckParameters(int weightLength, int biasLength, int columnsLength, in Conv2DShape shape)
    {
        if (weightLength < shape.Filters * shape.PatchSize) throw new ArgumentException($"The weight needs {shape.Filters * shape.PatchSize} values.", "weight");
        if (biasLength < shape.Filters) throw new ArgumentException($"The bias needs {shape.Filters} values.", "bias");
        if (columnsLength < shape.ColumnsSize) throw new ArgumentException($"The im2col scratch needs {shape.ColumnsSize} values.", "columns");
    }
}

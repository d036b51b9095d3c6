using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// The geometry of a transposed 2-D convolution over one NCHW sample (PyTorch's
/// <c>nn.ConvTranspose2d</c>, square kernel): [channels, height, width] in, [filters, outHeight,
/// outWidth] out, outHeight = (height − 1)·stride − 2·padding + kernelSize + outputPadding (and the
/// same for the width). The generated code builds it from constants.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ConvTranspose2DShape
{
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the padding or output
    /// padding is negative, the output padding is not smaller than the stride (PyTorch's rule), or
    /// the output would be empty.</exception>
    public ConvTranspose2DShape(int channels, int height, int width, int filters, int kernelSize, int stride, int padding, int outputPadding)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), "Channels, height, width, filters, kernel size and stride must be positive.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "The padding must not be negative.");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"The output padding must be at least 0 and smaller than the stride ({stride}).");
        int outHeight = (height - 1) * stride - 2 * padding + kernelSize + outputPadding;
        int outWidth = (width - 1) * stride - 2 * padding + kernelSize + outputPadding;
        if (outHeight <= 0 || outWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"The output would be {outHeight}×{outWidth}: the padding is too large for a {height}×{width} input.");
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        OutHeight = outHeight;
        OutWidth = outWidth;
        // The convolution whose input gradient this layer's forward pass is: from the big image
        // [filters, outHeight, outWidth] back to [channels, height, width], the same weight.
        // Its output size (outHeight + 2p − k)/s + 1 = height + ⌊outputPadding/s⌋ = height.
        Adjoint = new Conv2DShape(filters, outHeight, outWidth, channels, kernelSize, stride, padding);
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }
    /// <summary>(height − 1)·stride − 2·padding + kernelSize + outputPadding.</summary>
    public int OutHeight { get; }
    /// <summary>(width − 1)·stride − 2·padding + kernelSize + outputPadding.</summary>
    public int OutWidth { get; }

    /// <summary>The convolution (same weight, same stride and padding) of which this is the transpose: channels = filters, filters = channels, input outHeight × outWidth.</summary>
    public Conv2DShape Adjoint { get; }

    /// <summary>Values per input sample: channels·height·width.</summary>
    public int InputSize => Channels * Height * Width;
    /// <summary>Values per output sample: filters·outHeight·outWidth.</summary>
    public int OutputSize => Filters * OutHeight * OutWidth;
    /// <summary>Values in the weight [channels, filters, k, k]: channels·filters·k·k.</summary>
    public int WeightSize => Channels * Filters * KernelSize * KernelSize;
    /// <summary>
    /// Values in the scratch every call needs: filters·k·k·height·width (one sample's columns,
    /// [filters·k·k, height·width]) + channels (a zero bias, or a discarded sum).
    /// </summary>
    public int ScratchSize => Filters * KernelSize * KernelSize * Height * Width + Channels;
}

/// <summary>
/// Transposed 2-D convolution as <c>nn.ConvTranspose2d</c>: NCHW activations, weight [channels,
/// filters, k, k] then bias [filters]. Each input value scatters weight·value onto a k×k window of the
/// output at (iy·s − p, ix·s − p):
/// y[b, f, iy·s − p + ky, ix·s − p + kx] += Σ_c x[b, c, iy, ix]·W[c, f, ky, kx], then + bias[f].
/// </summary>
/// <remarks>
/// This is exactly the input gradient of the convolution <see cref="ConvTranspose2DShape.Adjoint"/>
/// with the same weight (read as [convFilters = channels, convChannels = filters, k, k]), so the
/// three passes are the convolution's: forward = columns Wᵀ·x (a product) folded onto the image
/// (col2im); input gradient = the convolution's forward (im2col of dy, then W·columns); weight
/// gradient = the convolution's weight gradient with the roles of input and output gradient
/// swapped. They inherit its vectorised products, its split across threads and its
/// bit-identical results whatever the thread count. Nothing here allocates.
/// <para>
/// Every call takes one caller-owned <c>scratch</c> of <see cref="ConvTranspose2DShape.ScratchSize"/>
/// = filters·k²·height·width + channels values; its contents on entry do not matter.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConvTranspose2D
{
    /// <summary>
    /// y[b] = col2im(Wᵀ·x[b]) + bias: every input value scattered through the kernel onto the output.
    /// Overwrites <paramref name="y"/> [batch, filters, outHeight, outWidth].
    /// </summary>
    /// <param name="x">[batch, channels, height, width].</param>
    /// <param name="weight">[channels, filters, k, k].</param>
    /// <param name="bias">[filters].</param>
    /// <param name="y">[batch, filters, outHeight, outWidth], written.</param>
    /// <param name="scratch"><see cref="ConvTranspose2DShape.ScratchSize"/> values.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="shape">The layer's geometry.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> scratch, int batch, in ConvTranspose2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCall(x.Length, y.Length, weight.Length, scratch.Length, batch, shape, nameof(x), nameof(y));
        if (bias.Length < shape.Filters) throw new ArgumentException($"The bias needs {shape.Filters} values, but got {bias.Length}.", nameof(bias));
        // y = the adjoint convolution's input gradient for "output gradient" x.
        Convolution.BackwardInput(x, weight, y, scratch.Slice(0, shape.Adjoint.ColumnsSize), batch, shape.Adjoint);
        // y[b, f, :] += bias[f]
        int plane = shape.OutHeight * shape.OutWidth;
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < shape.Filters; f++)
                AddConstant(y.Slice((b * shape.Filters + f) * plane, plane), bias[f]);
    }

    /// <summary>
    /// dx[b, c, iy, ix] = Σ_(f,ky,kx) W[c, f, ky, kx]·dy[b, f, iy·s − p + ky, ix·s − p + kx] (a plain
    /// convolution of dy with W, zero outside the image). Overwrites <paramref name="dx"/>.
    /// </summary>
    /// <param name="dy">[batch, filters, outHeight, outWidth] gradient of the loss with respect to y.</param>
    /// <param name="weight">[channels, filters, k, k].</param>
    /// <param name="dx">[batch, channels, height, width], written.</param>
    /// <param name="scratch"><see cref="ConvTranspose2DShape.ScratchSize"/> values.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="shape">The layer's geometry.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, Span<T> dx, Span<T> scratch, int batch, in ConvTranspose2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCall(dx.Length, dy.Length, weight.Length, scratch.Length, batch, shape, nameof(dx), nameof(dy));
        Conv2DShape adjoint = shape.Adjoint;
        // The adjoint convolution's forward pass with a zero bias (the last channels values of the scratch).
        Span<T> zeroBias = scratch.Slice(adjoint.ColumnsSize, shape.Channels);
        zeroBias.Clear();
        Convolution.Forward(dy, weight, zeroBias, dx, scratch.Slice(0, adjoint.ColumnsSize), batch, adjoint);
    }

    /// <summary>
    /// dW[c, f, ky, kx] = Σ_b Σ_(iy,ix) x[b, c, iy, ix]·dy[b, f, iy·s − p + ky, ix·s − p + kx];
    /// db[f] = Σ_b Σ dy[b, f, :]. Overwrites both.
    /// </summary>
    /// <param name="x">[batch, channels, height, width] the forward pass's inputs.</param>
    /// <param name="dy">[batch, filters, outHeight, outWidth] gradient of the loss with respect to y.</param>
    /// <param name="weightGradient">[channels, filters, k, k], written.</param>
    /// <param name="biasGradient">[filters], written.</param>
    /// <param name="scratch"><see cref="ConvTranspose2DShape.ScratchSize"/> values.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="shape">The layer's geometry.</param>
    public static void BackwardWeights<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> weightGradient, Span<T> biasGradient, Span<T> scratch, int batch, in ConvTranspose2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCall(x.Length, dy.Length, weightGradient.Length, scratch.Length, batch, shape, nameof(x), nameof(dy));
        if (biasGradient.Length < shape.Filters) throw new ArgumentException($"The bias gradient needs {shape.Filters} values, but got {biasGradient.Length}.", nameof(biasGradient));
        Conv2DShape adjoint = shape.Adjoint;
        // dW: the adjoint convolution's weight gradient, its input dy and its output gradient x; the
        // per-channel sums of x it also computes land in the scratch's last channels values, unused.
        Convolution.BackwardWeights(dy, x, weightGradient, scratch.Slice(adjoint.ColumnsSize, shape.Channels), scratch.Slice(0, adjoint.ColumnsSize), batch, adjoint);
        // db[f] = Σ_b Σ_p dy[b, f, p]
        int plane = shape.OutHeight * shape.OutWidth;
        Span<T> db = biasGradient.Slice(0, shape.Filters);
        db.Clear();
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < shape.Filters; f++)
                db[f] += ConvolutionProducts.Sum(dy.Slice((b * shape.Filters + f) * plane, plane));
    }

    /// <summary>v[i] += c.</summary>
    private static void AddConstant<T>(Span<T> v, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vc = new Vector<T>(c);
            for (; i <= v.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(v.Slice(i)) + vc).CopyTo(v.Slice(i));
        }
        for (; i < v.Length; i++) v[i] += c;
    }

    /// <summary>The sample-sized spans, the weight and the scratch against the shape, each named when short.</summary>
    private static void CheckCall(int inputLength, int outputLength, int weightLength, int scratchLength, int batch, in ConvTranspose2DShape shape, string inputName, string outputName)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size must not be negative.");
        if (inputLength < (long)batch * shape.InputSize)
            throw new ArgumentException($"Expected at least {(long)batch * shape.InputSize} values ({batch} samples of {shape.Channels}×{shape.Height}×{shape.Width}), but got {inputLength}.", inputName);
        if (outputLength < (long)batch * shape.OutputSize)
            throw new ArgumentException($"Expected at least {(long)batch * shape.OutputSize} values ({batch} samples of {shape.Filters}×{shape.OutHeight}×{shape.OutWidth}), but got {outputLength}.", outputName);
        if (weightLength < shape.WeightSize)
            throw new ArgumentException($"The weight [{shape.Channels}, {shape.Filters}, {shape.KernelSize}, {shape.KernelSize}] needs {shape.WeightSize} values, but got {weightLength}.", "weight");
        if (scratchLength < shape.ScratchSize)
            throw new ArgumentException($"The scratch needs filters·k²·height·width + channels = {shape.ScratchSize} values, but got {scratchLength}.", "scratch");
    }
}

using System;

namespace NetGen;

/// <summary>
/// Transposed 2-D convolution (<c>nn.ConvTranspose2d</c>, square kernel): [channels, h, w] in,
/// [filters, (h − 1)·Stride − 2·Padding + kernelSize + OutputPadding, (the same for w)] out;
/// <c>weight [channels, filters, k, k]</c>, <c>bias [filters]</c>. It upsamples: the layer of a convolutional generator.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvTranspose2DAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with <paramref name="filters"/> output channels and a <paramref name="kernelSize"/>² kernel.</summary>
    public ConvTranspose2DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear)
    { Filters = filters; KernelSize = kernelSize; Activation = activation; }
    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>The side of the square kernel.</summary>
    public int KernelSize { get; }
    /// <summary>The activation applied to the output.</summary>
    public Activation Activation { get; set; }
    /// <summary>The spacing of the input values on the output (the upsampling factor); default 1.</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Rows and columns cut from each border of the full output; default 0.</summary>
    public int Padding { get; set; }
    /// <summary>Rows and columns added to one side of the output, smaller than the stride; default 0.</summary>
    public int OutputPadding { get; set; }
    /// <summary>The LeakyReLU slope or ELU α; NaN means the default.</summary>
    public float Alpha { get; set; } = float.NaN;
}

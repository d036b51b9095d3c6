using System;

namespace NetGen;

/// <summary>The base of every layer attribute. Layers apply in the order they are written.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>The layer's name in <c>Summary</c> and in saved tensors (default <c>layers.{i}</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>The network's input shape: <c>Input(n)</c> for vectors, <c>Input(channels, height, width)</c> for images, <c>Input(timeSteps, features)</c> for sequences.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    public InputAttribute(int size) => Shape = new[] { size };
    public InputAttribute(int timeSteps, int features) => Shape = new[] { timeSteps, features };
    public InputAttribute(int channels, int height, int width) => Shape = new[] { channels, height, width };
    /// <summary>The declared shape.</summary>
    public int[] Shape { get; }
}

/// <summary>A fully connected layer: y = f(W·x + b), W of shape [units, inputs] (as <c>nn.Linear</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    public DenseAttribute(int units, Activation activation = Activation.Linear) { Units = units; Activation = activation; }
    public int Units { get; }
    public Activation Activation { get; }
    /// <summary>The LeakyReLU slope (default 0.01) or the ELU α (default 1.0); NaN means the default.</summary>
    public float Alpha { get; set; } = float.NaN;
}

/// <summary>An activation as a layer of its own, applied to the previous layer's output.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : LayerAttribute
{
    public ActivationAttribute(Activation activation) => Activation = activation;
    public Activation Activation { get; }
    /// <summary>The LeakyReLU slope (default 0.01) or the ELU α (default 1.0); NaN means the default.</summary>
    public float Alpha { get; set; } = float.NaN;
}

/// <summary>Maxout (Goodfellow et al. 2013): <c>units·pieces</c> affine pieces, each unit the maximum of its <c>pieces</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxoutAttribute : LayerAttribute
{
    public MaxoutAttribute(int units, int pieces) { Units = units; Pieces = pieces; }
    public int Units { get; }
    public int Pieces { get; }
}

/// <summary>Inverted dropout: during training each value is zeroed with probability <c>rate</c> and the rest scaled by 1/(1 − rate).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    public DropoutAttribute(float rate) => Rate = rate;
    public float Rate { get; }
}

/// <summary>A 2-D convolution over NCHW input, weight [filters, channels, k, k] (as <c>nn.Conv2d</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear)
    { Filters = filters; KernelSize = kernelSize; Activation = activation; }
    public int Filters { get; }
    public int KernelSize { get; }
    public Activation Activation { get; set; }
    public int Stride { get; set; } = 1;
    public int Padding { get; set; }
    /// <summary>The LeakyReLU slope or ELU α; NaN means the default.</summary>
    public float Alpha { get; set; } = float.NaN;
}

/// <summary>2-D max pooling over windows of <c>size</c>×<c>size</c> (stride defaults to the size).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : LayerAttribute
{
    public MaxPool2DAttribute(int size) => Size = size;
    public int Size { get; }
    /// <summary>0 (unset) means the window size.</summary>
    public int Stride { get; set; }
}

/// <summary>2-D average pooling over windows of <c>size</c>×<c>size</c> (stride defaults to the size).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : LayerAttribute
{
    public AvgPool2DAttribute(int size) => Size = size;
    public int Size { get; }
    /// <summary>0 (unset) means the window size.</summary>
    public int Stride { get; set; }
}

/// <summary>Flattens a [channels, height, width] activation into a vector (no data moves: NCHW is already row-major).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

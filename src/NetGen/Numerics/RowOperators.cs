using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

// PReLU's, softmax's and max pooling's element math, written once: the CPU kernels (Activations, ChannelPReLU) use it
// for every element their vector loops do not cover, with the same operations, and the generated GPU
// kernels call it for every element.

/// <summary>PReLU with a learned slope a: f(z) = z if z ≥ 0 else a·z.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PReLUMath
{
    /// <summary>f(z) = z if z ≥ 0 else slope·z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Forward<T>(T z, T slope) where T : unmanaged, IFloatingPointIeee754<T> => z >= T.Zero ? z : slope * z;

    /// <summary>Whether z is on the identity side for the backward pass (PyTorch: z &gt; 0; at 0 the slope applies).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPositive<T>(T z) where T : unmanaged, IFloatingPointIeee754<T> => z > T.Zero;

    /// <summary>dL/dz = g if z &gt; 0 else g·slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InputGradient<T>(T z, T slope, T g) where T : unmanaged, IFloatingPointIeee754<T> => IsPositive(z) ? g : g * slope;

    /// <summary>One element's share of dL/dslope where z ≤ 0: g·z (callers add it only there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SlopeGradient<T>(T z, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * z;
}

/// <summary>Softmax's Jacobian product for one element: dz = a·(da − Σⱼ aⱼ·daⱼ).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SoftmaxMath
{
    /// <summary>dz = a·(da − dot), dot = Σⱼ aⱼ·daⱼ over the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InputGradient<T>(T a, T da, T dot) where T : unmanaged, IFloatingPointIeee754<T> => a * (da - dot);
}

/// <summary>Max pooling's rule for one candidate (PyTorch's): a larger value or a NaN takes the running maximum's place.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolingMath
{
    /// <summary>Whether candidate v replaces the running maximum (v &gt; max, or v is NaN); the first of equal values stays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Takes<T>(T v, T max) where T : unmanaged, IFloatingPointIeee754<T> => v > max | T.IsNaN(v);
}

/// <summary>Layer normalisation's element math (the CPU kernel's scalar steps; the GPU kernels call it for every element).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNormMath
{
    /// <summary>x̂ = (x − μ)·rstd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Normalised<T>(T x, T mean, T rstd) where T : unmanaged, IFloatingPointIeee754<T> => (x - mean) * rstd;

    /// <summary>dx = rstd·(dy·γ − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ γ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InputGradient<T>(T dy, T weight, T xhat, T meanG, T meanGXhat, T rstd) where T : unmanaged, IFloatingPointIeee754<T>
        => rstd * (dy * weight - meanG - xhat * meanGXhat);
}

/// <summary>Batch normalisation's element math (the CPU kernel's scalar steps; the GPU kernels call it for every element).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchNormMath
{
    /// <summary>running ← (1 − momentum)·running + momentum·statistic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T RunningAverage<T>(T running, T statistic, T momentum) where T : unmanaged, IFloatingPointIeee754<T>
        => (T.One - momentum) * running + momentum * statistic;

    /// <summary>y = (x − center)·scale + shift, scale = weight·invStd (or weight/√(running_var + ε)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Affine<T>(T x, T center, T scale, T shift) where T : unmanaged, IFloatingPointIeee754<T> => (x - center) * scale + shift;

    /// <summary>dx = k·dy + ((x − μ)·u + v) with k = weight·invStd, u = −k·invStd·dweight/m, v = −k·dbias/m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InputGradient<T>(T x, T dy, T mean, T k, T u, T v) where T : unmanaged, IFloatingPointIeee754<T> => k * dy + ((x - mean) * u + v);
}

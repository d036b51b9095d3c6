using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The losses' element math, written once: the CPU kernels in Losses call these, and so do the
// generated GPU loss kernels. Change a formula here and both backends change.

/// <summary>A loss's gradient for one element, d = op(y, t), in scalar and vector forms with the same operations.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILossGradientOperator<T> where T : unmanaged
{
    /// <summary>The gradient for one output y and its target t.</summary>
    T Invoke(T y, T t);
    /// <summary>The same, lane-wise.</summary>
    Vector256<T> Invoke(Vector256<T> y, Vector256<T> t);
}

/// <summary>Each loss's contribution of one element (or one logit of a row), before the mean.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossTerms
{
    /// <summary>Where PyTorch clamps the logarithms of the probability losses: log y ≥ −100.</summary>
    public const double LogFloor = -100.0;

    /// <summary>(y − t)².</summary>
    public static T SquaredError<T>(T y, T t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T d = y - t;
        return d * d;
    }

    /// <summary>
    /// −(t·max(log y, floor) + (1 − t)·max(log(1 − y), floor)), <paramref name="logFloor"/> = <see cref="LogFloor"/>
    /// in the element type (passed in: device code cannot convert it generically).
    /// </summary>
    public static T BinaryCrossEntropy<T>(T y, T t, T logFloor) where T : unmanaged, IFloatingPointIeee754<T>
        => -(t * ClampedLog(y, logFloor) + (T.One - t) * ClampedLog(T.One - y, logFloor));

    /// <summary>
    /// max(log v, floor) for v &gt; 0, and floor for v ≤ 0 (where log v is −∞ or NaN), as PyTorch clamps; a NaN
    /// v stays NaN, so a diverged output is still seen. (A bare max(log v, floor) passes log(−1) = NaN through.)
    /// </summary>
    public static T ClampedLog<T>(T v, T logFloor) where T : unmanaged, IFloatingPointIeee754<T>
#pragma warning disable CS1718 // v == v is false only for NaN; written so because ILGPU compiles this for the GPU kernels too
        => v > T.Zero ? T.Max(T.Log(v), logFloor) : v == v ? logFloor : v;
#pragma warning restore CS1718

    /// <summary>max(z, 0) − z·t + log(1 + e^−|z|): binary cross entropy from the logit z, finite for any finite z.</summary>
    public static T BinaryCrossEntropyWithLogits<T>(T z, T t) where T : unmanaged, IFloatingPointIeee754<T>
        => T.Max(z, T.Zero) - z * t + T.LogP1(T.Exp(-T.Abs(z)));

    /// <summary>−t·max(log y, floor), <paramref name="logFloor"/> = <see cref="LogFloor"/> (callers skip t = 0, as 0·log 0 would be NaN).</summary>
    public static T CrossEntropy<T>(T y, T t, T logFloor) where T : unmanaged, IFloatingPointIeee754<T>
        => -(t * ClampedLog(y, logFloor));

    /// <summary>t·(log Σⱼ e^zⱼ − z): one logit's share of softmax cross entropy, given the row's log-sum-exp.</summary>
    public static T SoftmaxCrossEntropy<T>(T logSumExp, T z, T t) where T : unmanaged, IFloatingPointIeee754<T>
        => t * (logSumExp - z);
}

/// <summary>dL/dy = scale·(y − t), scale = 2/N (mean squared error over N values).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct MeanSquaredErrorGradientOperator<T>(T scale) : ILossGradientOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T t) => scale * (y - t);
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => Vector256.Create(scale) * (y - t);
}

/// <summary>dL/dy = (y − t) / max(y·(1 − y), ε) / N (binary cross entropy on probabilities).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BinaryCrossEntropyGradientOperator<T>(T n, T eps) : ILossGradientOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T t) => (y - t) / T.Max(y * (T.One - y), eps) / n;
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => (y - t) / Losses.Max(y * (Vector256<T>.One - y), Vector256.Create(eps)) / Vector256.Create(n);
}

/// <summary>dL/dz = (σ(z) − t) / N, given y = σ(z) (sigmoid and binary cross entropy fused).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BinaryCrossEntropyWithLogitsGradientOperator<T>(T n) : ILossGradientOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T t) => (y - t) / n;
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => (y - t) / Vector256.Create(n);
}

/// <summary>dL/dy = −t / max(y, ε) / B (cross entropy on probabilities, B samples).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CrossEntropyGradientOperator<T>(T b, T eps) : ILossGradientOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T t) => -t / T.Max(y, eps) / b;
    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => -t / Losses.Max(y, Vector256.Create(eps)) / Vector256.Create(b);
}

/// <summary>dL/dz = (p·Σt − t)·(1/B), given p = softmax(z) (softmax and cross entropy fused).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SoftmaxCrossEntropyGradientOperator<T>(T mass, T inv) : ILossGradientOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T p, T t) => (p * mass - t) * inv;
    public Vector256<T> Invoke(Vector256<T> p, Vector256<T> t) => (p * Vector256.Create(mass) - t) * Vector256.Create(inv);
}

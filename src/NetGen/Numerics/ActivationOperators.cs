using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// One element-wise activation: the function and its derivative, written once and used by the CPU
/// kernels (through <see cref="Activations"/>) and the GPU kernels alike. <c>Derivative(z, a)</c>
/// receives both the input z and the output a = f(z), so each operator uses whichever is cheaper.
/// </summary>
public interface IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>a = f(z).</summary>
    T Invoke(T z);
    /// <summary>f'(z), given z and a = f(z).</summary>
    T Derivative(T z, T a);
}

/// <summary>f(z) = z; f' = 1.</summary>
public readonly struct LinearOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.One;
}

/// <summary>f(z) = 1 if z ≥ 0 else 0; f' = 0 (almost everywhere).</summary>
public readonly struct BinaryStepOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z >= T.Zero ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.Zero;
}

/// <summary>f(z) = 1 / (1 + e^−z); f' = a·(1 − a).</summary>
public readonly struct SigmoidOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => T.One / (T.One + T.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => a * (T.One - a);
}

/// <summary>f(z) = tanh z; f' = 1 − a².</summary>
public readonly struct TanhOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => T.Tanh(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.One - a * a;
}

/// <summary>f(z) = max(0, z); f' = 1 if z &gt; 0 else 0 (PyTorch's choice at 0).</summary>
public readonly struct ReLUOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z > T.Zero ? z : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero;
}

/// <summary>f(z) = z if z ≥ 0 else α·z; f' = 1 or α.</summary>
public readonly struct LeakyReLUOperator<T>(T alpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Alpha => alpha;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z >= T.Zero ? z : alpha * z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : alpha;
}

/// <summary>f(z) = z if z &gt; 0 else α·(e^z − 1); f' = 1 or a + α.</summary>
public readonly struct ELUOperator<T>(T alpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Alpha => alpha;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z > T.Zero ? z : alpha * (T.Exp(z) - T.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : a + alpha;
}

/// <summary>f(z) = z·σ(z); f' = σ(z) + a·(1 − σ(z)).</summary>
public readonly struct SwishOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z / (T.One + T.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T z, T a)
    {
        T s = T.One / (T.One + T.Exp(-z));
        return s + a * (T.One - s);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// One element-wise activation: the function and its derivative, written once and used by the CPU
/// kernels (through <see cref="Activations"/>) and the GPU kernels alike. <c>Derivative(z, a)</c>
/// receives both the input z and the output a = f(z), so each operator uses whichever is cheaper.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>a = f(z).</summary>
    T Invoke(T z);
    /// <summary>f'(z), given z and a = f(z).</summary>
    T Derivative(T z, T a);

    /// <summary>
    /// True when the operator implements the vector forms below itself (the kernels then use them
    /// for float and double). The defaults apply the scalar forms lane by lane and are never used
    /// by the kernels, so an operator that does not vectorise costs nothing (and never boxes).
    /// </summary>
    static virtual bool IsVectorized => false;

    /// <summary>a = f(z), lane-wise.</summary>
    Vector512<T> Invoke(Vector512<T> z) { for (int i = 0; i < Vector512<T>.Count; i++) z = z.WithElement(i, Invoke(z.GetElement(i))); return z; }
    /// <summary>a = f(z), lane-wise.</summary>
    Vector256<T> Invoke(Vector256<T> z) { for (int i = 0; i < Vector256<T>.Count; i++) z = z.WithElement(i, Invoke(z.GetElement(i))); return z; }
    /// <summary>f'(z) given a = f(z), lane-wise.</summary>
    Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) { for (int i = 0; i < Vector512<T>.Count; i++) z = z.WithElement(i, Derivative(z.GetElement(i), a.GetElement(i))); return z; }
    /// <summary>f'(z) given a = f(z), lane-wise.</summary>
    Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) { for (int i = 0; i < Vector256<T>.Count; i++) z = z.WithElement(i, Derivative(z.GetElement(i), a.GetElement(i))); return z; }
}

/// <summary>f(z) = z; f' = 1.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct LinearOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.One;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512<T>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256<T>.One;
}

/// <summary>f(z) = 1 if z ≥ 0 else 0; f' = 0 (almost everywhere).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct BinaryStepOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z >= T.Zero ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.Zero;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256<T>.Zero;
}

/// <summary>f(z) = 1 / (1 + e^−z); f' = a·(1 − a).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct SigmoidOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => T.One / (T.One + T.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => a * (T.One - a);

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => Vector512<T>.One / (Vector512<T>.One + VectorMath.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => a * (Vector512<T>.One - a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => Vector256<T>.One / (Vector256<T>.One + VectorMath.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => a * (Vector256<T>.One - a);
}

/// <summary>f(z) = tanh z; f' = 1 − a².</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct TanhOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => T.Tanh(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => T.One - a * a;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => VectorMath.Tanh(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512<T>.One - a * a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => VectorMath.Tanh(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256<T>.One - a * a;
}

/// <summary>f(z) = max(0, z); f' = 1 if z &gt; 0 else 0 (PyTorch's choice at 0).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ReLUOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z > T.Zero ? z : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), z, Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), z, Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero);
}

/// <summary>f(z) = z if z ≥ 0 else α·z; f' = 1 or α.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct LeakyReLUOperator<T>(T alpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Alpha => alpha;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z >= T.Zero ? z : alpha * z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : alpha;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), z, Vector512.Create(alpha) * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), Vector512<T>.One, Vector512.Create(alpha));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), z, Vector256.Create(alpha) * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), Vector256<T>.One, Vector256.Create(alpha));
}

/// <summary>f(z) = z if z &gt; 0 else α·(e^z − 1); f' = 1 or a + α.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct ELUOperator<T>(T alpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Alpha => alpha;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z > T.Zero ? z : alpha * ExpMinusOne.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Derivative(T z, T a) => z > T.Zero ? T.One : a + alpha;

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), z, Vector512.Create(alpha) * ExpMinusOne.Invoke(z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), Vector512<T>.One, a + Vector512.Create(alpha));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), z, Vector256.Create(alpha) * ExpMinusOne.Invoke(z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), Vector256<T>.One, a + Vector256.Create(alpha));
}

/// <summary>f(z) = z·σ(z); f' = σ(z) + a·(1 − σ(z)).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct SwishOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public T Invoke(T z) => z / (T.One + T.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T z, T a)
    {
        T s = T.One / (T.One + T.Exp(-z));
        return s + a * (T.One - s);
    }

    /// <inheritdoc/>
    public static bool IsVectorized => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<T> Invoke(Vector512<T> z) => z / (Vector512<T>.One + VectorMath.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a)
    {
        Vector512<T> s = Vector512<T>.One / (Vector512<T>.One + VectorMath.Exp(-z));
        return s + a * (Vector512<T>.One - s);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Invoke(Vector256<T> z) => z / (Vector256<T>.One + VectorMath.Exp(-z));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a)
    {
        Vector256<T> s = Vector256<T>.One / (Vector256<T>.One + VectorMath.Exp(-z));
        return s + a * (Vector256<T>.One - s);
    }
}

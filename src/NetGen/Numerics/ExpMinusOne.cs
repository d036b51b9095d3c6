using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// e^z − 1 without the cancellation of <c>Exp(z) − 1</c> near 0 (PyTorch's ELU uses expm1; .NET's
/// <c>ExpM1</c> is <c>Exp(z) − 1</c>). For |z| &lt; 1/4 a degree-11 Taylor polynomial (relative error
/// below 1e-14), else the exponential. ELU(0) is then exactly 0.
/// </summary>
internal static class ExpMinusOne
{
    private const double Threshold = 0.25;

    /// <summary>
    /// The scalar form, also compiled by ILGPU for the GPU kernels: built from <c>T.One</c> and plain
    /// arithmetic only (ILGPU cannot compile <c>T.CreateTruncating</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.One + T.One;
        T quarter = T.One / (two * two);
        if (T.Abs(z) >= quarter) return T.Exp(z) - T.One;
        // z·(1 + z/2·(1 + z/3·(1 + ... (1 + z/11)))), by Horner's rule.
        T s = T.One;
        T k = two * two * two + two + T.One; // 11
        for (int i = 0; i < 10; i++, k -= T.One) s = T.One + z * s / k;
        return z * s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke<T>(Vector512<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> s = Vector512<T>.One;
        for (int k = 11; k >= 2; k--) s = Vector512<T>.One + z * s * Vector512.Create(T.One / T.CreateTruncating(k));
        Vector512<T> small = Vector512.LessThan(Vector512.Abs(z), Vector512.Create(T.CreateTruncating(Threshold)));
        return Vector512.ConditionalSelect(small, z * s, VectorMath.Exp(z) - Vector512<T>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> s = Vector256<T>.One;
        for (int k = 11; k >= 2; k--) s = Vector256<T>.One + z * s * Vector256.Create(T.One / T.CreateTruncating(k));
        Vector256<T> small = Vector256.LessThan(Vector256.Abs(z), Vector256.Create(T.CreateTruncating(Threshold)));
        return Vector256.ConditionalSelect(small, z * s, VectorMath.Exp(z) - Vector256<T>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke<T>(Vector128<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> s = Vector128<T>.One;
        for (int k = 11; k >= 2; k--) s = Vector128<T>.One + z * s * Vector128.Create(T.One / T.CreateTruncating(k));
        Vector128<T> small = Vector128.LessThan(Vector128.Abs(z), Vector128.Create(T.CreateTruncating(Threshold)));
        return Vector128.ConditionalSelect(small, z * s, VectorMath.Exp(z) - Vector128<T>.One);
    }
}

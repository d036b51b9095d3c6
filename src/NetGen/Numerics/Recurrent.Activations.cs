using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The gate nonlinearities of the recurrent cells, σ and tanh, on 256-bit vectors. For float they use a
/// short exponential of their own (below): the cells evaluate five of them per LSTM unit and step, and
/// the library's Vector256.Exp for float (which works in double) cost as much as the step's products.
/// Double keeps VectorMath.Exp (the finite-difference tests run in double).
/// </summary>
internal static class RecurrentActivations
{
    /// <summary>σ(z) = 1 / (1 + e^−z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> z) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256<T>.One / (Vector256<T>.One + Exp(-z));

    /// <summary>
    /// tanh z = sign(z)·(1 − e^−2|z|)/(1 + e^−2|z|); below |z| = 1/16 the odd Taylor series to z⁹, where
    /// the quotient would lose digits to cancellation (the same split as VectorMath.Tanh).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return VectorMath.Tanh(z);
        Vector256<T> one = Vector256<T>.One, ax = Vector256.Abs(z);
        Vector256<T> e = Exp(ax * Vector256.Create(T.CreateTruncating(-2.0)));
        Vector256<T> big = Vector256.CopySign((one - e) / (one + e), z);
        Vector256<T> z2 = z * z;
        Vector256<T> p = Vector256.Create(T.CreateTruncating(62.0 / 2835.0));
        p = p * z2 - Vector256.Create(T.CreateTruncating(17.0 / 315.0));
        p = p * z2 + Vector256.Create(T.CreateTruncating(2.0 / 15.0));
        p = p * z2 - Vector256.Create(T.CreateTruncating(1.0 / 3.0));
        Vector256<T> small = z + z * (z2 * p);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(T.CreateTruncating(0.0625))), small, big);
    }

    /// <summary>e^z: for float <see cref="ExpFloat"/>, else VectorMath.Exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> z) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? ExpFloat(z.AsSingle()).As<float, T>() : VectorMath.Exp(z);

    /// <summary>
    /// e^z in float: z = n·ln 2 + r with n = round(z / ln 2) and |r| ≤ ln 2 / 2 (ln 2 in two parts, so r is
    /// exact to float rounding), e^r by its Taylor polynomial to r⁷ (truncation below 2e-9 relative, under
    /// float's half ulp), times 2ⁿ built in the exponent bits. z is clamped to [−87, 88], where 2ⁿ stays a
    /// normal float: below, e^z is under 1.7e-38 (σ and tanh reach 0 or ±1 there anyway).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpFloat(Vector256<float> z)
    {
        z = Vector256.Min(Vector256.Max(z, Vector256.Create(-87f)), Vector256.Create(88f));
        // n = round(z·log₂e); r = z − n·ln 2.
        Vector256<float> n = Vector256.Round(z * Vector256.Create(1.44269504f));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693145752f), z);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-1.42860677e-6f), r);
        // e^r = 1 + r + r²/2! + … + r⁷/7! (Horner).
        Vector256<float> p = Vector256.Create(1f / 5040f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 720f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        // 2ⁿ: n + 127 in the exponent field.
        Vector256<int> bits = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return p * bits.AsSingle();
    }

    /// <summary>y = σ(x) element-wise (y may be x): whole vectors here, the rest with the scalar σ.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && y.Length >= x.Length)
        {
            ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
            for (; j + Vector256<T>.Count <= x.Length; j += Vector256<T>.Count)
                Sigmoid(Vector256.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        }
        for (; j < x.Length; j++) y[j] = T.One / (T.One + T.Exp(-x[j]));
    }

    /// <summary>y = tanh(x) element-wise (y may be x): whole vectors here, the rest with the scalar tanh.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && y.Length >= x.Length)
        {
            ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
            for (; j + Vector256<T>.Count <= x.Length; j += Vector256<T>.Count)
                Tanh(Vector256.LoadUnsafe(ref xr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        }
        for (; j < x.Length; j++) y[j] = T.Tanh(x[j]);
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// One SIMD width, as static members, so a kernel is written once over <c>TVec</c> and specialised by
/// the JIT for <see cref="Vector512{T}"/> or <see cref="Vector256{T}"/> (both structs, so no sharing
/// and no indirection: every call below inlines to one or two instructions).
/// </summary>
internal interface ISimd<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(T value);
    static abstract unsafe TVec Load(T* source);
    static abstract unsafe void Store(TVec value, T* destination);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    /// <summary>a·b + c with one rounding (an FMA instruction on the hardware we specialise for).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    /// <summary>Σ lanes, always in the same order.</summary>
    static abstract T Sum(TVec v);
    /// <summary>Lanes of <paramref name="mask"/> set: from <paramref name="a"/>, else from <paramref name="b"/>.</summary>
    static abstract TVec Select(TVec mask, TVec a, TVec b);
    /// <summary>A mask of the lanes at or above <paramref name="lane"/>.</summary>
    static abstract TVec LanesFrom(int lane);
    /// <summary>The lane sums of four vectors at once (a transposing reduction), always in the same order.</summary>
    static abstract void Sum4(TVec a0, TVec a1, TVec a2, TVec a3, out T s0, out T s1, out T s2, out T s3);
}

/// <summary>AVX-512: 16 floats or 8 doubles per vector.</summary>
internal readonly struct Simd512<T> : ISimd<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Vector512<T> Load(T* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void Store(Vector512<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Simd.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector512<T> v) => Vector512.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Select(Vector512<T> mask, Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> LanesFrom(int lane) => Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(lane)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector512<T> a0, Vector512<T> a1, Vector512<T> a2, Vector512<T> a3, out T s0, out T s1, out T s2, out T s3)
        => Simd256<T>.Sum4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper(), out s0, out s1, out s2, out s3);
}

/// <summary>AVX2: 8 floats or 4 doubles per vector.</summary>
internal readonly struct Simd256<T> : ISimd<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Vector256<T> Load(T* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void Store(Vector256<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => Simd.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector256<T> v) => Vector256.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Select(Vector256<T> mask, Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> LanesFrom(int lane) => Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(lane)));

    // Transposing reduction: pairs of vectors are interleaved and added, so 4 sums take 7 shuffles
    // and 5 adds instead of 4 separate horizontal sums.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector256<T> a0, Vector256<T> a1, Vector256<T> a2, Vector256<T> a3, out T s0, out T s1, out T s2, out T s3)
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            Vector256<float> b0 = a0.AsSingle(), b1 = a1.AsSingle(), b2 = a2.AsSingle(), b3 = a3.AsSingle();
            // Per 128-bit half: t01 = [a0₀+a0₂, a1₀+a1₂, a0₁+a0₃, a1₁+a1₃], t23 likewise for a2, a3.
            Vector256<float> t01 = Avx.UnpackLow(b0, b1) + Avx.UnpackHigh(b0, b1);
            Vector256<float> t23 = Avx.UnpackLow(b2, b3) + Avx.UnpackHigh(b2, b3);
            // [a0, a1, a2, a3] partial sums per half, then the halves added.
            Vector256<float> u = Avx.Shuffle(t01, t23, 0b01_00_01_00) + Avx.Shuffle(t01, t23, 0b11_10_11_10);
            Vector128<float> r = u.GetLower() + u.GetUpper();
            s0 = T.CreateTruncating(r.GetElement(0)); s1 = T.CreateTruncating(r.GetElement(1));
            s2 = T.CreateTruncating(r.GetElement(2)); s3 = T.CreateTruncating(r.GetElement(3));
        }
        else if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            Vector256<double> b0 = a0.AsDouble(), b1 = a1.AsDouble(), b2 = a2.AsDouble(), b3 = a3.AsDouble();
            // t01 = [a0₀+a0₁, a1₀+a1₁ | a0₂+a0₃, a1₂+a1₃], t23 likewise.
            Vector256<double> t01 = Avx.UnpackLow(b0, b1) + Avx.UnpackHigh(b0, b1);
            Vector256<double> t23 = Avx.UnpackLow(b2, b3) + Avx.UnpackHigh(b2, b3);
            Vector256<double> r = Avx.Permute2x128(t01, t23, 0x20) + Avx.Permute2x128(t01, t23, 0x31);
            s0 = T.CreateTruncating(r.GetElement(0)); s1 = T.CreateTruncating(r.GetElement(1));
            s2 = T.CreateTruncating(r.GetElement(2)); s3 = T.CreateTruncating(r.GetElement(3));
        }
        else
        {
            s0 = Vector256.Sum(a0); s1 = Vector256.Sum(a1); s2 = Vector256.Sum(a2); s3 = Vector256.Sum(a3);
        }
    }
}

/// <summary>128-bit vectors (Arm64 AdvSimd, or x64 without AVX2): 4 floats or 2 doubles per vector.</summary>
internal readonly struct Simd128<T> : ISimd<Vector128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Vector128<T> Load(T* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe void Store(Vector128<T> value, T* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => Simd.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector128<T> v) => Vector128.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Select(Vector128<T> mask, Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> LanesFrom(int lane) => Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(lane)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector128<T> a0, Vector128<T> a1, Vector128<T> a2, Vector128<T> a3, out T s0, out T s1, out T s2, out T s3)
    {
        s0 = Vector128.Sum(a0); s1 = Vector128.Sum(a1); s2 = Vector128.Sum(a2); s3 = Vector128.Sum(a3);
    }
}

/// <summary>Which path a kernel takes; every test here is a JIT-time constant.</summary>
internal static class Simd
{
    /// <summary>float or double: the element types with hardware vector arithmetic.</summary>
    public static bool IsSupported<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Use <see cref="Simd512{T}"/>.</summary>
    public static bool Use512<T>() => IsSupported<T>() && Vector512.IsHardwareAccelerated;

    /// <summary>Use <see cref="Simd256{T}"/> (no AVX-512).</summary>
    public static bool Use256<T>() => IsSupported<T>() && !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated;

    /// <summary>Use <see cref="Simd128{T}"/> (Arm64, or x64 without AVX2).</summary>
    public static bool Use128<T>() => IsSupported<T>() && !Vector512.IsHardwareAccelerated && !Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    /// <summary>Scalar a·b + c with one rounding: the same operation as one lane of the vector FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T> => T.FusedMultiplyAdd(a, b, c);
}

/// <summary>Element-wise math on vectors of float or double (the JIT keeps one branch).</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector512.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector128.Exp(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector512.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
    {
        if (typeof(T) == typeof(float)) return Vector256.Log(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Log(x.AsDouble()).As<double, T>();
        throw new NotSupportedException();
    }

    // tanh z = sign(z)·(1 − e^−2|z|)/(1 + e^−2|z|); below |z| = 1/16 the odd Taylor series to z⁹
    // (relative error < 1e-14), where the quotient would lose digits to cancellation.
    private const double TanhSeriesLimit = 0.0625;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> one = Vector512<T>.One, ax = Vector512.Abs(z);
        Vector512<T> e = Exp(ax * Vector512.Create(T.CreateTruncating(-2.0)));
        Vector512<T> big = Vector512.CopySign((one - e) / (one + e), z);
        Vector512<T> z2 = z * z;
        Vector512<T> p = Vector512.Create(T.CreateTruncating(62.0 / 2835.0));
        p = p * z2 - Vector512.Create(T.CreateTruncating(17.0 / 315.0));
        p = p * z2 + Vector512.Create(T.CreateTruncating(2.0 / 15.0));
        p = p * z2 - Vector512.Create(T.CreateTruncating(1.0 / 3.0));
        Vector512<T> small = z + z * (z2 * p);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(T.CreateTruncating(TanhSeriesLimit))), small, big);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> one = Vector256<T>.One, ax = Vector256.Abs(z);
        Vector256<T> e = Exp(ax * Vector256.Create(T.CreateTruncating(-2.0)));
        Vector256<T> big = Vector256.CopySign((one - e) / (one + e), z);
        Vector256<T> z2 = z * z;
        Vector256<T> p = Vector256.Create(T.CreateTruncating(62.0 / 2835.0));
        p = p * z2 - Vector256.Create(T.CreateTruncating(17.0 / 315.0));
        p = p * z2 + Vector256.Create(T.CreateTruncating(2.0 / 15.0));
        p = p * z2 - Vector256.Create(T.CreateTruncating(1.0 / 3.0));
        Vector256<T> small = z + z * (z2 * p);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(T.CreateTruncating(TanhSeriesLimit))), small, big);
    }
}

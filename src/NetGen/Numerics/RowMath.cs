using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Reductions and maps over one short row (a softmax row, say: often 10 wide), vectorised with the
/// widest vector that fits, then narrower ones, then scalars, so short rows are fast too.
/// Each is deterministic: the same row always gives the same bits.
/// </summary>
internal static class RowMath
{
    /// <summary>The largest element (a row holding NaN gives NaN downstream either way).</summary>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        T max = x[0];
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                Vector512<T> m = Vector512.LoadUnsafe(ref r);
                for (i = Vector512<T>.Count; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                {
                    Vector512<T> v = Vector512.LoadUnsafe(ref r, (nuint)i);
                    m = Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);
                }
                for (int l = 0; l < Vector512<T>.Count; l++) if (m.GetElement(l) > max) max = m.GetElement(l);
            }
            if (Vector256.IsHardwareAccelerated && i + Vector256<T>.Count <= n)
            {
                Vector256<T> m = Vector256.LoadUnsafe(ref r, (nuint)i);
                for (i += Vector256<T>.Count; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                {
                    Vector256<T> v = Vector256.LoadUnsafe(ref r, (nuint)i);
                    m = Vector256.ConditionalSelect(Vector256.GreaterThan(v, m), v, m);
                }
                for (int l = 0; l < Vector256<T>.Count; l++) if (m.GetElement(l) > max) max = m.GetElement(l);
            }
        }
        for (; i < n; i++) if (x[i] > max) max = x[i];
        return max;
    }

    /// <summary>Σ e^(x − shift); also stores each term in <paramref name="terms"/> when it is not empty.</summary>
    public static T SumExp<T>(ReadOnlySpan<T> x, T shift, Span<T> terms) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool store = !terms.IsEmpty;
        ref T r = ref MemoryMarshal.GetReference(x);
        ref T o = ref MemoryMarshal.GetReference(terms);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                Vector512<T> s = Vector512<T>.Zero, c = Vector512.Create(shift);
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                {
                    Vector512<T> e = VectorMath.Exp(Vector512.LoadUnsafe(ref r, (nuint)i) - c);
                    if (store) e.StoreUnsafe(ref o, (nuint)i);
                    s += e;
                }
                sum += Vector512.Sum(s);
            }
            if (Vector256.IsHardwareAccelerated && i + Vector256<T>.Count <= n)
            {
                Vector256<T> s = Vector256<T>.Zero, c = Vector256.Create(shift);
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                {
                    Vector256<T> e = VectorMath.Exp(Vector256.LoadUnsafe(ref r, (nuint)i) - c);
                    if (store) e.StoreUnsafe(ref o, (nuint)i);
                    s += e;
                }
                sum += Vector256.Sum(s);
            }
            if (Vector128.IsHardwareAccelerated && i + Vector128<T>.Count <= n)
            {
                Vector128<T> s = Vector128<T>.Zero, c = Vector128.Create(shift);
                for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
                {
                    Vector128<T> e = VectorMath.Exp(Vector128.LoadUnsafe(ref r, (nuint)i) - c);
                    if (store) e.StoreUnsafe(ref o, (nuint)i);
                    s += e;
                }
                sum += Vector128.Sum(s);
            }
        }
        for (; i < n; i++)
        {
            T e = T.Exp(x[i] - shift);
            if (store) terms[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>x ← x·factor.</summary>
    public static void Scale<T>(Span<T> x, T factor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated)
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) (Vector512.LoadUnsafe(ref r, (nuint)i) * factor).StoreUnsafe(ref r, (nuint)i);
            if (Vector256.IsHardwareAccelerated)
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) (Vector256.LoadUnsafe(ref r, (nuint)i) * factor).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < n; i++) x[i] *= factor;
    }

    /// <summary>Σ xᵢ·yᵢ.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                Vector512<T> s = Vector512<T>.Zero;
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                    s += Vector512.LoadUnsafe(ref rx, (nuint)i) * Vector512.LoadUnsafe(ref ry, (nuint)i);
                sum += Vector512.Sum(s);
            }
            if (Vector256.IsHardwareAccelerated && i + Vector256<T>.Count <= n)
            {
                Vector256<T> s = Vector256<T>.Zero;
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                    s += Vector256.LoadUnsafe(ref rx, (nuint)i) * Vector256.LoadUnsafe(ref ry, (nuint)i);
                sum += Vector256.Sum(s);
            }
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Σ xᵢ.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                Vector512<T> s = Vector512<T>.Zero;
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) s += Vector512.LoadUnsafe(ref rx, (nuint)i);
                sum += Vector512.Sum(s);
            }
            if (Vector256.IsHardwareAccelerated && i + Vector256<T>.Count <= n)
            {
                Vector256<T> s = Vector256<T>.Zero;
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) s += Vector256.LoadUnsafe(ref rx, (nuint)i);
                sum += Vector256.Sum(s);
            }
        }
        for (; i < n; i++) sum += x[i];
        return sum;
    }
}

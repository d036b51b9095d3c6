using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>Inverted dropout: the mask holds 0 or 1/(1 − rate) per element.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Dropout
{
    /// <summary>Draws a mask and applies it: y = x ⊙ mask.</summary>
    /// <remarks>
    /// Element i drops when the generator's (i+1)-th NextDouble() is below <paramref name="rate"/>.
    /// SplitMix64's k-th output depends only on State + k·γ, so with AVX-512 the draws for 8 (double)
    /// or 16 (float) elements are made at once; the mask, y and the generator's final state are the
    /// same bits as drawing one by one.
    /// </remarks>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, double rate, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length || mask.Length < x.Length) throw new ArgumentException("Output or mask shorter than input.");
        T keep = DropoutMask.KeepScale<T>(rate);
        // NextDouble() < rate  ⇔  (bits >> 11)·2⁻⁵³ < rate  ⇔  (bits >> 11) < ⌈rate·2⁵³⌉ (exact: bits >> 11 < 2⁵³).
        ulong threshold = DropoutMask.Threshold(rate);
        int n = x.Length, i = 0;
        if (Simd.Use512<T>() && n >= 16)
        {
            i = typeof(T) == typeof(float)
                ? ForwardFloat512(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(mask), float.CreateTruncating(keep), threshold, ref rng)
                : ForwardDouble512(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(mask), double.CreateTruncating(keep), threshold, ref rng);
        }
        for (; i < n; i++)
        {
            mask[i] = DropoutMask.Drops(rng.NextUInt64(), threshold) ? T.Zero : keep;
            y[i] = x[i] * mask[i];
        }
    }

    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64's output for each lane's state (the mix of <see cref="SplitMix64.NextUInt64"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    private static int ForwardFloat512(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float keep, ulong threshold, ref SplitMix64 rng)
    {
        ref float xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), mr = ref MemoryMarshal.GetReference(mask);
        Vector512<ulong> step = Vector512.Create(unchecked(16 * Gamma)), limit = Vector512.Create(threshold);
        Vector512<ulong> s0 = Vector512.Create(rng.State) + Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * Vector512.Create(Gamma);
        Vector512<ulong> s1 = s0 + Vector512.Create(unchecked(8 * Gamma));
        Vector512<float> vkeep = Vector512.Create(keep);
        int i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            Vector512<ulong> drop0 = Vector512.LessThan(Vector512.ShiftRightLogical(Mix(s0), 11), limit);
            Vector512<ulong> drop1 = Vector512.LessThan(Vector512.ShiftRightLogical(Mix(s1), 11), limit);
            Vector512<float> m = Vector512.ConditionalSelect(Vector512.Narrow(drop0, drop1).AsSingle(), Vector512<float>.Zero, vkeep);
            m.StoreUnsafe(ref mr, (nuint)i);
            (Vector512.LoadUnsafe(ref xr, (nuint)i) * m).StoreUnsafe(ref yr, (nuint)i);
            s0 += step; s1 += step;
        }
        rng.State += (ulong)i * Gamma;
        return i;
    }

    private static int ForwardDouble512(ReadOnlySpan<double> x, Span<double> y, Span<double> mask, double keep, ulong threshold, ref SplitMix64 rng)
    {
        ref double xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), mr = ref MemoryMarshal.GetReference(mask);
        Vector512<ulong> step = Vector512.Create(unchecked(8 * Gamma)), limit = Vector512.Create(threshold);
        Vector512<ulong> s = Vector512.Create(rng.State) + Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * Vector512.Create(Gamma);
        Vector512<double> vkeep = Vector512.Create(keep);
        int i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            Vector512<double> m = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.ShiftRightLogical(Mix(s), 11), limit).AsDouble(), Vector512<double>.Zero, vkeep);
            m.StoreUnsafe(ref mr, (nuint)i);
            (Vector512.LoadUnsafe(ref xr, (nuint)i) * m).StoreUnsafe(ref yr, (nuint)i);
            s += step;
        }
        rng.State += (ulong)i * Gamma;
        return i;
    }

    /// <summary>dx = dy ⊙ mask.</summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mask.Length < dy.Length || dx.Length < dy.Length) throw new ArgumentException("Mask or output shorter than input.");
        ref T dyr = ref MemoryMarshal.GetReference(dy), mr = ref MemoryMarshal.GetReference(mask), dxr = ref MemoryMarshal.GetReference(dx);
        nuint n = (nuint)dy.Length, i = 0;
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dyr, i) * Vector256.LoadUnsafe(ref mr, i)).StoreUnsafe(ref dxr, i);
        for (; i < n; i++) Unsafe.Add(ref dxr, i) = Unsafe.Add(ref dyr, i) * Unsafe.Add(ref mr, i);
    }
}

/// <summary>Maxout: a[b,u] = maxₚ z[b, u·pieces + p]; the gradient flows to the arg-max piece only.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Maxout
{
    /// <summary>Takes each unit's maximum piece and records which one won.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<int> argmax, int batch, int units, int pieces) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < batch * units; r++)
        {
            int o = r * pieces, best = 0;
            T max = z[o];
            for (int p = 1; p < pieces; p++) if (z[o + p] > max) { max = z[o + p]; best = p; }
            a[r] = max;
            argmax[r] = best;
        }
    }

    /// <summary>dz[b, u·pieces + p] = da[b,u] where p won, else 0.</summary>
    public static void Backward<T>(ReadOnlySpan<T> da, ReadOnlySpan<int> argmax, Span<T> dz, int batch, int units, int pieces) where T : unmanaged, IFloatingPointIeee754<T>
    {
        dz.Slice(0, batch * units * pieces).Clear();
        for (int r = 0; r < batch * units; r++) dz[r * pieces + argmax[r]] = da[r];
    }
}

/// <summary>Rosenblatt's perceptron rule, written as a gradient so every optimizer can apply it.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Perceptron
{
    /// <summary>dW[u,i] = −Σ_b (t − y)[b,u]·x[b,i]; db[u] = −Σ_b (t − y)[b,u]. With SGD and batch 1 this is w += lr·(t − y)·x.</summary>
    public static void Gradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dw, Span<T> db, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dw.Slice(0, units * inputs).Clear();
        db.Slice(0, units).Clear();
        for (int b = 0; b < batch; b++)
            for (int u = 0; u < units; u++)
            {
                T e = t[b * units + u] - y[b * units + u];
                if (e == T.Zero) continue;
                db[u] -= e;
                Axpy(e, x.Slice(b * inputs, inputs), dw.Slice(u * inputs, inputs));
            }
    }

    /// <summary>d ← d − e·x, element-wise (vectorised with the same operations, so the same bits).</summary>
    private static void Axpy<T>(T e, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x), dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> ve = Vector256.Create(e);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dr, i) - ve * Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref dr, i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) -= e * Unsafe.Add(ref xr, i);
    }
}

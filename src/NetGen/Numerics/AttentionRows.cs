using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The row operations attention is made of, vectorised with the widest vector that fits, then
/// narrower ones, then scalars (rows are short: a head is often 16–64 wide, a causal row 1..time).
/// Every element goes through one fused multiply-add per call, so the bits never depend on the width.
/// </summary>
internal static class AttentionRows
{
    /// <summary>y ← y + α·x over y's length.</summary>
    public static void AddScaled<T>(Span<T> y, ReadOnlySpan<T> x, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = y.Length, i = 0;
        if (x.Length < n) throw new ArgumentException($"Expected at least {n} elements, got {x.Length}.", nameof(x));
        if (Simd.IsSupported<T>())
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                Vector512<T> a = Vector512.Create(alpha);
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                    Simd.MultiplyAdd(a, Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
            if (Vector256.IsHardwareAccelerated && i + Vector256<T>.Count <= n)
            {
                Vector256<T> a = Vector256.Create(alpha);
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                    Simd.MultiplyAdd(a, Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
            if (Vector128.IsHardwareAccelerated && i + Vector128<T>.Count <= n)
            {
                Vector128<T> a = Vector128.Create(alpha);
                for (; i + Vector128<T>.Count <= n; i += Vector128<T>.Count)
                    Simd.MultiplyAdd(a, Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++) y[i] = Simd.MultiplyAdd(alpha, x[i], y[i]);
    }

    /// <summary>y ← y + x, element-wise over y's length.</summary>
    public static void Add<T>(Span<T> y, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Add(y, y, x);

    /// <summary>destination ← a + b, element-wise over destination's length (destination may be a or b).</summary>
    public static void Add<T>(Span<T> destination, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T dr = ref MemoryMarshal.GetReference(destination);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        int n = destination.Length, i = 0;
        if (a.Length < n || b.Length < n) throw new ArgumentException($"Expected at least {n} elements, got {Math.Min(a.Length, b.Length)}.", a.Length < n ? nameof(a) : nameof(b));
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref ar, (nuint)i) + Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) destination[i] = a[i] + b[i];
    }

    /// <summary>
    /// c += Σ_s (w[s]·scale)·v[s] over s &lt; <paramref name="keys"/> (row s of v at s·<paramref name="stride"/>, d wide),
    /// s in order: each element the FMA chain a separate <see cref="AddScaled{T}"/> per key would give
    /// (context rows: v the values, w a probability row; score rows: v = kᵀ, w = q, scale 1/√d).
    /// </summary>
    public static unsafe void AccumulateWeightedRows<T>(T* c, T* v, nint stride, T* w, T scale, int keys, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        // Column blocks of one vector: the accumulator stays in a register across all the keys.
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; j + Vector256<T>.Count <= d; j += Vector256<T>.Count)
            {
                Vector256<T> acc = Vector256.Load(c + j);
                T* row = v + j;
                for (int s = 0; s < keys; s++, row += stride) acc = Simd.MultiplyAdd(Vector256.Create(w[s] * scale), Vector256.Load(row), acc);
                acc.Store(c + j);
            }
        if (Simd.IsSupported<T>() && Vector128.IsHardwareAccelerated)
            for (; j + Vector128<T>.Count <= d; j += Vector128<T>.Count)
            {
                Vector128<T> acc = Vector128.Load(c + j);
                T* row = v + j;
                for (int s = 0; s < keys; s++, row += stride) acc = Simd.MultiplyAdd(Vector128.Create(w[s] * scale), Vector128.Load(row), acc);
                acc.Store(c + j);
            }
        for (; j < d; j++)
        {
            T acc = c[j];
            T* row = v + j;
            for (int s = 0; s < keys; s++, row += stride) acc = Simd.MultiplyAdd(w[s] * scale, *row, acc);
            c[j] = acc;
        }
    }

    /// <summary>
    /// The key-side updates of one query row t in attention's backward pass, fused into one sweep over the
    /// keys s &lt; <paramref name="keys"/> (row s of k, dk, dv at s·<paramref name="stride"/>):
    /// dq += dS[s]·k[s]; dk[s] += dS[s]·q; dv[s] += P[s]·dc. Each element gets the FMAs a separate
    /// <see cref="AddScaled{T}"/> per key would give, in the same order.
    /// </summary>
    public static unsafe void AccumulateKeyRows<T>(T* q, T* dq, T* dc, T* k, T* dk, T* dv, nint stride, T* dS, T* p, int keys, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int s = 0; s < keys; s++, k += stride, dk += stride, dv += stride)
        {
            T g = dS[s], w = p[s];
            int j = 0;
            if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            {
                Vector256<T> vg = Vector256.Create(g), vw = Vector256.Create(w);
                for (; j + Vector256<T>.Count <= d; j += Vector256<T>.Count)
                {
                    Simd.MultiplyAdd(vg, Vector256.Load(k + j), Vector256.Load(dq + j)).Store(dq + j);
                    Simd.MultiplyAdd(vg, Vector256.Load(q + j), Vector256.Load(dk + j)).Store(dk + j);
                    Simd.MultiplyAdd(vw, Vector256.Load(dc + j), Vector256.Load(dv + j)).Store(dv + j);
                }
            }
            if (Simd.IsSupported<T>() && Vector128.IsHardwareAccelerated)
            {
                Vector128<T> vg = Vector128.Create(g), vw = Vector128.Create(w);
                for (; j + Vector128<T>.Count <= d; j += Vector128<T>.Count)
                {
                    Simd.MultiplyAdd(vg, Vector128.Load(k + j), Vector128.Load(dq + j)).Store(dq + j);
                    Simd.MultiplyAdd(vg, Vector128.Load(q + j), Vector128.Load(dk + j)).Store(dk + j);
                    Simd.MultiplyAdd(vw, Vector128.Load(dc + j), Vector128.Load(dv + j)).Store(dv + j);
                }
            }
            for (; j < d; j++)
            {
                dq[j] = Simd.MultiplyAdd(g, k[j], dq[j]);
                dk[j] = Simd.MultiplyAdd(g, q[j], dk[j]);
                dv[j] = Simd.MultiplyAdd(w, dc[j], dv[j]);
            }
        }
    }

    /// <summary>
    /// Softmax of row[0..length) in place, the row maximum subtracted first: p = e^(s − max) / Σ e^(s − max).
    /// Entries from <paramref name="length"/> to the end of the row are set to exactly 0 (masked positions).
    /// </summary>
    public static void Softmax<T>(Span<T> row, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> live = row.Slice(0, length);
        T max = RowMath.Max<T>(live);
        T sum = RowMath.SumExp<T>(live, max, live);
        RowMath.Scale(live, T.One / sum);
        row.Slice(length).Clear();
    }
}

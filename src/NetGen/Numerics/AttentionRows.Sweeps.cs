using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The two sweeps attention's products are made of, register-blocked: four vector accumulators (four
// independent FMA chains, so the FMA latency is hidden) per pass over the rows, then single vectors,
// then scalars. Per element, the sequence is one FMA chain over the rows in order; the blocking decides
// only which elements run side by side, never an element's operations.
internal static partial class AttentionRows
{
    /// <summary>
    /// c[j] += Σ_s (w[s]·scale)·v[s, j] for j &lt; d, over s &lt; <paramref name="rows"/> in order (row s of v
    /// at s·<paramref name="stride"/>). Context rows: v the values, w a probability row, d the head width.
    /// Score rows: v = kᵀ (rows: the head's d columns), w = q, scale = 1/√d, d = the live keys.
    /// </summary>
    public static unsafe void AccumulateWeightedRows<T>(T* c, T* v, nint stride, T* w, T scale, int rows, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
        {
            int n = Vector256<T>.Count;
            for (; j + 4 * n <= d; j += 4 * n)
            {
                T* cj = c + j;
                Vector256<T> a0 = Vector256.Load(cj), a1 = Vector256.Load(cj + n), a2 = Vector256.Load(cj + 2 * n), a3 = Vector256.Load(cj + 3 * n);
                T* row = v + j;
                for (int s = 0; s < rows; s++, row += stride)
                {
                    Vector256<T> ws = Vector256.Create(w[s] * scale);
                    a0 = Simd.MultiplyAdd(ws, Vector256.Load(row), a0);
                    a1 = Simd.MultiplyAdd(ws, Vector256.Load(row + n), a1);
                    a2 = Simd.MultiplyAdd(ws, Vector256.Load(row + 2 * n), a2);
                    a3 = Simd.MultiplyAdd(ws, Vector256.Load(row + 3 * n), a3);
                }
                a0.Store(cj); a1.Store(cj + n); a2.Store(cj + 2 * n); a3.Store(cj + 3 * n);
            }
            for (; j + n <= d; j += n)
            {
                Vector256<T> acc = Vector256.Load(c + j);
                T* row = v + j;
                for (int s = 0; s < rows; s++, row += stride) acc = Simd.MultiplyAdd(Vector256.Create(w[s] * scale), Vector256.Load(row), acc);
                acc.Store(c + j);
            }
        }
        if (Simd.IsSupported<T>() && Vector128.IsHardwareAccelerated)
            for (; j + Vector128<T>.Count <= d; j += Vector128<T>.Count)
            {
                Vector128<T> acc = Vector128.Load(c + j);
                T* row = v + j;
                for (int s = 0; s < rows; s++, row += stride) acc = Simd.MultiplyAdd(Vector128.Create(w[s] * scale), Vector128.Load(row), acc);
                acc.Store(c + j);
            }
        for (; j < d; j++)
        {
            T acc = c[j];
            T* row = v + j;
            for (int s = 0; s < rows; s++, row += stride) acc = Simd.MultiplyAdd(w[s] * scale, *row, acc);
            c[j] = acc;
        }
    }

    /// <summary>
    /// The key-side updates of one query row in attention's backward pass, in one sweep over the keys
    /// s &lt; <paramref name="keys"/> (rows of k, dk, dv at s·<paramref name="stride"/>), d wide:
    /// dq += dS[s]·k[s] (held in registers across the keys); dk[s] += dS[s]·q; dv[s] += P[s]·dc.
    /// </summary>
    public static unsafe void AccumulateKeyRows<T>(T* q, T* dq, T* dc, T* k, T* dk, T* dv, nint stride, T* dS, T* p, int keys, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
        {
            int n = Vector256<T>.Count;
            for (; j + 2 * n <= d; j += 2 * n)
            {
                Vector256<T> q0 = Vector256.Load(q + j), q1 = Vector256.Load(q + j + n), c0 = Vector256.Load(dc + j), c1 = Vector256.Load(dc + j + n);
                Vector256<T> a0 = Vector256.Load(dq + j), a1 = Vector256.Load(dq + j + n);
                nint o = j;
                for (int s = 0; s < keys; s++, o += stride)
                {
                    Vector256<T> g = Vector256.Create(dS[s]), w = Vector256.Create(p[s]);
                    a0 = Simd.MultiplyAdd(g, Vector256.Load(k + o), a0);
                    a1 = Simd.MultiplyAdd(g, Vector256.Load(k + o + n), a1);
                    Simd.MultiplyAdd(g, q0, Vector256.Load(dk + o)).Store(dk + o);
                    Simd.MultiplyAdd(g, q1, Vector256.Load(dk + o + n)).Store(dk + o + n);
                    Simd.MultiplyAdd(w, c0, Vector256.Load(dv + o)).Store(dv + o);
                    Simd.MultiplyAdd(w, c1, Vector256.Load(dv + o + n)).Store(dv + o + n);
                }
                a0.Store(dq + j); a1.Store(dq + j + n);
            }
            for (; j + n <= d; j += n) KeyRowsVector256(q, dq, dc, k, dk, dv, stride, dS, p, keys, j);
        }
        if (Simd.IsSupported<T>() && Vector128.IsHardwareAccelerated)
            for (; j + Vector128<T>.Count <= d; j += Vector128<T>.Count)
            {
                Vector128<T> qv = Vector128.Load(q + j), cv = Vector128.Load(dc + j), acc = Vector128.Load(dq + j);
                nint o = j;
                for (int s = 0; s < keys; s++, o += stride)
                {
                    Vector128<T> g = Vector128.Create(dS[s]);
                    acc = Simd.MultiplyAdd(g, Vector128.Load(k + o), acc);
                    Simd.MultiplyAdd(g, qv, Vector128.Load(dk + o)).Store(dk + o);
                    Simd.MultiplyAdd(Vector128.Create(p[s]), cv, Vector128.Load(dv + o)).Store(dv + o);
                }
                acc.Store(dq + j);
            }
        for (; j < d; j++)
        {
            T acc = dq[j];
            nint o = j;
            for (int s = 0; s < keys; s++, o += stride)
            {
                acc = Simd.MultiplyAdd(dS[s], k[o], acc);
                dk[o] = Simd.MultiplyAdd(dS[s], q[j], dk[o]);
                dv[o] = Simd.MultiplyAdd(p[s], dc[j], dv[o]);
            }
            dq[j] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void KeyRowsVector256<T>(T* q, T* dq, T* dc, T* k, T* dk, T* dv, nint stride, T* dS, T* p, int keys, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> qv = Vector256.Load(q + j), cv = Vector256.Load(dc + j), acc = Vector256.Load(dq + j);
        nint o = j;
        for (int s = 0; s < keys; s++, o += stride)
        {
            Vector256<T> g = Vector256.Create(dS[s]);
            acc = Simd.MultiplyAdd(g, Vector256.Load(k + o), acc);
            Simd.MultiplyAdd(g, qv, Vector256.Load(dk + o)).Store(dk + o);
            Simd.MultiplyAdd(Vector256.Create(p[s]), cv, Vector256.Load(dv + o)).Store(dv + o);
        }
        acc.Store(dq + j);
    }
}

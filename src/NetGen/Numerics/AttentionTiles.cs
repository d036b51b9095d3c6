using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// Attention's per-head products as register tiles (AVX2: 16 vector registers), used when the head width d is a
// multiple of four vectors (32 floats, 16 doubles). Every output element is still ONE fused multiply-add chain
// from zero over the reduction in ascending order, exactly the chain AttentionRows' row sweeps form, so the
// tiles change which elements run side by side, never an element's bits.
//
// - Rows4: out[r, s] = Σⱼ a[r, j]·b[j, s] for 4 rows r × 2 vectors of columns s (scores q·kᵀ, and dP = dC·vᵀ):
//   per j, 4 broadcasts and 2 loads feed 8 FMAs.
// - Weighted3: out[r, :] = Σᵢ w(r, i)·v[i, :] for 3 rows × 4 vectors (P·v, dS·k, and the transposed sums
//   Pᵀ·dC, dSᵀ·q): per i, 3 broadcasts and 4 loads feed 12 FMAs. Row r sums i over its own range
//   [begin + r·beginStep, end + r·endStep) (a causal triangle's corner is one or two steps), in ascending order.
internal static unsafe class AttentionTiles
{
    /// <summary>Whether the tiles serve a head of width <paramref name="d"/> for T.</summary>
    public static bool Serve<T>(int d) where T : unmanaged, IFloatingPointIeee754<T>
        => Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated && d % (4 * Vector256<T>.Count) == 0;

    /// <summary>
    /// out[r·oStride + s] = Σ_{j &lt; depth} a[r·aStride + j]·b[j·bStride + s] for r &lt; 4 and s &lt; columns
    /// (a multiple of 2 vectors), each element one FMA chain over j from zero. Fewer rows: repeat the last row pointer.
    /// </summary>
    public static void Rows4<T>(T* a0, T* a1, T* a2, T* a3, T* b, nint bStride, int depth, T* o0, T* o1, T* o2, T* o3, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256<T>.Count;
        for (int s = 0; s < columns; s += 2 * n)
        {
            // s-block of two vectors: 4 rows × 2 vectors of accumulators.
            Vector256<T> c00 = Vector256<T>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            T* bj = b + s;
            for (int j = 0; j < depth; j++, bj += bStride)
            {
                Vector256<T> b0 = Vector256.Load(bj), b1 = Vector256.Load(bj + n);
                Vector256<T> w = Vector256.Create(a0[j]);
                c00 = Simd.MultiplyAdd(w, b0, c00); c01 = Simd.MultiplyAdd(w, b1, c01);
                w = Vector256.Create(a1[j]);
                c10 = Simd.MultiplyAdd(w, b0, c10); c11 = Simd.MultiplyAdd(w, b1, c11);
                w = Vector256.Create(a2[j]);
                c20 = Simd.MultiplyAdd(w, b0, c20); c21 = Simd.MultiplyAdd(w, b1, c21);
                w = Vector256.Create(a3[j]);
                c30 = Simd.MultiplyAdd(w, b0, c30); c31 = Simd.MultiplyAdd(w, b1, c31);
            }
            c00.Store(o0 + s); c01.Store(o0 + s + n);
            c10.Store(o1 + s); c11.Store(o1 + s + n);
            c20.Store(o2 + s); c21.Store(o2 + s + n);
            c30.Store(o3 + s); c31.Store(o3 + s + n);
        }
    }

    /// <summary>
    /// out_r[c] = Σᵢ w[r·rStep + i·iStep]·v[i·vStride + c] for rows r &lt; 3 (out_r = o + r·oStride), columns
    /// c &lt; 4 vectors (one chunk: callers offset v and o), row r over i ∈ [begin + r·beginStep, end + r·endStep)
    /// ascending, from zero; stored (not added). beginStep, endStep ∈ {0, 1}.
    /// </summary>
    public static void Weighted3<T>(T* w, nint rStep, nint iStep, T* v, nint vStride, T* o, nint oStride, int begin, int beginStep, int end, int endStep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256<T>.Count;
        Vector256<T> a00 = Vector256<T>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        // The corner before the common range: i = begin .. begin + 2·beginStep − 1, rows whose range has started.
        int common = begin + 2 * beginStep;
        for (int i = begin; i < common; i++)
        {
            T* vi = v + i * vStride;
            Vector256<T> x0 = Vector256.Load(vi), x1 = Vector256.Load(vi + n), x2 = Vector256.Load(vi + 2 * n), x3 = Vector256.Load(vi + 3 * n);
            Vector256<T> g = Vector256.Create(w[i * iStep]);
            a00 = Simd.MultiplyAdd(g, x0, a00); a01 = Simd.MultiplyAdd(g, x1, a01); a02 = Simd.MultiplyAdd(g, x2, a02); a03 = Simd.MultiplyAdd(g, x3, a03);
            if (i >= begin + beginStep)
            {
                g = Vector256.Create(w[rStep + i * iStep]);
                a10 = Simd.MultiplyAdd(g, x0, a10); a11 = Simd.MultiplyAdd(g, x1, a11); a12 = Simd.MultiplyAdd(g, x2, a12); a13 = Simd.MultiplyAdd(g, x3, a13);
            }
        }
        // The common range: all three rows.
        T* wi = w + common * iStep;
        T* vRow = v + common * vStride;
        for (int i = common; i < end; i++, wi += iStep, vRow += vStride)
        {
            Vector256<T> x0 = Vector256.Load(vRow), x1 = Vector256.Load(vRow + n), x2 = Vector256.Load(vRow + 2 * n), x3 = Vector256.Load(vRow + 3 * n);
            Vector256<T> g = Vector256.Create(wi[0]);
            a00 = Simd.MultiplyAdd(g, x0, a00); a01 = Simd.MultiplyAdd(g, x1, a01); a02 = Simd.MultiplyAdd(g, x2, a02); a03 = Simd.MultiplyAdd(g, x3, a03);
            g = Vector256.Create(wi[rStep]);
            a10 = Simd.MultiplyAdd(g, x0, a10); a11 = Simd.MultiplyAdd(g, x1, a11); a12 = Simd.MultiplyAdd(g, x2, a12); a13 = Simd.MultiplyAdd(g, x3, a13);
            g = Vector256.Create(wi[2 * rStep]);
            a20 = Simd.MultiplyAdd(g, x0, a20); a21 = Simd.MultiplyAdd(g, x1, a21); a22 = Simd.MultiplyAdd(g, x2, a22); a23 = Simd.MultiplyAdd(g, x3, a23);
        }
        // The corner after it: i = end .. end + 2·endStep − 1, rows whose range has not ended.
        for (int i = end; i < end + 2 * endStep; i++)
        {
            T* vi = v + i * vStride;
            Vector256<T> x0 = Vector256.Load(vi), x1 = Vector256.Load(vi + n), x2 = Vector256.Load(vi + 2 * n), x3 = Vector256.Load(vi + 3 * n);
            Vector256<T> g;
            if (i < end + endStep)
            {
                g = Vector256.Create(w[rStep + i * iStep]);
                a10 = Simd.MultiplyAdd(g, x0, a10); a11 = Simd.MultiplyAdd(g, x1, a11); a12 = Simd.MultiplyAdd(g, x2, a12); a13 = Simd.MultiplyAdd(g, x3, a13);
            }
            g = Vector256.Create(w[2 * rStep + i * iStep]);
            a20 = Simd.MultiplyAdd(g, x0, a20); a21 = Simd.MultiplyAdd(g, x1, a21); a22 = Simd.MultiplyAdd(g, x2, a22); a23 = Simd.MultiplyAdd(g, x3, a23);
        }
        a00.Store(o); a01.Store(o + n); a02.Store(o + 2 * n); a03.Store(o + 3 * n);
        T* o1 = o + oStride;
        a10.Store(o1); a11.Store(o1 + n); a12.Store(o1 + 2 * n); a13.Store(o1 + 3 * n);
        T* o2 = o1 + oStride;
        a20.Store(o2); a21.Store(o2 + n); a22.Store(o2 + 2 * n); a23.Store(o2 + 3 * n);
    }

    /// <summary>One row of <see cref="Weighted3"/>: out[c] = Σ_{i ∈ [begin, end)} w[i·iStep]·v[i·vStride + c], c &lt; 4 vectors, stored.</summary>
    public static void Weighted1<T>(T* w, nint iStep, T* v, nint vStride, T* o, int begin, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256<T>.Count;
        Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int i = begin; i < end; i++)
        {
            T* vi = v + i * vStride;
            Vector256<T> g = Vector256.Create(w[i * iStep]);
            a0 = Simd.MultiplyAdd(g, Vector256.Load(vi), a0); a1 = Simd.MultiplyAdd(g, Vector256.Load(vi + n), a1);
            a2 = Simd.MultiplyAdd(g, Vector256.Load(vi + 2 * n), a2); a3 = Simd.MultiplyAdd(g, Vector256.Load(vi + 3 * n), a3);
        }
        a0.Store(o); a1.Store(o + n); a2.Store(o + 2 * n); a3.Store(o + 3 * n);
    }

    /// <summary>Chunk width of <see cref="Weighted3"/>: four vectors.</summary>
    public static int Chunk<T>() where T : unmanaged => 4 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

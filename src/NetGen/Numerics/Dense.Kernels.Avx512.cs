using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// Register blocks for a 32-register vector file (x64 AVX-512: 32 zmm registers).
//
// The 4×4 dot block of Dense.Kernels.cs loads 8 vectors per 16 FMAs. With 512-bit vectors two
// loads a cycle are the whole load bandwidth, and operands off cache lines (managed arrays) cost
// two accesses a load, so the loads, not the FMAs, set the pace. Dot6x4 keeps 24 accumulators,
// 4 W vectors and 1 x vector (29 registers): 10 loads per 24 FMAs.
// Every output element is computed by exactly the sequence of the 4×4 block (one FMA chain per
// lane, TS.Sum4's reduction tree, the scalar tail, + bias), so the results are bit-identical to
// the 4×4 blocks, and to themselves across threads.
public static unsafe partial class Dense
{
    /// <summary>
    /// Whether the 32-register blocks may run (tests turn them off to compare with the 4×4 blocks,
    /// which are what runs on machines without AVX-512).
    /// </summary>
    internal static bool WideBlocks { get; set; } = true;

    /// <summary>
    /// Whether the dot blocks end a reduction that is not whole vectors with one more vector, the last
    /// TS.Count inputs, whose lanes the loop already counted are selected away (kept, not multiplied by
    /// zero, so an infinity cannot turn them into NaN), instead of a scalar FMA chain per output: with
    /// 16 lanes that chain is up to 15 dependent FMAs for every output (Dense 120→84 at batch 64:
    /// 28 µs for 1.3 MFLOP on Zen 5). All 512-bit dot blocks (6×4, 4×4, 1×4) take it, so every
    /// element still has one sequence whichever block computes it; 256- and 128-bit ones keep the
    /// scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UseMaskedTail<TVec>() => typeof(TVec) == typeof(Vector512<float>) || typeof(TVec) == typeof(Vector512<double>);

    /// <summary>Whether the 32-register blocks run: 512-bit vectors, and not turned off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UseWideBlocks<TVec>() => (typeof(TVec) == typeof(Vector512<float>) || typeof(TVec) == typeof(Vector512<double>)) && WideBlocks;

    /// <summary>Rows r..r+5 × units u..u+n−1 (n ≤ 4; a missing unit repeats the last one and is not stored).</summary>
    private static void Dot6x4<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r, int u, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int k = job.Inputs;
        nint ldx = job.LdX, ldw = job.LdW;
        T* x0 = job.X + r * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx, x4 = x3 + ldx, x5 = x4 + ldx;
        T* w0 = job.W + u * ldw;
        T* w1 = n > 1 ? w0 + ldw : w0, w2 = n > 2 ? w1 + ldw : w1, w3 = n > 3 ? w2 + ldw : w2;
        TVec a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TVec a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        TVec a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a23 = TS.Zero;
        TVec a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero, a33 = TS.Zero;
        TVec a40 = TS.Zero, a41 = TS.Zero, a42 = TS.Zero, a43 = TS.Zero;
        TVec a50 = TS.Zero, a51 = TS.Zero, a52 = TS.Zero, a53 = TS.Zero;
        int i = 0;
        // acc[row][unit] += x[row, i..i+V) ⊙ W[unit, i..i+V), lane by lane.
        for (; i <= k - TS.Count; i += TS.Count)
        {
            TVec b0 = TS.Load(w0 + i), b1 = TS.Load(w1 + i), b2 = TS.Load(w2 + i), b3 = TS.Load(w3 + i);
            TVec a = TS.Load(x0 + i);
            a00 = TS.MultiplyAdd(a, b0, a00); a01 = TS.MultiplyAdd(a, b1, a01); a02 = TS.MultiplyAdd(a, b2, a02); a03 = TS.MultiplyAdd(a, b3, a03);
            a = TS.Load(x1 + i);
            a10 = TS.MultiplyAdd(a, b0, a10); a11 = TS.MultiplyAdd(a, b1, a11); a12 = TS.MultiplyAdd(a, b2, a12); a13 = TS.MultiplyAdd(a, b3, a13);
            a = TS.Load(x2 + i);
            a20 = TS.MultiplyAdd(a, b0, a20); a21 = TS.MultiplyAdd(a, b1, a21); a22 = TS.MultiplyAdd(a, b2, a22); a23 = TS.MultiplyAdd(a, b3, a23);
            a = TS.Load(x3 + i);
            a30 = TS.MultiplyAdd(a, b0, a30); a31 = TS.MultiplyAdd(a, b1, a31); a32 = TS.MultiplyAdd(a, b2, a32); a33 = TS.MultiplyAdd(a, b3, a33);
            a = TS.Load(x4 + i);
            a40 = TS.MultiplyAdd(a, b0, a40); a41 = TS.MultiplyAdd(a, b1, a41); a42 = TS.MultiplyAdd(a, b2, a42); a43 = TS.MultiplyAdd(a, b3, a43);
            a = TS.Load(x5 + i);
            a50 = TS.MultiplyAdd(a, b0, a50); a51 = TS.MultiplyAdd(a, b1, a51); a52 = TS.MultiplyAdd(a, b2, a52); a53 = TS.MultiplyAdd(a, b3, a53);
        }
        if (i < k && k >= TS.Count)
        {
            // The last inputs as one vector ending at k, its lanes already counted selected away (see UseMaskedTail).
            TVec fresh = TS.LanesFrom(i - (k - TS.Count));
            i = k - TS.Count;
            TVec b0 = TS.Load(w0 + i), b1 = TS.Load(w1 + i), b2 = TS.Load(w2 + i), b3 = TS.Load(w3 + i);
            TVec a = TS.Load(x0 + i);
            a00 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a00), a00); a01 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a01), a01); a02 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a02), a02); a03 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a03), a03);
            a = TS.Load(x1 + i);
            a10 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a10), a10); a11 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a11), a11); a12 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a12), a12); a13 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a13), a13);
            a = TS.Load(x2 + i);
            a20 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a20), a20); a21 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a21), a21); a22 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a22), a22); a23 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a23), a23);
            a = TS.Load(x3 + i);
            a30 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a30), a30); a31 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a31), a31); a32 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a32), a32); a33 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a33), a33);
            a = TS.Load(x4 + i);
            a40 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a40), a40); a41 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a41), a41); a42 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a42), a42); a43 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a43), a43);
            a = TS.Load(x5 + i);
            a50 = TS.Select(fresh, TS.MultiplyAdd(a, b0, a50), a50); a51 = TS.Select(fresh, TS.MultiplyAdd(a, b1, a51), a51); a52 = TS.Select(fresh, TS.MultiplyAdd(a, b2, a52), a52); a53 = TS.Select(fresh, TS.MultiplyAdd(a, b3, a53), a53);
            i = k;
        }
        // Lane sums (the 4×4 block's tree), the scalar tail, + bias, per row.
        FinishRow<T, TVec, TS, TOp>(ref job, r, u, n, i, x0, w0, w1, w2, w3, a00, a01, a02, a03);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 1, u, n, i, x1, w0, w1, w2, w3, a10, a11, a12, a13);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 2, u, n, i, x2, w0, w1, w2, w3, a20, a21, a22, a23);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 3, u, n, i, x3, w0, w1, w2, w3, a30, a31, a32, a33);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 4, u, n, i, x4, w0, w1, w2, w3, a40, a41, a42, a43);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 5, u, n, i, x5, w0, w1, w2, w3, a50, a51, a52, a53);
    }
}

public static unsafe partial class Dense
{
    /// <summary>
    /// One reduction block of a product whose A is strided along the reduction (dW = dyᵀ·x), on 32
    /// registers. Every full group of 6 rows of A is packed once into a contiguous [p][6] panel
    /// (aligned scratch, slot 0); then, one column panel of 4 vectors at a time, the panel of B is
    /// copied to aligned scratch (slot 1) when it is off cache lines, and every row group passes over
    /// it while it sits in L1. The kernels read the same values as from A and B themselves, and each
    /// element of C is still one FMA chain from zero (or from C) in reduction order: the same bits.
    /// Returns the first row it left (fewer than 6 rows past the groups) to the caller's 4-row blocks.
    /// </summary>
    private static int BroadcastBlockWide<T, TVec, TS>(ref BroadcastJob<T> job, int m0, int m1, int n0, int n1, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count, kb = k1 - k0, groups = (m1 - m0) / 6, mg = m0 + 6 * groups;
        nint groupSize = (nint)6 * kb;
        // packed[g·6·kb + (p − k0)·6 + r] = A(m0 + 6g + r, p).
        T* packed = AlignedScratch.Get<T>(0, groups * groupSize);
        for (int g = 0; g < groups; g++)
        {
            T* a = job.A + (nint)(m0 + 6 * g) * job.RowStrideA;
            T* dst = packed + g * groupSize;
            nint rs = job.RowStrideA;
            for (int p = k0; p < k1; p++, dst += 6)
            {
                T* src = a + (nint)p * job.ReductionStrideA;
                dst[0] = src[0]; dst[1] = src[rs]; dst[2] = src[2 * rs]; dst[3] = src[3 * rs]; dst[4] = src[4 * rs]; dst[5] = src[5 * rs];
            }
        }
        // The group job addresses group g as A(i + r, p) = A'[(i + r)·1 + p·6], A' shifted per group below.
        BroadcastJob<T> grouped = job;
        grouped.RowStrideA = 1;
        grouped.ReductionStrideA = 6;
        bool copyB = AlignedScratch.IsMisaligned(job.B, job.Ldb) && groups >= 2;
        int j = n0;
        for (; j + 4 * v <= n1; j += 4 * v)
        {
            // B's panel: rows k0..k1, columns j..j+4V, aligned if it is not already.
            BroadcastJob<T> panel = job;
            if (copyB)
            {
                T* b = AlignedScratch.Copy(1, job.B + (nint)k0 * job.Ldb + j, kb, 4 * v, job.Ldb, out panel.Ldb);
                panel.B = b - (nint)k0 * panel.Ldb - j;
            }
            grouped.B = panel.B;
            grouped.Ldb = panel.Ldb;
            for (int g = 0; g < groups; g++)
            {
                int i = m0 + 6 * g;
                grouped.A = packed + g * groupSize - i - 6 * k0;
                Broadcast6x4<T, TVec, TS>(ref grouped, i, j, k0, k1);
            }
        }
        for (; j + v <= n1; j += v)
            for (int g = 0; g < groups; g++)
            {
                int i = m0 + 6 * g;
                grouped.A = packed + g * groupSize - i - 6 * k0;
                grouped.B = job.B;
                grouped.Ldb = job.Ldb;
                Broadcast6x1<T, TVec, TS>(ref grouped, i, j, k0, k1);
            }
        // Columns left over (fewer than one vector): the general panel (narrower vectors, then lanes).
        if (j < n1) BroadcastPanel<T, TVec, TS>(ref job, m0, mg, j, n1, k0, k1);
        return mg;
    }

    /// <summary>C[i..i+5, j..j+4V) = Σ_p A(i.., p)·B[p, j..j+4V): 6 rows × 4 vectors of columns.</summary>
    private static void Broadcast6x4<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count;
        nint sa = job.ReductionStrideA, ldb = job.Ldb, rs = job.RowStrideA;
        T* a0 = job.A + (nint)i * rs;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldc = job.Ldc;
        bool carry = k0 > 0;
        TVec c00 = Start<T, TVec, TS>(cs, carry), c01 = Start<T, TVec, TS>(cs + v, carry), c02 = Start<T, TVec, TS>(cs + 2 * v, carry), c03 = Start<T, TVec, TS>(cs + 3 * v, carry);
        TVec c10 = Start<T, TVec, TS>(cs + ldc, carry), c11 = Start<T, TVec, TS>(cs + ldc + v, carry), c12 = Start<T, TVec, TS>(cs + ldc + 2 * v, carry), c13 = Start<T, TVec, TS>(cs + ldc + 3 * v, carry);
        TVec c20 = Start<T, TVec, TS>(cs + 2 * ldc, carry), c21 = Start<T, TVec, TS>(cs + 2 * ldc + v, carry), c22 = Start<T, TVec, TS>(cs + 2 * ldc + 2 * v, carry), c23 = Start<T, TVec, TS>(cs + 2 * ldc + 3 * v, carry);
        TVec c30 = Start<T, TVec, TS>(cs + 3 * ldc, carry), c31 = Start<T, TVec, TS>(cs + 3 * ldc + v, carry), c32 = Start<T, TVec, TS>(cs + 3 * ldc + 2 * v, carry), c33 = Start<T, TVec, TS>(cs + 3 * ldc + 3 * v, carry);
        TVec c40 = Start<T, TVec, TS>(cs + 4 * ldc, carry), c41 = Start<T, TVec, TS>(cs + 4 * ldc + v, carry), c42 = Start<T, TVec, TS>(cs + 4 * ldc + 2 * v, carry), c43 = Start<T, TVec, TS>(cs + 4 * ldc + 3 * v, carry);
        TVec c50 = Start<T, TVec, TS>(cs + 5 * ldc, carry), c51 = Start<T, TVec, TS>(cs + 5 * ldc + v, carry), c52 = Start<T, TVec, TS>(cs + 5 * ldc + 2 * v, carry), c53 = Start<T, TVec, TS>(cs + 5 * ldc + 3 * v, carry);
        // c[row][col] += A(row, p) · B[p, col], p in order.
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec b0 = TS.Load(b), b1 = TS.Load(b + v), b2 = TS.Load(b + 2 * v), b3 = TS.Load(b + 3 * v);
            T* ap = a0 + p * sa;
            TVec a = TS.Broadcast(ap[0]);
            c00 = TS.MultiplyAdd(a, b0, c00); c01 = TS.MultiplyAdd(a, b1, c01); c02 = TS.MultiplyAdd(a, b2, c02); c03 = TS.MultiplyAdd(a, b3, c03);
            a = TS.Broadcast(ap[rs]);
            c10 = TS.MultiplyAdd(a, b0, c10); c11 = TS.MultiplyAdd(a, b1, c11); c12 = TS.MultiplyAdd(a, b2, c12); c13 = TS.MultiplyAdd(a, b3, c13);
            a = TS.Broadcast(ap[2 * rs]);
            c20 = TS.MultiplyAdd(a, b0, c20); c21 = TS.MultiplyAdd(a, b1, c21); c22 = TS.MultiplyAdd(a, b2, c22); c23 = TS.MultiplyAdd(a, b3, c23);
            a = TS.Broadcast(ap[3 * rs]);
            c30 = TS.MultiplyAdd(a, b0, c30); c31 = TS.MultiplyAdd(a, b1, c31); c32 = TS.MultiplyAdd(a, b2, c32); c33 = TS.MultiplyAdd(a, b3, c33);
            a = TS.Broadcast(ap[4 * rs]);
            c40 = TS.MultiplyAdd(a, b0, c40); c41 = TS.MultiplyAdd(a, b1, c41); c42 = TS.MultiplyAdd(a, b2, c42); c43 = TS.MultiplyAdd(a, b3, c43);
            a = TS.Broadcast(ap[5 * rs]);
            c50 = TS.MultiplyAdd(a, b0, c50); c51 = TS.MultiplyAdd(a, b1, c51); c52 = TS.MultiplyAdd(a, b2, c52); c53 = TS.MultiplyAdd(a, b3, c53);
        }
        T* c = cs;
        TS.Store(c00, c); TS.Store(c01, c + v); TS.Store(c02, c + 2 * v); TS.Store(c03, c + 3 * v); c += ldc;
        TS.Store(c10, c); TS.Store(c11, c + v); TS.Store(c12, c + 2 * v); TS.Store(c13, c + 3 * v); c += ldc;
        TS.Store(c20, c); TS.Store(c21, c + v); TS.Store(c22, c + 2 * v); TS.Store(c23, c + 3 * v); c += ldc;
        TS.Store(c30, c); TS.Store(c31, c + v); TS.Store(c32, c + 2 * v); TS.Store(c33, c + 3 * v); c += ldc;
        TS.Store(c40, c); TS.Store(c41, c + v); TS.Store(c42, c + 2 * v); TS.Store(c43, c + 3 * v); c += ldc;
        TS.Store(c50, c); TS.Store(c51, c + v); TS.Store(c52, c + 2 * v); TS.Store(c53, c + 3 * v);
    }

    /// <summary>6 rows × one vector of columns: the last column vectors of <see cref="BroadcastBlockWide"/>.</summary>
    private static void Broadcast6x1<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        nint sa = job.ReductionStrideA, ldb = job.Ldb, rs = job.RowStrideA;
        T* a0 = job.A + (nint)i * rs;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldc = job.Ldc;
        bool carry = k0 > 0;
        TVec c0 = Start<T, TVec, TS>(cs, carry), c1 = Start<T, TVec, TS>(cs + ldc, carry), c2 = Start<T, TVec, TS>(cs + 2 * ldc, carry);
        TVec c3 = Start<T, TVec, TS>(cs + 3 * ldc, carry), c4 = Start<T, TVec, TS>(cs + 4 * ldc, carry), c5 = Start<T, TVec, TS>(cs + 5 * ldc, carry);
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec bv = TS.Load(b);
            T* ap = a0 + p * sa;
            c0 = TS.MultiplyAdd(TS.Broadcast(ap[0]), bv, c0);
            c1 = TS.MultiplyAdd(TS.Broadcast(ap[rs]), bv, c1);
            c2 = TS.MultiplyAdd(TS.Broadcast(ap[2 * rs]), bv, c2);
            c3 = TS.MultiplyAdd(TS.Broadcast(ap[3 * rs]), bv, c3);
            c4 = TS.MultiplyAdd(TS.Broadcast(ap[4 * rs]), bv, c4);
            c5 = TS.MultiplyAdd(TS.Broadcast(ap[5 * rs]), bv, c5);
        }
        TS.Store(c0, cs); TS.Store(c1, cs + ldc); TS.Store(c2, cs + 2 * ldc);
        TS.Store(c3, cs + 3 * ldc); TS.Store(c4, cs + 4 * ldc); TS.Store(c5, cs + 5 * ldc);
    }
}

public static partial class Dense
{
    /// <summary>Whether float products take the 32-register blocks now (for tests).</summary>
    internal static bool UsesWideBlocksForFloat => UseWideBlocks<Vector512<float>>() && Simd.Use512<float>();
}

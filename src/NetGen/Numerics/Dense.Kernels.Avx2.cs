using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// Register blocks for a 16-register vector file (x64 AVX2: 16 ymm registers).
//
// The 4×4 blocks of Dense.Kernels.cs hold 16 accumulators plus 4 operand vectors plus 1 broadcast
// (21 registers): right for AVX-512's 32, but with AVX2's 16 the JIT spills accumulators to the
// stack inside the inner loop (seen in the disassembly: 10 stack loads/stores per 16 FMAs), which
// halves the throughput. These blocks keep 12 accumulators, 3 operand vectors and 1 broadcast or
// row vector (16 registers, no spill):
// - Dot4x3: 4 samples × 3 units, 7 loads per 12 FMAs.
// - Broadcast4x3: 4 rows × 3 vectors of columns, 3 loads + 4 broadcasts per 12 FMAs.
// Every output element is computed by exactly the sequence the 4×4 blocks use (dot: one FMA chain
// per lane, TS.Sum4's reduction tree, the scalar tail, + bias; broadcast: one FMA chain from zero
// in reduction order), so the results are bit-identical to the 4×4 blocks and across threads.
public static unsafe partial class Dense
{
    /// <summary>Whether the 16-register blocks run: 256-bit vectors (on x64, AVX2 has 16 of them).</summary>
    private static bool UseNarrowBlocks<TVec>() => typeof(TVec) == typeof(Vector256<float>) || typeof(TVec) == typeof(Vector256<double>);

    /// <summary>Rows r..r+3 × units u..u+n−1 (n ≤ 3; a missing unit repeats the last one and is not stored).</summary>
    private static void Dot4x3<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r, int u, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int k = job.Inputs;
        nint ldx = job.LdX, ldw = job.LdW;
        T* x0 = job.X + r * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
        T* w0 = job.W + u * ldw;
        T* w1 = n > 1 ? w0 + ldw : w0, w2 = n > 2 ? w1 + ldw : w1;
        TVec a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero;
        TVec a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero;
        TVec a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero;
        TVec a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero;
        int i = 0;
        // acc[row][unit] += x[row, i..i+V) ⊙ W[unit, i..i+V), lane by lane.
        for (; i <= k - TS.Count; i += TS.Count)
        {
            TVec b0 = TS.Load(w0 + i), b1 = TS.Load(w1 + i), b2 = TS.Load(w2 + i);
            TVec a = TS.Load(x0 + i);
            a00 = TS.MultiplyAdd(a, b0, a00); a01 = TS.MultiplyAdd(a, b1, a01); a02 = TS.MultiplyAdd(a, b2, a02);
            a = TS.Load(x1 + i);
            a10 = TS.MultiplyAdd(a, b0, a10); a11 = TS.MultiplyAdd(a, b1, a11); a12 = TS.MultiplyAdd(a, b2, a12);
            a = TS.Load(x2 + i);
            a20 = TS.MultiplyAdd(a, b0, a20); a21 = TS.MultiplyAdd(a, b1, a21); a22 = TS.MultiplyAdd(a, b2, a22);
            a = TS.Load(x3 + i);
            a30 = TS.MultiplyAdd(a, b0, a30); a31 = TS.MultiplyAdd(a, b1, a31); a32 = TS.MultiplyAdd(a, b2, a32);
        }
        // Lane sums (the same tree as the 4×4 block; the fourth slot repeats unit 3 and is dropped), tail, bias.
        FinishRow<T, TVec, TS, TOp>(ref job, r, u, n, i, x0, w0, w1, w2, w2, a00, a01, a02, a02);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 1, u, n, i, x1, w0, w1, w2, w2, a10, a11, a12, a12);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 2, u, n, i, x2, w0, w1, w2, w2, a20, a21, a22, a22);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 3, u, n, i, x3, w0, w1, w2, w2, a30, a31, a32, a32);
    }

    /// <summary>C[i..i+3, j..j+3V) = Σ_p A(i.., p)·B[p, j..j+3V): 4 rows × 3 vectors of columns.</summary>
    private static void Broadcast4x3<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count;
        nint sa = job.ReductionStrideA, ldb = job.Ldb;
        T* a0 = job.A + (nint)i * job.RowStrideA, a1 = a0 + job.RowStrideA, a2 = a1 + job.RowStrideA, a3 = a2 + job.RowStrideA;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldcs = job.Ldc;
        bool carry = k0 > 0;
        TVec c00 = Start<T, TVec, TS>(cs, carry), c01 = Start<T, TVec, TS>(cs + v, carry), c02 = Start<T, TVec, TS>(cs + 2 * v, carry);
        TVec c10 = Start<T, TVec, TS>(cs + 1 * ldcs, carry), c11 = Start<T, TVec, TS>(cs + 1 * ldcs + v, carry), c12 = Start<T, TVec, TS>(cs + 1 * ldcs + 2 * v, carry);
        TVec c20 = Start<T, TVec, TS>(cs + 2 * ldcs, carry), c21 = Start<T, TVec, TS>(cs + 2 * ldcs + v, carry), c22 = Start<T, TVec, TS>(cs + 2 * ldcs + 2 * v, carry);
        TVec c30 = Start<T, TVec, TS>(cs + 3 * ldcs, carry), c31 = Start<T, TVec, TS>(cs + 3 * ldcs + v, carry), c32 = Start<T, TVec, TS>(cs + 3 * ldcs + 2 * v, carry);
        // c[row][col] += A(row, p) · B[p, col], p in order.
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec b0 = TS.Load(b), b1 = TS.Load(b + v), b2 = TS.Load(b + 2 * v);
            nint ap = p * sa;
            TVec a = TS.Broadcast(a0[ap]);
            c00 = TS.MultiplyAdd(a, b0, c00); c01 = TS.MultiplyAdd(a, b1, c01); c02 = TS.MultiplyAdd(a, b2, c02);
            a = TS.Broadcast(a1[ap]);
            c10 = TS.MultiplyAdd(a, b0, c10); c11 = TS.MultiplyAdd(a, b1, c11); c12 = TS.MultiplyAdd(a, b2, c12);
            a = TS.Broadcast(a2[ap]);
            c20 = TS.MultiplyAdd(a, b0, c20); c21 = TS.MultiplyAdd(a, b1, c21); c22 = TS.MultiplyAdd(a, b2, c22);
            a = TS.Broadcast(a3[ap]);
            c30 = TS.MultiplyAdd(a, b0, c30); c31 = TS.MultiplyAdd(a, b1, c31); c32 = TS.MultiplyAdd(a, b2, c32);
        }
        T* c = job.C + (nint)i * job.Ldc + j;
        nint ldc = job.Ldc;
        TS.Store(c00, c); TS.Store(c01, c + v); TS.Store(c02, c + 2 * v); c += ldc;
        TS.Store(c10, c); TS.Store(c11, c + v); TS.Store(c12, c + 2 * v); c += ldc;
        TS.Store(c20, c); TS.Store(c21, c + v); TS.Store(c22, c + 2 * v); c += ldc;
        TS.Store(c30, c); TS.Store(c31, c + v); TS.Store(c32, c + 2 * v);
    }

    /// <summary>One row × 3 vectors of columns: the leftover rows of <see cref="Broadcast4x3"/>.</summary>
    private static void Broadcast1x3<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count;
        nint sa = job.ReductionStrideA, ldb = job.Ldb;
        T* a0 = job.A + (nint)i * job.RowStrideA;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldcs = job.Ldc;
        bool carry = k0 > 0;
        TVec c0 = Start<T, TVec, TS>(cs, carry), c1 = Start<T, TVec, TS>(cs + v, carry), c2 = Start<T, TVec, TS>(cs + 2 * v, carry);
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec a = TS.Broadcast(a0[p * sa]);
            c0 = TS.MultiplyAdd(a, TS.Load(b), c0);
            c1 = TS.MultiplyAdd(a, TS.Load(b + v), c1);
            c2 = TS.MultiplyAdd(a, TS.Load(b + 2 * v), c2);
        }
        T* c = job.C + (nint)i * job.Ldc + j;
        TS.Store(c0, c); TS.Store(c1, c + v); TS.Store(c2, c + 2 * v);
    }
}

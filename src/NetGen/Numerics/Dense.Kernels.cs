using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The SIMD kernels behind Dense, written once over the vector width (TVec/TS, see ISimd).
//
// Two shapes of product:
// - Dot (forward, y = x·Wᵀ): both operands are contiguous along the reduction (inputs), so each
//   output is a dot product. A 4×4 register block (4 samples × 4 units, 16 vector accumulators)
//   loads 8 vectors per 16 FMAs, then sums each accumulator's lanes once at the end.
// - Broadcast (backward, dx = dy·W and dW = dyᵀ·x): the right operand is contiguous along the
//   output columns, so a 4 × 4-vector register block broadcasts 4 scalars of the left operand and
//   loads 4 vectors of the right one per 16 FMAs, and no horizontal sum is needed.
//
// Reproducibility: every output element is computed by one fixed sequence (the dot kernel: FMA
// chain per lane over whole vectors, lanes summed by TS.Sum4 (one reduction tree), scalar FMA tail, then + bias; the
// broadcast kernel: one FMA chain from zero over the reduction, in order — the same in a vector
// lane and in the scalar tail). Partial blocks reuse the full block's code (repeating the last valid
// row) or run the 1-row variant with the same per-element sequence, so which block or thread an
// element lands in never changes its bits.
public static unsafe partial class Dense
{
    /// <summary>Arguments of one forward product, on the caller's stack while workers use it.</summary>
    private struct DotJob<T, TOp> where T : unmanaged
    {
        public T* X, W, Bias, Z, Y;
        public int Batch, Inputs, Units;
        public int LdX, LdW; // row strides of X and W (Inputs, or padded in an aligned copy)
        public int RowChunks, UnitChunks, RowBlock; // RowBlock: rows per register block (the split's unit)
        public int Padded; // the small-inputs path: row length of the transposed W panel
        public TOp Op;
    }

    private static void DotProduct<T, TVec, TS, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        if (batch == 0 || units == 0) return;
        fixed (T* px = x, pw = w, pb = bias, pz = z, py = y)
        {
            var job = new DotJob<T, TOp> { X = px, W = pw, Bias = pb, Z = pz, Y = py, Batch = batch, Inputs = inputs, Units = units, LdX = inputs, LdW = inputs, Op = op };
            // W off cache-line boundaries, each row read by many register blocks: run on an aligned
            // copy (AlignedScratch; the same values at the same positions, so the same bits). Measured
            // on Zen 5, 784→128 at batch 64: the 256-bit 4×3 blocks 109 → 97 µs; the 512-bit 6×4
            // blocks, which load less per FMA and copy x instead, lose by it (80 → 88 µs), so not there.
            if (!UseWideBlocks<TVec>() && batch >= AlignedCopyMinimumReuse && inputs >= TS.Count && AlignedScratch.IsMisaligned(pw, inputs))
                job.W = AlignedScratch.Copy(0, pw, units, inputs, inputs, out job.LdW);
            int threads = Parallelism.ThreadsFor((long)batch * inputs * units);
            if (threads == 1) DotRange<T, TVec, TS, TOp>(ref job, 0, batch, 0, units);
            else RunParallel<T, TVec, TS, TOp>(ref job, threads);
        }
        // An activation with vector forms runs as one vectorised pass over the (cache-hot) output,
        // far cheaper than a scalar call per element in the epilogue (e^z is the cost), and the
        // same bits as Forward followed by Activations.Forward.
        if (typeof(TOp) != typeof(LinearOperator<T>) && TOp.IsVectorized)
            Activations.Forward(op, z.Slice(0, batch * units), y);
    }

    /// <summary>Copy an operand to aligned memory when the other has at least this many rows (its rows are each read that many / 4 times).</summary>
    private const int AlignedCopyMinimumReuse = 16;

    private static void RunParallel<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        // One contiguous run of whole 4-unit blocks per thread (rows too only when there are fewer
        // unit blocks than threads). The caller always runs the first run (WorkerPool.Run), so each
        // core computes the same units of every step, reads only its rows of W, and keeps them in its
        // own cache across the split dW and optimizer passes. Measured on Zen 5 (ThreadProfile and
        // the quick MLP rows, benchmarks/README.md "Round four: two threads"): chunks that went to
        // whichever thread claimed them first made each core pull the other's W and dW every step,
        // and two threads trained slower than one.
        int rowBlock = UseWideBlocks<TVec>() ? 6 : 4;
        int unitBlocks = (job.Units + 3) / 4, rowBlocks = (job.Batch + rowBlock - 1) / rowBlock;
        job.RowBlock = rowBlock;
        job.UnitChunks = Math.Min(unitBlocks, threads);
        job.RowChunks = job.UnitChunks >= threads ? 1 : Math.Min(rowBlocks, (threads + job.UnitChunks - 1) / job.UnitChunks);
        WorkerPool.Run(&DotChunk<T, TVec, TS, TOp>, Unsafe.AsPointer(ref job), job.UnitChunks * job.RowChunks, threads);
    }

    private static void DotChunk<T, TVec, TS, TOp>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        ref DotJob<T, TOp> job = ref Unsafe.AsRef<DotJob<T, TOp>>(state);
        int ui = chunk % job.UnitChunks, ri = chunk / job.UnitChunks;
        int unitBlocks = (job.Units + 3) / 4, rowBlocks = (job.Batch + job.RowBlock - 1) / job.RowBlock;
        int u0 = Part(unitBlocks, job.UnitChunks, ui) * 4, u1 = Math.Min(job.Units, Part(unitBlocks, job.UnitChunks, ui + 1) * 4);
        int r0 = Part(rowBlocks, job.RowChunks, ri) * job.RowBlock, r1 = Math.Min(job.Batch, Part(rowBlocks, job.RowChunks, ri + 1) * job.RowBlock);
        DotRange<T, TVec, TS, TOp>(ref job, r0, r1, u0, u1);
    }

    /// <summary>Start of part <paramref name="i"/> of <paramref name="blocks"/> split into <paramref name="parts"/> near-equal parts.</summary>
    private static int Part(int blocks, int parts, int i) => (int)((long)blocks * i / parts);

    private static void DotRange<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r0, int r1, int u0, int u1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int r = r0;
        // 6 samples × 4 units per block where 32 vector registers exist (Dense.Kernels.Avx512.cs),
        // each group of 6 rows of x copied to an aligned buffer first when it is off cache lines.
        if (UseWideBlocks<TVec>())
        {
            bool copy = u1 - u0 >= 2 * AlignedCopyMinimumReuse && job.Inputs >= 4 * TS.Count && AlignedScratch.IsMisaligned(job.X, job.LdX);
            DotJob<T, TOp> local = job;
            for (; r + 6 <= r1; r += 6)
            {
                if (copy)
                {
                    // The copy's row 0 is x's row r: address it as row r of a matrix starting 6·r rows earlier.
                    T* rows = AlignedScratch.Copy(1, job.X + (nint)r * job.LdX, 6, job.Inputs, job.LdX, out local.LdX);
                    local.X = rows - (nint)r * local.LdX;
                }
                for (int u = u0; u < u1; u += 4) Dot6x4<T, TVec, TS, TOp>(ref local, r, u, Math.Min(4, u1 - u));
            }
        }
        // 4 samples × 4 units per block, or × 3 units where only 16 vector registers exist (Dense.Kernels.Avx2.cs).
        if (UseNarrowBlocks<TVec>())
            for (; r + 4 <= r1; r += 4)
                for (int u = u0; u < u1; u += 3) Dot4x3<T, TVec, TS, TOp>(ref job, r, u, Math.Min(3, u1 - u));
        for (; r + 4 <= r1; r += 4)
            for (int u = u0; u < u1; u += 4) Dot4x4<T, TVec, TS, TOp>(ref job, r, u, Math.Min(4, u1 - u));
        // Leftover rows (batch 1 included). Four rows of W at a time already saturate L2 bandwidth for
        // a matrix-vector product (measured on Zen 4: 8 rows, or 2 vectors per row, are no faster).
        for (; r < r1; r++)
            for (int u = u0; u < u1; u += 4) Dot1x4<T, TVec, TS, TOp>(ref job, r, u, Math.Min(4, u1 - u));
    }

    /// <summary>Rows r..r+3 × units u..u+n−1 (n ≤ 4; missing units repeat the last one and are not stored).</summary>
    private static void Dot4x4<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r, int u, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int k = job.Inputs;
        nint ldx = job.LdX, ldw = job.LdW;
        T* x0 = job.X + r * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
        T* w0 = job.W + u * ldw;
        T* w1 = n > 1 ? w0 + ldw : w0, w2 = n > 2 ? w1 + ldw : w1, w3 = n > 3 ? w2 + ldw : w2;
        TVec a00 = TS.Zero, a01 = TS.Zero, a02 = TS.Zero, a03 = TS.Zero;
        TVec a10 = TS.Zero, a11 = TS.Zero, a12 = TS.Zero, a13 = TS.Zero;
        TVec a20 = TS.Zero, a21 = TS.Zero, a22 = TS.Zero, a23 = TS.Zero;
        TVec a30 = TS.Zero, a31 = TS.Zero, a32 = TS.Zero, a33 = TS.Zero;
        int i = 0;
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
        }
        if (UseMaskedTail<TVec>() && i < k && k >= TS.Count)
        {
            // The last inputs as one vector ending at k, its lanes already counted selected away (Dense.Kernels.Avx512.cs).
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
            i = k;
        }
        FinishRow<T, TVec, TS, TOp>(ref job, r, u, n, i, x0, w0, w1, w2, w3, a00, a01, a02, a03);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 1, u, n, i, x1, w0, w1, w2, w3, a10, a11, a12, a13);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 2, u, n, i, x2, w0, w1, w2, w3, a20, a21, a22, a23);
        FinishRow<T, TVec, TS, TOp>(ref job, r + 3, u, n, i, x3, w0, w1, w2, w3, a30, a31, a32, a33);
    }

    /// <summary>Row r × units u..u+n−1 (n ≤ 4): the 4×4 block's per-element sequence for leftover rows (batch 1 included).</summary>
    private static void Dot1x4<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r, int u, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int k = job.Inputs;
        nint ldw = job.LdW;
        T* x0 = job.X + r * (nint)job.LdX;
        T* w0 = job.W + u * ldw;
        T* w1 = n > 1 ? w0 + ldw : w0, w2 = n > 2 ? w1 + ldw : w1, w3 = n > 3 ? w2 + ldw : w2;
        TVec a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero;
        int i = 0;
        for (; i <= k - TS.Count; i += TS.Count)
        {
            TVec a = TS.Load(x0 + i);
            a0 = TS.MultiplyAdd(a, TS.Load(w0 + i), a0);
            a1 = TS.MultiplyAdd(a, TS.Load(w1 + i), a1);
            a2 = TS.MultiplyAdd(a, TS.Load(w2 + i), a2);
            a3 = TS.MultiplyAdd(a, TS.Load(w3 + i), a3);
        }
        if (UseMaskedTail<TVec>() && i < k && k >= TS.Count)
        {
            // The last inputs as one vector ending at k, its lanes already counted selected away.
            TVec fresh = TS.LanesFrom(i - (k - TS.Count));
            i = k - TS.Count;
            TVec a = TS.Load(x0 + i);
            a0 = TS.Select(fresh, TS.MultiplyAdd(a, TS.Load(w0 + i), a0), a0);
            a1 = TS.Select(fresh, TS.MultiplyAdd(a, TS.Load(w1 + i), a1), a1);
            a2 = TS.Select(fresh, TS.MultiplyAdd(a, TS.Load(w2 + i), a2), a2);
            a3 = TS.Select(fresh, TS.MultiplyAdd(a, TS.Load(w3 + i), a3), a3);
            i = k;
        }
        FinishRow<T, TVec, TS, TOp>(ref job, r, u, n, i, x0, w0, w1, w2, w3, a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r, int u, int n, int i, T* xr, T* w0, T* w1, T* w2, T* w3, TVec a0, TVec a1, TVec a2, TVec a3)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        nint o = (nint)r * job.Units + u;
        TS.Sum4(a0, a1, a2, a3, out T s0, out T s1, out T s2, out T s3);
        Finish(ref job, o, u, i, xr, w0, s0);
        if (n > 1) Finish(ref job, o + 1, u + 1, i, xr, w1, s1);
        if (n > 2) Finish(ref job, o + 2, u + 2, i, xr, w2, s2);
        if (n > 3) Finish(ref job, o + 3, u + 3, i, xr, w3, s3);
    }

    /// <summary>The epilogue of one output, given its lane sum: the scalar tail, + bias, then z (and y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T, TOp>(ref DotJob<T, TOp> job, nint o, int u, int i, T* xr, T* wr, T s)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        for (; i < job.Inputs; i++) s = Simd.MultiplyAdd(xr[i], wr[i], s);
        s += job.Bias[u];
        job.Z[o] = s;
        if (typeof(TOp) == typeof(LinearOperator<T>))
        {
            if (job.Y != job.Z) job.Y[o] = s;
        }
        else if (!TOp.IsVectorized) job.Y[o] = job.Op.Invoke(s); // else DotProduct applies it in one vector pass
    }

    /// <summary>Arguments of one broadcast product C[m, n] = Σ_k A(m,k)·B[k, n], A(m,k) = A[m·As + k·Ak].</summary>
    private struct BroadcastJob<T> where T : unmanaged
    {
        public T* A, B, C;
        public int RowStrideA, ReductionStrideA, Ldb, Ldc, M, N, K;
        public int RowChunks, ColumnChunks, Panel, RowBlock; // the split: columns by Panel, rows by RowBlock
    }

    private static void BroadcastProduct<T, TVec, TS>(ReadOnlySpan<T> a, int rowStrideA, int reductionStrideA, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        if (m == 0 || n == 0) return;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new BroadcastJob<T> { A = pa, B = pb, C = pc, RowStrideA = rowStrideA, ReductionStrideA = reductionStrideA, Ldb = ldb, Ldc = ldc, M = m, N = n, K = k };
            int threads = Parallelism.ThreadsFor((long)m * n * k);
            if (threads == 1)
            {
                BroadcastRange<T, TVec, TS>(ref job, 0, m, 0, n);
                return;
            }
            // One part per thread, cut at whole register blocks: for dW (A strided) a run of rows
            // (units) per thread, the same units the thread owns in the forward pass; otherwise (dx)
            // whole column panels (4 vectors, 3 on 16 registers), so no panel falls to the slower
            // 1-vector blocks, columns past the last panel going with the last part, and rows in
            // blocks of 6 (4) when there are fewer panels than threads.
            int panel = (UseNarrowBlocks<TVec>() ? 3 : 4) * TS.Count, rowBlock = UseWideBlocks<TVec>() ? 6 : 4;
            int panels = Math.Max(1, n / panel), rowBlocks = (m + rowBlock - 1) / rowBlock;
            job.Panel = panel;
            job.RowBlock = rowBlock;
            if (job.ReductionStrideA != 1 && rowBlocks >= threads)
            {
                // dW: one run of rows (units) per thread, the units whose W rows the same thread
                // computes in the forward pass and updates in the split optimizer step.
                job.ColumnChunks = 1;
                job.RowChunks = threads;
            }
            else
            {
                job.ColumnChunks = Math.Min(panels, threads);
                job.RowChunks = Math.Min(rowBlocks, (threads + job.ColumnChunks - 1) / job.ColumnChunks);
            }
            WorkerPool.Run(&BroadcastChunk<T, TVec, TS>, Unsafe.AsPointer(ref job), job.ColumnChunks * job.RowChunks, threads);
        }
    }

    private static void BroadcastChunk<T, TVec, TS>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        ref BroadcastJob<T> job = ref Unsafe.AsRef<BroadcastJob<T>>(state);
        int ci = chunk % job.ColumnChunks, ri = chunk / job.ColumnChunks;
        int panels = Math.Max(1, job.N / job.Panel), rowBlocks = (job.M + job.RowBlock - 1) / job.RowBlock;
        int n0 = Part(panels, job.ColumnChunks, ci) * job.Panel, n1 = ci == job.ColumnChunks - 1 ? job.N : Part(panels, job.ColumnChunks, ci + 1) * job.Panel;
        int m0 = Part(rowBlocks, job.RowChunks, ri) * job.RowBlock, m1 = Math.Min(job.M, Part(rowBlocks, job.RowChunks, ri + 1) * job.RowBlock);
        BroadcastRange<T, TVec, TS>(ref job, m0, m1, n0, n1);
    }

    /// <summary>
    /// Reduction block: a panel of B this many rows deep (3–4 vectors wide) stays in L1 while every
    /// row block of C passes over it. Longer reductions (dW over many samples) run block by block,
    /// each chain continuing from the value the block before stored in C: the same FMA sequence as
    /// one pass, so the same bits.
    /// </summary>
    private const int ReductionBlock = 128;

    private static void BroadcastRange<T, TVec, TS>(ref BroadcastJob<T> job, int m0, int m1, int n0, int n1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        // One pass when the reduction is short; else blocks of ReductionBlock (the last one takes the remainder up to 1.5 blocks).
        int k0 = 0;
        for (; job.K - k0 > ReductionBlock + ReductionBlock / 2; k0 += ReductionBlock) BroadcastBlock<T, TVec, TS>(ref job, m0, m1, n0, n1, k0, k0 + ReductionBlock);
        BroadcastBlock<T, TVec, TS>(ref job, m0, m1, n0, n1, k0, job.K);
    }

    /// <summary>
    /// One reduction block. When A is strided along the reduction (dW = dyᵀ·x reads dy down its
    /// columns, one cache line per step, and power-of-two strides map them all to a few L1 sets),
    /// each group of 4 rows of A is first copied into a contiguous [p][4] buffer on the stack, which
    /// then serves every column panel; the products read the same values, so the bits are the same.
    /// </summary>
    private static void BroadcastBlock<T, TVec, TS>(ref BroadcastJob<T> job, int m0, int m1, int n0, int n1, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        // 6-row groups on 32 registers (Dense.Kernels.Avx512.cs) where there are whole 4-vector column panels; they leave the last rows to the code below.
        if (UseWideBlocks<TVec>() && job.ReductionStrideA != 1 && k1 - k0 >= 16 && m1 - m0 >= 12 && n1 - n0 >= 4 * TS.Count)
            m0 = BroadcastBlockWide<T, TVec, TS>(ref job, m0, m1, n0, n1, k0, k1);
        if (m0 == m1) return;
        if (job.ReductionStrideA == 1 || k1 - k0 < 16)
        {
            BroadcastPanel<T, TVec, TS>(ref job, m0, m1, n0, n1, k0, k1);
            return;
        }
        T* packed = stackalloc T[4 * (ReductionBlock + ReductionBlock / 2)];
        BroadcastJob<T> local = job;
        int i = m0;
        for (; i + 4 <= m1; i += 4)
        {
            // packed[(p − k0)·4 + r] = A(i + r, p); the local job addresses it as A(i + r, p) = A'[(i + r)·1 + p·4].
            T* a = job.A + (nint)i * job.RowStrideA;
            for (int p = k0; p < k1; p++)
            {
                T* src = a + (nint)p * job.ReductionStrideA;
                T* dst = packed + (p - k0) * 4;
                dst[0] = src[0]; dst[1] = src[job.RowStrideA]; dst[2] = src[2 * job.RowStrideA]; dst[3] = src[3 * job.RowStrideA];
            }
            local.A = packed - i - 4 * k0;
            local.RowStrideA = 1;
            local.ReductionStrideA = 4;
            BroadcastPanel<T, TVec, TS>(ref local, i, i + 4, n0, n1, k0, k1);
        }
        if (i < m1) BroadcastPanel<T, TVec, TS>(ref job, i, m1, n0, n1, k0, k1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<T, TVec, TS>(T* c, bool carry)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
        => carry ? TS.Load(c) : TS.Zero;

    /// <summary>C[m0..m1, n0..n1) over the reduction p in [k0, k1), continuing from C when k0 &gt; 0.</summary>
    private static void BroadcastPanel<T, TVec, TS>(ref BroadcastJob<T> job, int m0, int m1, int n0, int n1, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count, j = n0;
        // Column panels 4 vectors wide (3 where only 16 vector registers exist, Dense.Kernels.Avx2.cs):
        // the panel of B (K × 4 vectors) stays in L1 across all rows.
        if (UseNarrowBlocks<TVec>())
            for (; j + 3 * v <= n1; j += 3 * v)
            {
                int i = m0;
                for (; i + 4 <= m1; i += 4) Broadcast4x3<T, TVec, TS>(ref job, i, j, k0, k1);
                for (; i < m1; i++) Broadcast1x3<T, TVec, TS>(ref job, i, j, k0, k1);
            }
        for (; j + 4 * v <= n1; j += 4 * v)
        {
            int i = m0;
            // 6-row blocks where 32 vector registers exist (Dense.Kernels.Avx512.cs).
            if (UseWideBlocks<TVec>())
                for (; i + 6 <= m1; i += 6) Broadcast6x4<T, TVec, TS>(ref job, i, j, k0, k1);
            for (; i + 4 <= m1; i += 4) Broadcast4x4<T, TVec, TS>(ref job, i, j, k0, k1);
            for (; i < m1; i++) Broadcast1x4<T, TVec, TS>(ref job, i, j, k0, k1);
        }
        for (; j + v <= n1; j += v)
        {
            int i = m0;
            for (; i + 4 <= m1; i += 4) Broadcast4x1<T, TVec, TS>(ref job, i, j, k0, k1);
            for (; i < m1; i++) Broadcast1x1<T, TVec, TS>(ref job, i, j, k0, k1);
        }
        // Columns left over (fewer than one vector): narrower vectors while they fit (few inputs, e.g.
        // dx of a 4-input layer), then one lane at a time; every column the same FMA chain either way.
        if (TS.Count > Vector256<T>.Count && n1 - j >= Vector256<T>.Count)
        {
            BroadcastPanel<T, Vector256<T>, Simd256<T>>(ref job, m0, m1, j, n1, k0, k1);
            return;
        }
        if (TS.Count > Vector128<T>.Count && n1 - j >= Vector128<T>.Count)
        {
            BroadcastPanel<T, Vector128<T>, Simd128<T>>(ref job, m0, m1, j, n1, k0, k1);
            return;
        }
        for (; j < n1; j++)
            for (int i = m0; i < m1; i++)
            {
                T* ar = job.A + (nint)i * job.RowStrideA;
                T s = k0 > 0 ? job.C[(nint)i * job.Ldc + j] : T.Zero;
                for (int p = k0; p < k1; p++) s = Simd.MultiplyAdd(ar[(nint)p * job.ReductionStrideA], job.B[(nint)p * job.Ldb + j], s);
                job.C[(nint)i * job.Ldc + j] = s;
            }
    }

    private static void Broadcast4x4<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
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
        TVec c00 = Start<T, TVec, TS>(cs, carry), c01 = Start<T, TVec, TS>(cs + v, carry), c02 = Start<T, TVec, TS>(cs + 2 * v, carry), c03 = Start<T, TVec, TS>(cs + 3 * v, carry);
        TVec c10 = Start<T, TVec, TS>(cs + 1 * ldcs, carry), c11 = Start<T, TVec, TS>(cs + 1 * ldcs + v, carry), c12 = Start<T, TVec, TS>(cs + 1 * ldcs + 2 * v, carry), c13 = Start<T, TVec, TS>(cs + 1 * ldcs + 3 * v, carry);
        TVec c20 = Start<T, TVec, TS>(cs + 2 * ldcs, carry), c21 = Start<T, TVec, TS>(cs + 2 * ldcs + v, carry), c22 = Start<T, TVec, TS>(cs + 2 * ldcs + 2 * v, carry), c23 = Start<T, TVec, TS>(cs + 2 * ldcs + 3 * v, carry);
        TVec c30 = Start<T, TVec, TS>(cs + 3 * ldcs, carry), c31 = Start<T, TVec, TS>(cs + 3 * ldcs + v, carry), c32 = Start<T, TVec, TS>(cs + 3 * ldcs + 2 * v, carry), c33 = Start<T, TVec, TS>(cs + 3 * ldcs + 3 * v, carry);
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec b0 = TS.Load(b), b1 = TS.Load(b + v), b2 = TS.Load(b + 2 * v), b3 = TS.Load(b + 3 * v);
            nint ap = p * sa;
            TVec a = TS.Broadcast(a0[ap]);
            c00 = TS.MultiplyAdd(a, b0, c00); c01 = TS.MultiplyAdd(a, b1, c01); c02 = TS.MultiplyAdd(a, b2, c02); c03 = TS.MultiplyAdd(a, b3, c03);
            a = TS.Broadcast(a1[ap]);
            c10 = TS.MultiplyAdd(a, b0, c10); c11 = TS.MultiplyAdd(a, b1, c11); c12 = TS.MultiplyAdd(a, b2, c12); c13 = TS.MultiplyAdd(a, b3, c13);
            a = TS.Broadcast(a2[ap]);
            c20 = TS.MultiplyAdd(a, b0, c20); c21 = TS.MultiplyAdd(a, b1, c21); c22 = TS.MultiplyAdd(a, b2, c22); c23 = TS.MultiplyAdd(a, b3, c23);
            a = TS.Broadcast(a3[ap]);
            c30 = TS.MultiplyAdd(a, b0, c30); c31 = TS.MultiplyAdd(a, b1, c31); c32 = TS.MultiplyAdd(a, b2, c32); c33 = TS.MultiplyAdd(a, b3, c33);
        }
        T* c = job.C + (nint)i * job.Ldc + j;
        nint ldc = job.Ldc;
        TS.Store(c00, c); TS.Store(c01, c + v); TS.Store(c02, c + 2 * v); TS.Store(c03, c + 3 * v); c += ldc;
        TS.Store(c10, c); TS.Store(c11, c + v); TS.Store(c12, c + 2 * v); TS.Store(c13, c + 3 * v); c += ldc;
        TS.Store(c20, c); TS.Store(c21, c + v); TS.Store(c22, c + 2 * v); TS.Store(c23, c + 3 * v); c += ldc;
        TS.Store(c30, c); TS.Store(c31, c + v); TS.Store(c32, c + 2 * v); TS.Store(c33, c + 3 * v);
    }

    private static void Broadcast1x4<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
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
        TVec c0 = Start<T, TVec, TS>(cs, carry), c1 = Start<T, TVec, TS>(cs + v, carry), c2 = Start<T, TVec, TS>(cs + 2 * v, carry), c3 = Start<T, TVec, TS>(cs + 3 * v, carry);
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec a = TS.Broadcast(a0[p * sa]);
            c0 = TS.MultiplyAdd(a, TS.Load(b), c0);
            c1 = TS.MultiplyAdd(a, TS.Load(b + v), c1);
            c2 = TS.MultiplyAdd(a, TS.Load(b + 2 * v), c2);
            c3 = TS.MultiplyAdd(a, TS.Load(b + 3 * v), c3);
        }
        T* c = job.C + (nint)i * job.Ldc + j;
        TS.Store(c0, c); TS.Store(c1, c + v); TS.Store(c2, c + 2 * v); TS.Store(c3, c + 3 * v);
    }

    private static void Broadcast4x1<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        nint sa = job.ReductionStrideA, ldb = job.Ldb;
        T* a0 = job.A + (nint)i * job.RowStrideA, a1 = a0 + job.RowStrideA, a2 = a1 + job.RowStrideA, a3 = a2 + job.RowStrideA;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldcs = job.Ldc;
        bool carry = k0 > 0;
        TVec c0 = Start<T, TVec, TS>(cs, carry), c1 = Start<T, TVec, TS>(cs + ldcs, carry), c2 = Start<T, TVec, TS>(cs + 2 * ldcs, carry), c3 = Start<T, TVec, TS>(cs + 3 * ldcs, carry);
        for (int p = k0; p < k1; p++, b += ldb)
        {
            TVec bv = TS.Load(b);
            nint ap = p * sa;
            c0 = TS.MultiplyAdd(TS.Broadcast(a0[ap]), bv, c0);
            c1 = TS.MultiplyAdd(TS.Broadcast(a1[ap]), bv, c1);
            c2 = TS.MultiplyAdd(TS.Broadcast(a2[ap]), bv, c2);
            c3 = TS.MultiplyAdd(TS.Broadcast(a3[ap]), bv, c3);
        }
        T* c = job.C + (nint)i * job.Ldc + j;
        nint ldc = job.Ldc;
        TS.Store(c0, c); TS.Store(c1, c + ldc); TS.Store(c2, c + 2 * ldc); TS.Store(c3, c + 3 * ldc);
    }

    private static void Broadcast1x1<T, TVec, TS>(ref BroadcastJob<T> job, int i, int j, int k0, int k1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        nint sa = job.ReductionStrideA, ldb = job.Ldb;
        T* a0 = job.A + (nint)i * job.RowStrideA;
        T* b = job.B + k0 * ldb + j;
        // Start each chain from zero, or from C where an earlier block of the reduction left it.
        T* cs = job.C + (nint)i * job.Ldc + j;
        nint ldcs = job.Ldc;
        bool carry = k0 > 0;
        TVec c0 = Start<T, TVec, TS>(cs, carry);
        for (int p = k0; p < k1; p++, b += ldb) c0 = TS.MultiplyAdd(TS.Broadcast(a0[p * sa]), TS.Load(b), c0);
        TS.Store(c0, job.C + (nint)i * job.Ldc + j);
    }
}

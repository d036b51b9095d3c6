using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

// Kernels for layers with few inputs (e.g. SimpleChains' 4-32-16-4), where vectorising along the
// reduction (inputs) leaves most lanes idle or spends more on lane sums than on FMAs. These
// vectorise across units instead (forward: up to 4 vectors of inputs, batch ≥ 8, with the narrowest
// vector that covers the units; dW: inputs below one vector, at least one vector of units):
// - Forward: z[b, u..u+V] = (Σᵢ x[b,i]·Wᵀ[i, u..u+V]) + bias[u..u+V], with Wᵀ a small transposed,
//   zero-padded copy of W on the caller's stack (at most SmallPanelLimit elements, so in L1) and
//   x[b,i] broadcast: 4 rows × 1 unit vector per block, one Wᵀ load per 4 FMAs.
// - BackwardWeights: dW[u,i] = Σ_b dy[b,u]·x[b,i], the batch the reduction: dy[b, u..u+V] loaded,
//   x[b,i] broadcast, a block of 2 unit vectors × 4 inputs (8 independent chains).
//
// Per-element sequence: forward, one FMA chain from zero over i in order, then + bias; backward
// weights, one FMA chain from zero over b in order. Both are exactly the sequences the general
// kernels use for these elements when inputs < V (their vector loops do not run then: the lane sum
// of zero accumulators is +0, the scalar tail the FMA chain), so for inputs < V the results are the
// same bits as the general kernels'; for V ≤ inputs ≤ 4V the path is chosen by shape (batch, inputs,
// units) alone. Either way which block or thread an element lands in never changes its bits.
public static unsafe partial class Dense
{
    /// <summary>The largest transposed W panel (inputs × units rounded up to vectors) the small-inputs forward keeps on the stack.</summary>
    private const int SmallPanelLimit = 4096;

    /// <summary>Below this batch, transposing W costs more than the units-vectorised loop saves (one sample per train step, say).</summary>
    private const int SmallInputsMinimumBatch = 8;

    /// <summary>Whether the forward product takes the units-vectorised path (a JIT-time width, a run-time shape).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UseSmallInputsForward(int vector, int batch, int inputs, int units)
        => batch >= SmallInputsMinimumBatch && inputs >= 1 && inputs <= 4 * vector && units >= 2 && (long)inputs * ((units + vector - 1) / vector * vector) <= SmallPanelLimit;

    private static void SmallInputsForward<T, TVec, TS, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        if (batch == 0) return;
        int v = TS.Count, padded = (units + v - 1) / v * v;
        // Wᵀ [inputs, padded] and the bias [padded], zero past units.
        T* wt = stackalloc T[inputs * padded + padded];
        T* bp = wt + inputs * padded;
        fixed (T* px = x, pw = w, pb = bias, pz = z, py = y)
        {
            for (int i = 0; i < inputs; i++)
            {
                T* row = wt + i * padded;
                for (int u = 0; u < units; u++) row[u] = pw[(nint)u * inputs + i];
                for (int u = units; u < padded; u++) row[u] = T.Zero;
            }
            for (int u = 0; u < units; u++) bp[u] = pb[u];
            for (int u = units; u < padded; u++) bp[u] = T.Zero;

            var job = new DotJob<T, TOp> { X = px, W = wt, Bias = bp, Z = pz, Y = py, Batch = batch, Inputs = inputs, Units = units, LdX = inputs, LdW = padded, Padded = padded, Op = op };
            int threads = Parallelism.ThreadsFor((long)batch * inputs * units);
            int rowBlocks = (batch + 3) / 4;
            if (threads == 1 || rowBlocks < 2) SmallForwardRange<T, TVec, TS, TOp>(ref job, 0, batch);
            else
            {
                job.RowChunks = Math.Min(rowBlocks, Math.Min(threads * 4, WorkerPool.MaxChunks));
                WorkerPool.Run(&SmallForwardChunk<T, TVec, TS, TOp>, Unsafe.AsPointer(ref job), job.RowChunks, threads);
            }
        }
        if (typeof(TOp) != typeof(LinearOperator<T>) && TOp.IsVectorized)
            Activations.Forward(op, z.Slice(0, batch * units), y);
    }

    private static void SmallForwardChunk<T, TVec, TS, TOp>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        ref DotJob<T, TOp> job = ref Unsafe.AsRef<DotJob<T, TOp>>(state);
        int rowBlocks = (job.Batch + 3) / 4;
        int r0 = Part(rowBlocks, job.RowChunks, chunk) * 4, r1 = Math.Min(job.Batch, Part(rowBlocks, job.RowChunks, chunk + 1) * 4);
        SmallForwardRange<T, TVec, TS, TOp>(ref job, r0, r1);
    }

    private static void SmallForwardRange<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, int r0, int r1)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        int v = TS.Count, k = job.Inputs, units = job.Units, padded = job.Padded;
        T* tmp = stackalloc T[4 * v];
        for (int r = r0; r < r1; r += 4)
        {
            int rows = Math.Min(4, r1 - r);
            // Missing rows repeat the last one (computed, not stored).
            T* x0 = job.X + (nint)r * k;
            T* x1 = rows > 1 ? x0 + k : x0, x2 = rows > 2 ? x1 + k : x1, x3 = rows > 3 ? x2 + k : x2;
            for (int j = 0; j < units; j += v)
            {
                T* wp = job.W + j;
                TVec c0 = TS.Zero, c1 = TS.Zero, c2 = TS.Zero, c3 = TS.Zero;
                for (int i = 0; i < k; i++, wp += padded)
                {
                    TVec b = TS.Load(wp);
                    c0 = TS.MultiplyAdd(TS.Broadcast(x0[i]), b, c0);
                    c1 = TS.MultiplyAdd(TS.Broadcast(x1[i]), b, c1);
                    c2 = TS.MultiplyAdd(TS.Broadcast(x2[i]), b, c2);
                    c3 = TS.MultiplyAdd(TS.Broadcast(x3[i]), b, c3);
                }
                TVec bias = TS.Load(job.Bias + j);
                c0 = TS.Add(c0, bias); c1 = TS.Add(c1, bias); c2 = TS.Add(c2, bias); c3 = TS.Add(c3, bias);
                int n = Math.Min(v, units - j);
                nint o = (nint)r * units + j;
                if (n == v && (typeof(TOp) == typeof(LinearOperator<T>) || TOp.IsVectorized))
                {
                    StoreRow<T, TVec, TS, TOp>(ref job, c0, o);
                    if (rows > 1) StoreRow<T, TVec, TS, TOp>(ref job, c1, o + units);
                    if (rows > 2) StoreRow<T, TVec, TS, TOp>(ref job, c2, o + 2 * units);
                    if (rows > 3) StoreRow<T, TVec, TS, TOp>(ref job, c3, o + 3 * units);
                }
                else
                {
                    TS.Store(c0, tmp); TS.Store(c1, tmp + v); TS.Store(c2, tmp + 2 * v); TS.Store(c3, tmp + 3 * v);
                    for (int q = 0; q < rows; q++)
                        for (int e = 0; e < n; e++) StoreOne(ref job, o + q * units + e, tmp[q * v + e]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TVec, TS, TOp>(ref DotJob<T, TOp> job, TVec s, nint o)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T> where TOp : struct, IActivationOperator<T>
    {
        TS.Store(s, job.Z + o);
        if (typeof(TOp) == typeof(LinearOperator<T>) && job.Y != job.Z) TS.Store(s, job.Y + o);
    }

    /// <summary>One output's epilogue: z, and y (copied for Linear, f(z) for an operator without vector forms; vector forms run afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne<T, TOp>(ref DotJob<T, TOp> job, nint o, T s)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        job.Z[o] = s;
        if (typeof(TOp) == typeof(LinearOperator<T>))
        {
            if (job.Y != job.Z) job.Y[o] = s;
        }
        else if (!TOp.IsVectorized) job.Y[o] = job.Op.Invoke(s);
    }

    /// <summary>Whether dW = dyᵀ·x takes the units-vectorised path (inputs below one vector: the general kernel would run scalar chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UseSmallInputsWeights(int vector, int inputs, int units) => inputs < vector && units >= vector;

    private static void SmallInputsWeights<T, TVec, TS>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        if (inputs == 0) return;
        fixed (T* pdy = dy, px = x, pdw = dw)
        {
            // C[u, i]: A = dy (row u, reduction b: A(u,b) = dy[b·units + u]), B = x [batch, inputs].
            var job = new BroadcastJob<T> { A = pdy, B = px, C = pdw, M = units, N = inputs, K = batch };
            int v = TS.Count, vectors = units / v;
            // Chunks: pairs of unit vectors × blocks of 4 inputs, then (an odd vector out) 1 vector × blocks of 8 inputs.
            int pairs = vectors / 2, blocks4 = (inputs + 3) / 4, blocks8 = (vectors % 2) * ((inputs + 7) / 8);
            int chunks = pairs * blocks4 + blocks8;
            int threads = Parallelism.ThreadsFor((long)batch * inputs * units);
            job.ColumnChunks = blocks4;
            job.RowChunks = pairs;
            if (threads == 1 || chunks < 2)
                for (int c = 0; c < chunks; c++) SmallWeightsChunk<T, TVec, TS>(Unsafe.AsPointer(ref job), c);
            else WorkerPool.Run(&SmallWeightsChunk<T, TVec, TS>, Unsafe.AsPointer(ref job), chunks, threads);
            // Units past the last whole vector: the same FMA chain, one element at a time.
            for (int u = vectors * v; u < units; u++)
                for (int i = 0; i < inputs; i++)
                {
                    T s = T.Zero;
                    for (int b = 0; b < batch; b++) s = Simd.MultiplyAdd(pdy[(nint)b * units + u], px[(nint)b * inputs + i], s);
                    pdw[(nint)u * inputs + i] = s;
                }
        }
    }

    private static void SmallWeightsChunk<T, TVec, TS>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        ref BroadcastJob<T> job = ref Unsafe.AsRef<BroadcastJob<T>>(state);
        if (chunk < job.RowChunks * job.ColumnChunks)
            SmallWeights2x4<T, TVec, TS>(ref job, 2 * (chunk / job.ColumnChunks) * TS.Count, 4 * (chunk % job.ColumnChunks));
        else
            SmallWeights1x8<T, TVec, TS>(ref job, 2 * job.RowChunks * TS.Count, 8 * (chunk - job.RowChunks * job.ColumnChunks));
    }

    /// <summary>Units j0..j0+2V−1 × inputs i0..i0+3 (missing inputs repeat the last one, computed and not stored).</summary>
    private static void SmallWeights2x4<T, TVec, TS>(ref BroadcastJob<T> job, int j0, int i0)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count, units = job.M, inputs = job.N, j1 = j0 + v;
        int ni = Math.Min(4, inputs - i0);
        int i1 = ni > 1 ? i0 + 1 : i0, i2 = ni > 2 ? i0 + 2 : i1, i3 = ni > 3 ? i0 + 3 : i2;
        T* d = job.A, xb = job.B;
        TVec c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c03 = TS.Zero;
        TVec c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c13 = TS.Zero;
        for (int b = 0; b < job.K; b++, d += units, xb += inputs)
        {
            TVec d0 = TS.Load(d + j0), d1 = TS.Load(d + j1);
            TVec a = TS.Broadcast(xb[i0]);
            c00 = TS.MultiplyAdd(a, d0, c00); c10 = TS.MultiplyAdd(a, d1, c10);
            a = TS.Broadcast(xb[i1]);
            c01 = TS.MultiplyAdd(a, d0, c01); c11 = TS.MultiplyAdd(a, d1, c11);
            a = TS.Broadcast(xb[i2]);
            c02 = TS.MultiplyAdd(a, d0, c02); c12 = TS.MultiplyAdd(a, d1, c12);
            a = TS.Broadcast(xb[i3]);
            c03 = TS.MultiplyAdd(a, d0, c03); c13 = TS.MultiplyAdd(a, d1, c13);
        }
        // Transposed store: dW[u, i] = lane u − j of the accumulator for input i.
        T* tmp = stackalloc T[8 * v];
        TS.Store(c00, tmp); TS.Store(c01, tmp + v); TS.Store(c02, tmp + 2 * v); TS.Store(c03, tmp + 3 * v);
        TS.Store(c10, tmp + 4 * v); TS.Store(c11, tmp + 5 * v); TS.Store(c12, tmp + 6 * v); TS.Store(c13, tmp + 7 * v);
        for (int h = 0; h < 2; h++)
            for (int e = 0; e < v; e++)
            {
                T* dst = job.C + (nint)(j0 + h * v + e) * inputs + i0;
                for (int t = 0; t < ni; t++) dst[t] = tmp[(4 * h + t) * v + e];
            }
    }

    /// <summary>Units j0..j0+V−1 × inputs i0..i0+7 (missing inputs repeat the last one, computed and not stored).</summary>
    private static void SmallWeights1x8<T, TVec, TS>(ref BroadcastJob<T> job, int j0, int i0)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count, units = job.M, inputs = job.N;
        int ni = Math.Min(8, inputs - i0);
        int i1 = ni > 1 ? i0 + 1 : i0, i2 = ni > 2 ? i0 + 2 : i1, i3 = ni > 3 ? i0 + 3 : i2;
        int i4 = ni > 4 ? i0 + 4 : i3, i5 = ni > 5 ? i0 + 5 : i4, i6 = ni > 6 ? i0 + 6 : i5, i7 = ni > 7 ? i0 + 7 : i6;
        T* d = job.A + j0, xb = job.B;
        TVec c0 = TS.Zero, c1 = TS.Zero, c2 = TS.Zero, c3 = TS.Zero, c4 = TS.Zero, c5 = TS.Zero, c6 = TS.Zero, c7 = TS.Zero;
        for (int b = 0; b < job.K; b++, d += units, xb += inputs)
        {
            TVec d0 = TS.Load(d);
            c0 = TS.MultiplyAdd(TS.Broadcast(xb[i0]), d0, c0);
            c1 = TS.MultiplyAdd(TS.Broadcast(xb[i1]), d0, c1);
            c2 = TS.MultiplyAdd(TS.Broadcast(xb[i2]), d0, c2);
            c3 = TS.MultiplyAdd(TS.Broadcast(xb[i3]), d0, c3);
            c4 = TS.MultiplyAdd(TS.Broadcast(xb[i4]), d0, c4);
            c5 = TS.MultiplyAdd(TS.Broadcast(xb[i5]), d0, c5);
            c6 = TS.MultiplyAdd(TS.Broadcast(xb[i6]), d0, c6);
            c7 = TS.MultiplyAdd(TS.Broadcast(xb[i7]), d0, c7);
        }
        T* tmp = stackalloc T[8 * v];
        TS.Store(c0, tmp); TS.Store(c1, tmp + v); TS.Store(c2, tmp + 2 * v); TS.Store(c3, tmp + 3 * v);
        TS.Store(c4, tmp + 4 * v); TS.Store(c5, tmp + 5 * v); TS.Store(c6, tmp + 6 * v); TS.Store(c7, tmp + 7 * v);
        for (int e = 0; e < v; e++)
        {
            T* dst = job.C + (nint)(j0 + e) * inputs + i0;
            for (int t = 0; t < ni; t++) dst[t] = tmp[t * v + e];
        }
    }
}

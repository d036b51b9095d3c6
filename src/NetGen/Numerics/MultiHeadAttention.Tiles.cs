using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// The per-head work of Forward and Backward through AttentionTiles' register tiles (head width a multiple of
// four vectors). Each element is formed by the same FMA chain as the row sweeps (AttentionRows), so these
// paths give the same bits; they only process 4 query rows (scores, dP) or 3 rows (P·v, dS·k, Pᵀ·dC, dSᵀ·q)
// per pass over the operands. The causal mask is honoured per tile: a block of rows computes score columns up
// to its last row's diagonal (rounded up to two vectors; the softmax then writes the masked entries as exact 0),
// and the P·v / dS·k / transposed sums run each row over exactly its own range of keys or queries.
public static unsafe partial class MultiHeadAttention
{
    /// <summary>Scratch of the tile paths beyond the row sweeps' T·(d + 1): the head's scaled q (forward) or dS (backward).</summary>
    private static int TileScratchSize(int time, int d) => time * Math.Max(d, time);

    /// <summary>P and the context of head h of sample b: scores q·kᵀ/√d, softmax, P·v.</summary>
    internal static void ForwardHeadTiles<T>(T* sample, T* probabilities, T* context, T* scratch, int time, int width, int d, int h, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        T* keysT = scratch, scaledQ = scratch + d * time + time;
        // kᵀ [d, T] and q/√d [T, d] of this head (q·(1/√d) rounded as the row sweep rounds it).
        MatrixTranspose.Transpose(sample + width + h * d, stride, keysT, time, time, d);
        for (int s = 0; s < time; s++)
        {
            var row = new Span<T>(scaledQ + s * d, d);
            new ReadOnlySpan<T>(sample + s * stride + h * d, d).CopyTo(row);
            RowMath.Scale(row, scale);
        }
        // S = (q/√d)·kᵀ in blocks of 4 query rows, then softmax per row over its live keys.
        ScoreRows(scaledQ, d, keysT, probabilities, time, d, causal);
        for (int t = 0; t < time; t++) AttentionRows.Softmax(new Span<T>(probabilities + t * time, time), causal ? t + 1 : time);
        // context[t, head] = Σ_{s live} P[t, s]·v[s, head], 3 rows × 4 vectors at a time.
        T* values = sample + 2 * width + h * d;
        for (int c = 0; c < d; c += AttentionTiles.Chunk<T>())
            WeightedRows(probabilities, time, 1, values + c, stride, context + h * d + c, width, time, causal, leadingCorner: false);
    }

    /// <summary>dq, dk, dv of head h of sample b (stored into dQkv's head columns): dP = dC·vᵀ, dS, dS·k/√d, dSᵀ·q/√d, Pᵀ·dC.</summary>
    internal static void BackwardHeadTiles<T>(T* sample, T* dSample, T* probabilities, T* dContext, T* scratch, int time, int width, int d, int h, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        T* valuesT = scratch, dScores = scratch + d * time + time;
        MatrixTranspose.Transpose(sample + 2 * width + h * d, stride, valuesT, time, time, d);
        // dP[t, s] = Σⱼ dC[t, j]·vᵀ[j, s], 4 rows at a time.
        T* dc = dContext + h * d;
        ScoreRows(dc, width, valuesT, dScores, time, d, causal);
        // dS[t, s] = P[t, s]·(dP[t, s] − Σ_s' P[t, s']·dP[t, s'])·(1/√d) over the live keys.
        for (int t = 0; t < time; t++)
        {
            int keys = causal ? t + 1 : time;
            var p = new ReadOnlySpan<T>(probabilities + t * time, keys);
            var ds = new Span<T>(dScores + t * time, keys);
            T dot = RowMath.Dot<T>(p, ds);
            AttentionRows.SoftmaxGradient(p, ds, dot, scale);
        }
        T* q = sample + h * d, k = sample + width + h * d, dq = dSample + h * d, dk = dSample + width + h * d, dv = dSample + 2 * width + h * d;
        for (int c = 0; c < d; c += AttentionTiles.Chunk<T>())
        {
            // dq[t] = Σ_{s live} dS[t, s]·k[s]   (rows t: dS rows, keys ascending).
            WeightedRows(dScores, time, 1, k + c, stride, dq + c, stride, time, causal, leadingCorner: false);
            // dk[s] = Σ_{t: s live for t} dS[t, s]·q[t]   (rows s: dS columns, queries ascending).
            WeightedRows(dScores, 1, time, q + c, stride, dk + c, stride, time, causal, leadingCorner: true);
            // dv[s] = Σ_{t: s live for t} P[t, s]·dC[t].
            WeightedRows(probabilities, 1, time, dc + c, width, dv + c, stride, time, causal, leadingCorner: true);
        }
    }

    /// <summary>
    /// out[t, s] = Σ_{j &lt; d} a[t·aStride + j]·bT[j·time + s] for every t and the live s (causal: s ≤ t; computed up to the
    /// block's diagonal rounded up to two vectors where the row has room, the rest of the live keys by scalar chains).
    /// </summary>
    private static void ScoreRows<T>(T* a, int aStride, T* bT, T* output, int time, int d, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pair = 2 * Vector256<T>.Count, fullColumns = time / pair * pair;
        for (int t0 = 0; t0 < time; t0 += 4)
        {
            int last = Math.Min(t0 + 3, time - 1);
            int keys = causal ? last + 1 : time;
            int columns = Math.Min(AttentionTiles.RoundUp(keys, pair), fullColumns);
            if (columns > 0)
                AttentionTiles.Rows4(a + t0 * aStride, a + Math.Min(t0 + 1, last) * aStride, a + Math.Min(t0 + 2, last) * aStride, a + last * aStride,
                    bT, time, d, output + t0 * time, output + Math.Min(t0 + 1, last) * time, output + Math.Min(t0 + 2, last) * time, output + last * time, columns);
            // Live keys past the last whole pair of vectors (time not a multiple of it): one chain per element.
            for (int t = t0; t <= last; t++)
                for (int s = columns; s < (causal ? t + 1 : time); s++)
                {
                    T acc = T.Zero;
                    for (int j = 0; j < d; j++) acc = Simd.MultiplyAdd(a[t * aStride + j], bT[j * time + s], acc);
                    output[t * time + s] = acc;
                }
        }
    }

    /// <summary>
    /// out[r·oStride + c] = Σᵢ w[r·rStep + i·iStep]·v[i·vStride + c] for every row r &lt; time and c &lt; one chunk, over
    /// i ∈ [0, r] (causal, trailing corner: P·v, dS·k), i ∈ [r, time) (causal, leading corner: the transposed sums), or
    /// all i &lt; time; 3 rows at a time, the remainder one by one. Stored.
    /// </summary>
    private static void WeightedRows<T>(T* w, nint rStep, nint iStep, T* v, nint vStride, T* output, nint oStride, int time, bool causal, bool leadingCorner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = 0;
        for (; r + 3 <= time; r += 3)
        {
            T* wr = w + r * rStep;
            if (!causal) AttentionTiles.Weighted3(wr, rStep, iStep, v, vStride, output + r * oStride, oStride, 0, 0, time, 0);
            else if (leadingCorner) AttentionTiles.Weighted3(wr, rStep, iStep, v, vStride, output + r * oStride, oStride, r, 1, time, 0);
            else AttentionTiles.Weighted3(wr, rStep, iStep, v, vStride, output + r * oStride, oStride, 0, 0, r + 1, 1);
        }
        for (; r < time; r++)
        {
            int begin = causal && leadingCorner ? r : 0, end = causal && !leadingCorner ? r + 1 : time;
            AttentionTiles.Weighted1(w + r * rStep, iStep, v, vStride, output + r * oStride, begin, end);
        }
    }
}

using System;
using System.Numerics;

namespace NetGen.Numerics;

// Attention dropout (training only): the per-head row sweeps with the attention weights P̃ = P ⊙ M, M the dropout mask
// (0 or 1/(1 − p)) drawn by Forward. Without dropout the heads go through the register tiles or the plain row sweeps
// of MultiHeadAttention.cs / MultiHeadAttention.Tiles.cs; this path keeps one extra row P̃ in the head scratch
// (DropoutHeadScratchSize).
public static unsafe partial class MultiHeadAttention
{
    /// <summary>P, the dropped weights P̃ and the context P̃·v of every (sample, head), row by row.</summary>
    private static void ForwardHeadsWithDropout<T>(ReadOnlySpan<T> qkv, Span<T> probabilities, Span<T> context, Span<T> headScratch,
        ReadOnlySpan<T> dropoutMask, int batch, int time, int width, int heads, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = width / heads, stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        Span<T> keysT = headScratch.Slice(0, d * time), dropped = headScratch.Slice(d * time, time);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<T> sample = qkv.Slice(b * time * stride, time * stride);
                // kᵀ [d, time]: this head's keys, transposed so a score row runs along contiguous memory.
                fixed (T* ps = sample, pk = keysT) MatrixTranspose.Transpose(ps + width + h * d, stride, pk, time, time, d);
                Span<T> headProbabilities = probabilities.Slice((b * heads + h) * time * time, time * time);
                for (int t = 0; t < time; t++)
                {
                    int keys = causal ? t + 1 : time;
                    Span<T> row = headProbabilities.Slice(t * time, time);
                    ReadOnlySpan<T> q = sample.Slice(t * stride + h * d, d);
                    // s[t, 0..keys) = Σⱼ (q[t, j]/√d)·kᵀ[j, 0..keys)  (keys after t never touched when causal).
                    row.Slice(0, keys).Clear();
                    fixed (T* pr = row, pk = keysT, pq = q)
                        AttentionRows.AccumulateWeightedRows(pr, pk, time, pq, scale, d, keys);
                    // P[t, ·] = softmax over the live keys; masked entries exactly 0.
                    AttentionRows.Softmax(row, keys);
                    // With dropout: P̃[t, s] = P[t, s]·M[t, s], the weights the context is made of.
                    Span<T> weights = dropped;
                    AttentionRows.Multiply(dropped.Slice(0, keys), row, dropoutMask.Slice((b * heads + h) * time * time + t * time, keys));
                    // context[t, head] = Σ_s P̃[t, s]·v[s, head].
                    Span<T> c = context.Slice((b * time + t) * width + h * d, d);
                    c.Clear();
                    fixed (T* pc = c, pv = sample, pw = weights)
                        AttentionRows.AccumulateWeightedRows(pc, pv + 2 * width + h * d, stride, pw, T.One, keys, d);
                }
            }
    }

    /// <summary>dq, dk, dv of every (sample, head) through the dropped weights, row by row (dQkv cleared, then accumulated).</summary>
    private static void BackwardHeadsWithDropout<T>(ReadOnlySpan<T> qkv, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> dContext, Span<T> dQkv,
        Span<T> headScratch, ReadOnlySpan<T> dropoutMask, int batch, int time, int width, int heads, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = batch * time, d = width / heads, stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        dQkv.Slice(0, n * stride).Clear();
        Span<T> valuesT = headScratch.Slice(0, d * time), dScores = headScratch.Slice(d * time, time);
        Span<T> dropped = headScratch.Slice((d + 1) * time, time);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<T> sample = qkv.Slice(b * time * stride, time * stride);
                Span<T> dSample = dQkv.Slice(b * time * stride, time * stride);
                // vᵀ [d, time]: this head's values, transposed so dP rows run along contiguous memory.
                fixed (T* ps = sample, pv = valuesT) MatrixTranspose.Transpose(ps + 2 * width + h * d, stride, pv, time, time, d);
                ReadOnlySpan<T> headProbabilities = probabilities.Slice((b * heads + h) * time * time, time * time);
                for (int t = 0; t < time; t++)
                {
                    int keys = causal ? t + 1 : time;
                    ReadOnlySpan<T> p = headProbabilities.Slice(t * time, keys);
                    ReadOnlySpan<T> dc = dContext.Slice((b * time + t) * width + h * d, d);
                    // dP[t, s] = Σⱼ dContext[t, j]·vᵀ[j, s] over the live keys.
                    Span<T> ds = dScores.Slice(0, keys);
                    ds.Clear();
                    fixed (T* pds = ds, pv = valuesT, pdc = dc)
                        AttentionRows.AccumulateWeightedRows(pds, pv, time, pdc, T.One, d, keys);
                    // With dropout that was dP̃; the softmax sees dP = dP̃ ⊙ M, and v saw P̃ = P ⊙ M.
                    ReadOnlySpan<T> m = dropoutMask.Slice((b * heads + h) * time * time + t * time, keys);
                    AttentionRows.Multiply(ds, ds, m);
                    AttentionRows.Multiply(dropped.Slice(0, keys), p, m);
                    ReadOnlySpan<T> weights = dropped.Slice(0, keys);
                    // dS[t, s] = P[t, s]·(dP[t, s] − Σ_s' P[t, s']·dP[t, s']), with 1/√d folded in.
                    T dot = RowMath.Dot<T>(p, ds);
                    AttentionRows.SoftmaxGradient(p, ds, dot, scale);
                    // One sweep over the keys: dq[t] += dS[t, s]·k[s]/√d; dk[s] += dS[t, s]·q[t]/√d; dv[s] += P̃[t, s]·dContext[t].
                    fixed (T* pSample = sample, pdSample = dSample, pdc = dc, pds = ds, pp = weights)
                        AttentionRows.AccumulateKeyRows(pSample + t * stride + h * d, pdSample + t * stride + h * d, pdc,
                            pSample + width + h * d, pdSample + width + h * d, pdSample + 2 * width + h * d, stride, pds, pp, keys, d);
                }
            }
    }
}

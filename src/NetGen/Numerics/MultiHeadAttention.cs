using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// Multi-head self-attention with <c>nn.MultiheadAttention</c>'s layout and numerics (batch_first,
/// query = key = value = x): [q | k | v] = x·in_proj_weightᵀ + in_proj_bias, per head h (d = width/heads
/// columns h·d..h·d+d−1 of each) P = softmax(q·kᵀ/√d) (masked: key s &gt; query t gets exactly 0 when
/// causal), context = P·v, then y = context·out_projᵀ + out_proj.bias. Layout [batch, time, width] row-major.
/// </summary>
/// <remarks>
/// <para>Parameters (PyTorch's names and shapes, E = width): in_proj_weight [3E, E] (rows: q, then k,
/// then v), in_proj_bias [3E], out_proj.weight [E, E], out_proj.bias [E].</para>
/// <para>Attention dropout (<c>nn.MultiheadAttention(dropout=p)</c> in training): the overloads taking a
/// <c>dropoutMask</c> draw one mask M [batch, heads, time, time] (0 or 1/(1 − p), <see cref="DropoutMask.Fill"/>)
/// and use P̃ = P ⊙ M in place of P for context = P̃·v; backward takes dP = (dContext·vᵀ) ⊙ M into the softmax
/// and dv = P̃ᵀ·dContext. The probabilities cache keeps P (undropped). With rate 0 the overloads are the
/// plain kernels, bit for bit.</para>
/// <para>Work: the q/k/v projection is ONE product over batch × time rows and the output projection
/// another (the <see cref="Dense"/> kernels). Per (sample, head), the head's keys (and, in backward, values)
/// are transposed into scratch [d, time] once; a score row is then accumulated in registers, four vectors
/// of keys at a time, over the d columns, and a context row, four vectors of the head at a time, over the
/// keys (backward: dP rows alike, and one sweep over the keys updates dq (held in registers), dk and dv).
/// A causal row t touches only keys 0..t (the upper triangle costs nothing) and its masked entries are
/// written as exact zeros. Only the probabilities [B, H, T, T] are materialised (backward needs them).
/// When d is a multiple of four vectors (32 floats) the same products run as register tiles over several rows
/// (MultiHeadAttention.Tiles.cs; same bits): 4 query rows per pass for the scores and dP, 3 rows for P·v, dS·k
/// and the transposed sums dk = dSᵀ·q/√d, dv = Pᵀ·dC, with the head's dS [T, T] kept in the scratch.
/// The softmax subtracts the row maximum. Nothing is allocated.</para>
/// <para>Scratch sizes (B = batch, T = time, E = width, H = heads, d = E/H):
/// qkv B·T·3E, probabilities B·H·T·T, context B·T·E (all three kept from forward for backward);
/// headScratch <see cref="HeadScratchSize"/> = T·(d + 1) + T·max(d, T); backward's dContext B·T·E and dQkv B·T·3E.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe partial class MultiHeadAttention
{
    /// <summary>
    /// Elements of the per-head scratch <c>headScratch</c> of Forward and Backward: time·(d + 1) + time·max(d, time),
    /// d = width/heads (a head's kᵀ or vᵀ, a dP row, and the head's scaled q or its dS [time, time]).
    /// </summary>
    public static int HeadScratchSize(int time, int width, int heads) => time * (width / heads + 1) + TileScratchSize(time, width / heads);

    /// <summary>Elements of <c>headScratch</c> when attention dropout is on: time·(width/heads + 2) (one more row for P̃).</summary>
    public static int DropoutHeadScratchSize(int time, int width, int heads) => time * (width / heads + 2);

    /// <summary>
    /// y = MultiHeadAttention(x); keeps qkv, probabilities and context for <c>Backward</c>.
    /// </summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="inProjWeight">in_proj_weight [3·width, width].</param>
    /// <param name="inProjBias">in_proj_bias [3·width].</param>
    /// <param name="outProjWeight">out_proj.weight [width, width].</param>
    /// <param name="outProjBias">out_proj.bias [width].</param>
    /// <param name="y">Output [batch, time, width] (must not overlap x or the caches).</param>
    /// <param name="qkv">Cache [batch·time, 3·width]: q | k | v of every position.</param>
    /// <param name="probabilities">Cache [batch, heads, time, time]: the attention weights (masked entries 0).</param>
    /// <param name="context">Cache [batch·time, width]: P·v, heads side by side.</param>
    /// <param name="headScratch">Scratch of <see cref="HeadScratchSize"/> elements.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Heads H.</param>
    /// <param name="causal">Mask key positions after the query's.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> inProjBias, ReadOnlySpan<T> outProjWeight, ReadOnlySpan<T> outProjBias,
        Span<T> y, Span<T> qkv, Span<T> probabilities, Span<T> context, Span<T> headScratch, int batch, int time, int width, int heads, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SplitMix64 unused = default;
        Forward(x, inProjWeight, inProjBias, outProjWeight, outProjBias, y, qkv, probabilities, context, headScratch, batch, time, width, heads, causal, Span<T>.Empty, 0, ref unused);
    }

    /// <summary>
    /// y = MultiHeadAttention(x) with attention dropout of rate <paramref name="dropout"/> (a training pass): the mask
    /// is drawn into <paramref name="dropoutMask"/> from <paramref name="rng"/> and kept for the backward overload that
    /// takes it. Rate 0 is the plain forward pass (mask unused, generator untouched).
    /// </summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="inProjWeight">in_proj_weight [3·width, width].</param>
    /// <param name="inProjBias">in_proj_bias [3·width].</param>
    /// <param name="outProjWeight">out_proj.weight [width, width].</param>
    /// <param name="outProjBias">out_proj.bias [width].</param>
    /// <param name="y">Output [batch, time, width].</param>
    /// <param name="qkv">Cache [batch·time, 3·width].</param>
    /// <param name="probabilities">Cache [batch, heads, time, time]: P before dropout.</param>
    /// <param name="context">Cache [batch·time, width]: P̃·v.</param>
    /// <param name="headScratch"><see cref="DropoutHeadScratchSize"/> elements when dropout &gt; 0, else <see cref="HeadScratchSize"/>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E.</param>
    /// <param name="heads">Heads H.</param>
    /// <param name="causal">Mask key positions after the query's.</param>
    /// <param name="dropoutMask">Cache [batch, heads, time, time]: 0 or 1/(1 − rate) (unused at rate 0).</param>
    /// <param name="dropout">The rate p in [0, 1).</param>
    /// <param name="rng">The network's dropout generator (advanced by batch·heads·time² draws when p &gt; 0).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> inProjBias, ReadOnlySpan<T> outProjWeight, ReadOnlySpan<T> outProjBias,
        Span<T> y, Span<T> qkv, Span<T> probabilities, Span<T> context, Span<T> headScratch, int batch, int time, int width, int heads, bool causal,
        Span<T> dropoutMask, double dropout, ref SplitMix64 rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, time, width, heads);
        long rows = (long)batch * time;
        Check(x.Length, rows * width, nameof(x));
        CheckParameters(inProjWeight, inProjBias, outProjWeight, outProjBias, width);
        Check(y.Length, rows * width, nameof(y));
        Check(qkv.Length, rows * 3 * width, nameof(qkv));
        Check(probabilities.Length, (long)batch * heads * time * time, nameof(probabilities));
        Check(context.Length, rows * width, nameof(context));
        bool drop = CheckDropout(dropoutMask.Length, dropout, (long)batch * heads * time * time);
        Check(headScratch.Length, drop ? DropoutHeadScratchSize(time, width, heads) : HeadScratchSize(time, width, heads), nameof(headScratch));
        int n = batch * time, d = width / heads, stride = 3 * width;

        // [q | k | v] = x·in_projᵀ + b: one product over all batch × time rows.
        Dense.Forward(x, inProjWeight, inProjBias, qkv, n, width, 3 * width);
        // M = the dropout mask of every attention weight (0 or 1/(1 − p)), drawn in [b, h, t, s] order.
        if (drop) DropoutMask.Fill(dropoutMask.Slice(0, batch * heads * time * time), dropout, ref rng);

        if (drop)
            ForwardHeadsWithDropout<T>(qkv, probabilities, context, headScratch, dropoutMask, batch, time, width, heads, causal);
        else
        {
            // Per (sample, head): P and the context, through register tiles where the head width allows (same bits).
            bool tiles = AttentionTiles.Serve<T>(d);
            fixed (T* pq = qkv, pp = probabilities, pc = context, ph = headScratch)
                for (int b = 0; b < batch; b++)
                    for (int h = 0; h < heads; h++)
                    {
                        T* sample = pq + (nint)b * time * stride, headProbabilities = pp + (nint)(b * heads + h) * time * time, sampleContext = pc + (nint)b * time * width;
                        if (tiles) ForwardHeadTiles(sample, headProbabilities, sampleContext, ph, time, width, d, h, causal);
                        else ForwardHeadRows(sample, headProbabilities, sampleContext, ph, time, width, d, h, causal);
                    }
        }

        // y = context·out_projᵀ + b.
        Dense.Forward(context, outProjWeight, outProjBias, y, n, width, width);
    }

    /// <summary>
    /// Gradients of <c>Forward</c> given dy: dx and the four parameter gradients (overwritten).
    /// With dS = P ⊙ (dP − rowsum(P ⊙ dP)): dContext = dy·out_proj, dP = dContext·vᵀ, dv = Pᵀ·dContext,
    /// dq = dS·k/√d, dk = dSᵀ·q/√d, dx = d[q|k|v]·in_proj, d in_proj = d[q|k|v]ᵀ·x, d out_proj = dyᵀ·context.
    /// </summary>
    /// <param name="dy">Output gradient [batch, time, width].</param>
    /// <param name="x">The forward input [batch, time, width].</param>
    /// <param name="inProjWeight">in_proj_weight [3·width, width].</param>
    /// <param name="outProjWeight">out_proj.weight [width, width].</param>
    /// <param name="qkv">Forward cache [batch·time, 3·width].</param>
    /// <param name="probabilities">Forward cache [batch, heads, time, time].</param>
    /// <param name="context">Forward cache [batch·time, width].</param>
    /// <param name="dx">Input gradient [batch, time, width], overwritten (may be dy itself).</param>
    /// <param name="dInProjWeight">[3·width, width], overwritten.</param>
    /// <param name="dInProjBias">[3·width], overwritten.</param>
    /// <param name="dOutProjWeight">[width, width], overwritten.</param>
    /// <param name="dOutProjBias">[width], overwritten.</param>
    /// <param name="dContext">Scratch [batch·time, width].</param>
    /// <param name="dQkv">Scratch [batch·time, 3·width].</param>
    /// <param name="headScratch">Scratch of <see cref="HeadScratchSize"/> elements.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E.</param>
    /// <param name="heads">Heads H.</param>
    /// <param name="causal">As in the forward pass.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> outProjWeight,
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> context,
        Span<T> dx, Span<T> dInProjWeight, Span<T> dInProjBias, Span<T> dOutProjWeight, Span<T> dOutProjBias,
        Span<T> dContext, Span<T> dQkv, Span<T> headScratch, int batch, int time, int width, int heads, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(dy, x, inProjWeight, outProjWeight, qkv, probabilities, context, dx, dInProjWeight, dInProjBias, dOutProjWeight, dOutProjBias,
            dContext, dQkv, headScratch, batch, time, width, heads, causal, ReadOnlySpan<T>.Empty, 0);

    /// <summary>
    /// Gradients of the dropout forward pass given dy, with the mask M it kept: dP = (dContext·vᵀ) ⊙ M enters the
    /// softmax's backward (dS = P ⊙ (dP − rowsum(P ⊙ dP))) and dv = (P ⊙ M)ᵀ·dContext; the rest as the plain pass.
    /// Rate 0 is the plain backward pass.
    /// </summary>
    /// <param name="dy">Output gradient [batch, time, width].</param>
    /// <param name="x">The forward input.</param>
    /// <param name="inProjWeight">in_proj_weight.</param>
    /// <param name="outProjWeight">out_proj.weight.</param>
    /// <param name="qkv">Forward cache.</param>
    /// <param name="probabilities">Forward cache (P before dropout).</param>
    /// <param name="context">Forward cache.</param>
    /// <param name="dx">Input gradient, overwritten (may be dy itself).</param>
    /// <param name="dInProjWeight">Overwritten.</param>
    /// <param name="dInProjBias">Overwritten.</param>
    /// <param name="dOutProjWeight">Overwritten.</param>
    /// <param name="dOutProjBias">Overwritten.</param>
    /// <param name="dContext">Scratch [batch·time, width].</param>
    /// <param name="dQkv">Scratch [batch·time, 3·width].</param>
    /// <param name="headScratch"><see cref="DropoutHeadScratchSize"/> elements when dropout &gt; 0, else <see cref="HeadScratchSize"/>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E.</param>
    /// <param name="heads">Heads H.</param>
    /// <param name="causal">As in the forward pass.</param>
    /// <param name="dropoutMask">The mask the forward pass drew [batch, heads, time, time].</param>
    /// <param name="dropout">The forward pass's rate.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> outProjWeight,
        ReadOnlySpan<T> qkv, ReadOnlySpan<T> probabilities, ReadOnlySpan<T> context,
        Span<T> dx, Span<T> dInProjWeight, Span<T> dInProjBias, Span<T> dOutProjWeight, Span<T> dOutProjBias,
        Span<T> dContext, Span<T> dQkv, Span<T> headScratch, int batch, int time, int width, int heads, bool causal,
        ReadOnlySpan<T> dropoutMask, double dropout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, time, width, heads);
        long rows = (long)batch * time;
        Check(dy.Length, rows * width, nameof(dy));
        Check(x.Length, rows * width, nameof(x));
        Check(inProjWeight.Length, 3L * width * width, nameof(inProjWeight));
        Check(outProjWeight.Length, (long)width * width, nameof(outProjWeight));
        Check(qkv.Length, rows * 3 * width, nameof(qkv));
        Check(probabilities.Length, (long)batch * heads * time * time, nameof(probabilities));
        Check(context.Length, rows * width, nameof(context));
        Check(dx.Length, rows * width, nameof(dx));
        Check(dInProjWeight.Length, 3L * width * width, nameof(dInProjWeight));
        Check(dInProjBias.Length, 3L * width, nameof(dInProjBias));
        Check(dOutProjWeight.Length, (long)width * width, nameof(dOutProjWeight));
        Check(dOutProjBias.Length, width, nameof(dOutProjBias));
        Check(dContext.Length, rows * width, nameof(dContext));
        Check(dQkv.Length, rows * 3 * width, nameof(dQkv));
        bool drop = CheckDropout(dropoutMask.Length, dropout, (long)batch * heads * time * time);
        Check(headScratch.Length, drop ? DropoutHeadScratchSize(time, width, heads) : HeadScratchSize(time, width, heads), nameof(headScratch));
        int n = batch * time, d = width / heads, stride = 3 * width;

        // d out_proj = dyᵀ·context, d out_bias = Σ dy; dContext = dy·out_proj.
        Dense.BackwardWeights(dy, context, dOutProjWeight, dOutProjBias, n, width, width);
        Dense.BackwardInput(dy, outProjWeight, dContext, n, width, width);

        if (drop)
            BackwardHeadsWithDropout<T>(qkv, probabilities, dContext, dQkv, headScratch, dropoutMask, batch, time, width, heads, causal);
        else
        {
            // Per (sample, head): dq, dk, dv stored into the head's columns of dQkv.
            bool tiles = AttentionTiles.Serve<T>(d);
            fixed (T* pq = qkv, pdq = dQkv, pp = probabilities, pdc = dContext, ph = headScratch)
                for (int b = 0; b < batch; b++)
                    for (int h = 0; h < heads; h++)
                    {
                        T* sample = pq + (nint)b * time * stride, dSample = pdq + (nint)b * time * stride;
                        T* headProbabilities = pp + (nint)(b * heads + h) * time * time, sampleDContext = pdc + (nint)b * time * width;
                        if (tiles) BackwardHeadTiles(sample, dSample, headProbabilities, sampleDContext, ph, time, width, d, h, causal);
                        else BackwardHeadRows(sample, dSample, headProbabilities, sampleDContext, ph, time, width, d, h, causal);
                    }
        }

        // d in_proj = d[q|k|v]ᵀ·x, d in_bias = Σ d[q|k|v]; dx = d[q|k|v]·in_proj.
        Dense.BackwardWeights<T>(dQkv, x, dInProjWeight, dInProjBias, n, width, 3 * width);
        Dense.BackwardInput<T>(dQkv, inProjWeight, dx, n, width, 3 * width);
    }

    /// <summary>
    /// The row sweeps of head h of one sample (any head width): per query row, the score row q·kᵀ/√d over the live keys,
    /// its softmax, and the context row P·v. Pointers: the sample's q|k|v rows, the head's [T, T] probabilities, the
    /// sample's context rows, the head scratch.
    /// </summary>
    internal static void ForwardHeadRows<T>(T* sample, T* probabilities, T* context, T* scratch, int time, int width, int d, int h, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        T* keysT = scratch;
        // kᵀ [d, time]: this head's keys, transposed so a score row runs along contiguous memory.
        MatrixTranspose.Transpose(sample + width + h * d, stride, keysT, time, time, d);
        for (int t = 0; t < time; t++)
        {
            int keys = causal ? t + 1 : time;
            T* row = probabilities + t * time;
            // s[t, 0..keys) = Σⱼ (q[t, j]/√d)·kᵀ[j, 0..keys)  (keys after t never touched when causal).
            new Span<T>(row, keys).Clear();
            AttentionRows.AccumulateWeightedRows(row, keysT, time, sample + t * stride + h * d, scale, d, keys);
            // P[t, ·] = softmax over the live keys; masked entries exactly 0.
            AttentionRows.Softmax(new Span<T>(row, time), keys);
            // context[t, head] = Σ_s P[t, s]·v[s, head].
            T* c = context + t * width + h * d;
            new Span<T>(c, d).Clear();
            AttentionRows.AccumulateWeightedRows(c, sample + 2 * width + h * d, stride, row, T.One, keys, d);
        }
    }

    /// <summary>
    /// The row sweeps of attention's backward pass for head h of one sample (any head width): dq, dk, dv of the head,
    /// stored into its columns of the sample's dQkv rows (cleared first, then accumulated key by key).
    /// </summary>
    internal static void BackwardHeadRows<T>(T* sample, T* dSample, T* probabilities, T* dContext, T* scratch, int time, int width, int d, int h, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = 3 * width;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));
        T* valuesT = scratch, ds = scratch + d * time;
        for (int t = 0; t < time; t++)
            for (int part = 0; part < 3; part++) new Span<T>(dSample + t * stride + part * width + h * d, d).Clear();
        // vᵀ [d, time]: this head's values, transposed so dP rows run along contiguous memory.
        MatrixTranspose.Transpose(sample + 2 * width + h * d, stride, valuesT, time, time, d);
        for (int t = 0; t < time; t++)
        {
            int keys = causal ? t + 1 : time;
            T* p = probabilities + t * time, dc = dContext + t * width + h * d;
            // dP[t, s] = Σⱼ dContext[t, j]·vᵀ[j, s] over the live keys.
            new Span<T>(ds, keys).Clear();
            AttentionRows.AccumulateWeightedRows(ds, valuesT, time, dc, T.One, d, keys);
            // dS[t, s] = P[t, s]·(dP[t, s] − Σ_s' P[t, s']·dP[t, s']), with 1/√d folded in.
            T dot = RowMath.Dot<T>(new ReadOnlySpan<T>(p, keys), new ReadOnlySpan<T>(ds, keys));
            AttentionRows.SoftmaxGradient(new ReadOnlySpan<T>(p, keys), new Span<T>(ds, keys), dot, scale);
            // One sweep over the keys: dq[t] += dS[t, s]·k[s]/√d; dk[s] += dS[t, s]·q[t]/√d; dv[s] += P[t, s]·dContext[t].
            AttentionRows.AccumulateKeyRows(sample + t * stride + h * d, dSample + t * stride + h * d, dc,
                sample + width + h * d, dSample + width + h * d, dSample + 2 * width + h * d, stride, ds, p, keys, d);
        }
    }

    private static void CheckShape(int batch, int time, int width, int heads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        if (width % heads != 0) throw new ArgumentException($"The width {width} must be divisible by the head count {heads}.", nameof(heads));
    }

    private static void CheckParameters<T>(ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> inProjBias, ReadOnlySpan<T> outProjWeight, ReadOnlySpan<T> outProjBias, int width)
    {
        Check(inProjWeight.Length, 3L * width * width, nameof(inProjWeight));
        Check(inProjBias.Length, 3L * width, nameof(inProjBias));
        Check(outProjWeight.Length, (long)width * width, nameof(outProjWeight));
        Check(outProjBias.Length, width, nameof(outProjBias));
    }

    /// <summary>Whether dropout is on (rate &gt; 0); the rate must be in [0, 1) and, when on, the mask hold <paramref name="required"/> values.</summary>
    private static bool CheckDropout(int maskLength, double rate, long required)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException("dropout", rate, "The attention dropout rate must be in [0, 1).");
        if (rate == 0) return false;
        Check(maskLength, required, "dropoutMask");
        return true;
    }

    private static void Check(int length, long required, string name)
    {
        if (length < required) throw new ArgumentException($"Expected at least {required} elements, got {length}.", name);
    }
}

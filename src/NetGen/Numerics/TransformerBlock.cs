using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// One pre-norm Transformer encoder block, <c>nn.TransformerEncoderLayer(width, heads, feedForward,
/// dropout=0, activation="gelu", batch_first=True, norm_first=True)</c>:
/// r = x + Attn(LN₁(x)), then y = r + W₂·GELU(W₁·LN₂(r) + b₁) + b₂, layout [batch, time, width].
/// A runtime helper chaining <see cref="LayerNorm"/>, <see cref="MultiHeadAttention"/>, <see cref="Dense"/>
/// and <see cref="GeluOperator{T}"/> over caller-provided memory; nothing is allocated.
/// </summary>
/// <remarks>
/// <para><b>Parameters</b>, one flat span in <c>state_dict</c> order (E = width, F = feedForward),
/// offsets in <see cref="TransformerBlockLayout"/>: self_attn.in_proj_weight [3E, E], self_attn.in_proj_bias [3E],
/// self_attn.out_proj.weight [E, E], self_attn.out_proj.bias [E], linear1.weight [F, E], linear1.bias [F],
/// linear2.weight [E, F], linear2.bias [E], norm1.weight [E], norm1.bias [E], norm2.weight [E], norm2.bias [E];
/// <see cref="ParameterCount"/> = 4E² + 2EF + 9E + F. Gradients use the same layout.</para>
/// <para><b>Memory</b> (B = batch, T = time, R = B·T, H = heads, d = E/H):
/// cache (written by Forward, read by Backward) <see cref="CacheSize"/> = R·(7E + 2F + 4) + B·H·T²;
/// scratch (Forward and Backward) <see cref="ScratchSize"/> = R·(6E + F) + T·(d + 1) + T·max(d, T);
/// generation: state (key and value caches) <see cref="StateSize"/> = 2·B·T·E, step scratch
/// <see cref="StepScratchSize"/> = B·(6E + 2F + 2) + T, with T = maxTime.</para>
/// <para><b>Dropout</b> (training passes, PyTorch's four sites with one rate p): the attention weights
/// (<c>self_attn</c>'s dropout), then r = x + Drop₁(Attn(LN₁(x))), y = r + Drop₂(W₂·Drop(GELU(W₁·LN₂(r) + b₁)) + b₂).
/// The overloads taking a <c>dropoutCache</c> of <see cref="DropoutCacheSize"/> = B·H·T² + R·(2E + F) draw the four
/// masks there in that order from the network's generator (0 or 1/(1 − p)) and need <see cref="DropoutScratchSize"/>
/// = <see cref="ScratchSize"/> + T of scratch; backward multiplies each branch's gradient by its mask. Rate 0 is the
/// plain pass, bit for bit; Step never drops.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TransformerBlock
{
    /// <summary>Parameters of one block: 4E² + 2EF + 9E + F.</summary>
    public static int ParameterCount(int width, int feedForward) => new TransformerBlockLayout(width, feedForward).Count;

    /// <summary>Forward cache: R·(7E + 2F + 4) + B·H·T², R = batch·time.</summary>
    public static int CacheSize(int batch, int time, int width, int heads, int feedForward)
        => batch * time * (7 * width + 2 * feedForward + 4) + batch * heads * time * time;

    /// <summary>Scratch of Forward and Backward: R·(6E + F) + T·(d + 1) + T·max(d, T), R = batch·time, d = E/H.</summary>
    public static int ScratchSize(int batch, int time, int width, int heads, int feedForward)
        => batch * time * (6 * width + feedForward) + MultiHeadAttention.HeadScratchSize(time, width, heads);

    /// <summary>Masks of a dropout pass: B·H·T² (attention weights) + R·(2E + F) (the attention branch, the hidden layer, the feed-forward branch).</summary>
    public static int DropoutCacheSize(int batch, int time, int width, int heads, int feedForward)
        => batch * heads * time * time + batch * time * (2 * width + feedForward);

    /// <summary>Scratch of a dropout pass: <see cref="ScratchSize"/> + T (one more attention row).</summary>
    public static int DropoutScratchSize(int batch, int time, int width, int heads, int feedForward)
        => ScratchSize(batch, time, width, heads, feedForward) + time;

    /// <summary>Generation state (keys then values, each [batch, maxTime, width]): 2·B·maxTime·E.</summary>
    public static int StateSize(int batch, int maxTime, int width) => 2 * batch * maxTime * width;

    /// <summary>Scratch of Step: B·(6E + 2F + 2) + maxTime.</summary>
    public static int StepScratchSize(int batch, int maxTime, int width, int feedForward) => batch * (6 * width + 2 * feedForward + 2) + maxTime;

    /// <summary>y = block(x); fills <paramref name="cache"/> for <c>Backward</c>.</summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="parameters">The block's parameters (layout in the remarks).</param>
    /// <param name="y">Output [batch, time, width] (must not overlap x, cache or scratch).</param>
    /// <param name="cache"><see cref="CacheSize"/> elements, kept for Backward.</param>
    /// <param name="scratch"><see cref="ScratchSize"/> elements.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Attention heads H.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part.</param>
    /// <param name="causal">Causal self-attention.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> parameters, Span<T> y, Span<T> cache, Span<T> scratch,
        int batch, int time, int width, int heads, int feedForward, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SplitMix64 unused = default;
        Forward(x, parameters, y, cache, scratch, batch, time, width, heads, feedForward, causal, Span<T>.Empty, 0, ref unused);
    }

    /// <summary>y = block(x) in training with dropout rate <paramref name="dropout"/> at PyTorch's four sites (see the remarks).</summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="parameters">The block's parameters.</param>
    /// <param name="y">Output [batch, time, width] (must not overlap x, cache or scratch).</param>
    /// <param name="cache"><see cref="CacheSize"/> elements, kept for Backward.</param>
    /// <param name="scratch"><see cref="DropoutScratchSize"/> elements (<see cref="ScratchSize"/> at rate 0).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Attention heads H.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part.</param>
    /// <param name="causal">Causal self-attention.</param>
    /// <param name="dropoutCache"><see cref="DropoutCacheSize"/> elements: the masks, kept for Backward (unused at rate 0).</param>
    /// <param name="dropout">The rate p in [0, 1).</param>
    /// <param name="rng">The network's dropout generator (advanced by <see cref="DropoutCacheSize"/> draws when p &gt; 0).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> parameters, Span<T> y, Span<T> cache, Span<T> scratch,
        int batch, int time, int width, int heads, int feedForward, bool causal, Span<T> dropoutCache, double dropout, ref SplitMix64 rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new TransformerBlockLayout(width, feedForward);
        var c = new CacheLayout(batch, time, width, heads, feedForward);
        CheckSizes(x.Length, parameters.Length, y.Length, "y", cache.Length, scratch.Length, batch, time, width, heads, feedForward);
        bool drop = CheckDropout(dropoutCache.Length, scratch.Length, dropout, batch, time, width, heads, feedForward);
        var masks = new MaskLayout(batch, time, width, heads, feedForward);
        int rows = batch * time;
        int headSize = drop ? MultiHeadAttention.DropoutHeadScratchSize(time, width, heads) : MultiHeadAttention.HeadScratchSize(time, width, heads);

        // a = LN₁(x).
        LayerNorm.Forward(x, p.Norm1Weight(parameters), p.Norm1Bias(parameters), c.Norm1Output(cache), c.Mean1(cache), c.Rstd1(cache), rows, width);
        // r = x + Attn(a).
        Span<T> residual = c.Residual(cache);
        MultiHeadAttention.Forward(c.Norm1Output(cache), p.InProjWeight(parameters), p.InProjBias(parameters), p.OutProjWeight(parameters), p.OutProjBias(parameters),
            residual, c.Qkv(cache), c.Probabilities(cache), c.Context(cache), scratch.Slice(0, headSize),
            batch, time, width, heads, causal, drop ? masks.Attention(dropoutCache) : Span<T>.Empty, dropout, ref rng);
        // With dropout the attention branch is Drop₁(Attn(a)): multiplied by its mask before the residual sum.
        if (drop)
        {
            DropoutMask.Fill(masks.Branch1(dropoutCache), dropout, ref rng);
            AttentionRows.Multiply(residual, residual, masks.Branch1(dropoutCache));
        }
        AttentionRows.Add(residual, x);
        // n = LN₂(r).
        LayerNorm.Forward(residual, p.Norm2Weight(parameters), p.Norm2Bias(parameters), c.Norm2Output(cache), c.Mean2(cache), c.Rstd2(cache), rows, width);
        // z = W₁·n + b₁ (kept), g = GELU(z) (kept).
        Dense.Forward(default(GeluOperator<T>), c.Norm2Output(cache), p.Linear1Weight(parameters), p.Linear1Bias(parameters), c.Hidden(cache), c.Activated(cache), rows, width, feedForward);
        // With dropout the second product reads g̃ = g ⊙ M_hidden (scratch after the head rows).
        ReadOnlySpan<T> fed = c.Activated(cache);
        if (drop)
        {
            Span<T> dropped = scratch.Slice(headSize, rows * feedForward);
            DropoutMask.Fill(masks.Hidden(dropoutCache), dropout, ref rng);
            AttentionRows.Multiply(dropped, c.Activated(cache), masks.Hidden(dropoutCache));
            fed = dropped;
        }
        // y = r + W₂·g + b₂ (with dropout: r + Drop₂(W₂·g̃ + b₂)).
        Dense.Forward(fed, p.Linear2Weight(parameters), p.Linear2Bias(parameters), y, rows, feedForward, width);
        if (drop)
        {
            DropoutMask.Fill(masks.Branch2(dropoutCache), dropout, ref rng);
            AttentionRows.Multiply(y.Slice(0, rows * width), y, masks.Branch2(dropoutCache));
        }
        AttentionRows.Add(y.Slice(0, rows * width), residual);
    }

    /// <summary>dx and every parameter gradient (overwritten, layout as the parameters) given dy.</summary>
    /// <param name="dy">Output gradient [batch, time, width].</param>
    /// <param name="x">The forward input [batch, time, width].</param>
    /// <param name="parameters">The block's parameters.</param>
    /// <param name="cache">As filled by <c>Forward</c>.</param>
    /// <param name="dx">Input gradient [batch, time, width], overwritten.</param>
    /// <param name="gradients"><see cref="ParameterCount"/> elements, overwritten.</param>
    /// <param name="scratch"><see cref="ScratchSize"/> elements.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Attention heads H.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part.</param>
    /// <param name="causal">Causal self-attention.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache, Span<T> dx, Span<T> gradients, Span<T> scratch,
        int batch, int time, int width, int heads, int feedForward, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(dy, x, parameters, cache, dx, gradients, scratch, batch, time, width, heads, feedForward, causal, ReadOnlySpan<T>.Empty, 0);

    /// <summary>dx and every parameter gradient of a dropout pass, with the masks it kept in <paramref name="dropoutCache"/>.</summary>
    /// <param name="dy">Output gradient [batch, time, width].</param>
    /// <param name="x">The forward input [batch, time, width].</param>
    /// <param name="parameters">The block's parameters.</param>
    /// <param name="cache">As filled by the forward pass.</param>
    /// <param name="dx">Input gradient [batch, time, width], overwritten.</param>
    /// <param name="gradients"><see cref="ParameterCount"/> elements, overwritten.</param>
    /// <param name="scratch"><see cref="DropoutScratchSize"/> elements (<see cref="ScratchSize"/> at rate 0).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Attention heads H.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part.</param>
    /// <param name="causal">Causal self-attention.</param>
    /// <param name="dropoutCache">The masks the forward pass drew.</param>
    /// <param name="dropout">The forward pass's rate.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> parameters, ReadOnlySpan<T> cache, Span<T> dx, Span<T> gradients, Span<T> scratch,
        int batch, int time, int width, int heads, int feedForward, bool causal, ReadOnlySpan<T> dropoutCache, double dropout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new TransformerBlockLayout(width, feedForward);
        var c = new CacheLayout(batch, time, width, heads, feedForward);
        CheckSizes(x.Length, parameters.Length, dy.Length, "dy", cache.Length, scratch.Length, batch, time, width, heads, feedForward);
        LayerNorm.Check(dx.Length, (long)batch * time * width, nameof(dx));
        LayerNorm.Check(gradients.Length, p.Count, nameof(gradients));
        bool drop = CheckDropout(dropoutCache.Length, scratch.Length, dropout, batch, time, width, heads, feedForward);
        var masks = new MaskLayout(batch, time, width, heads, feedForward);
        int rows = batch * time, n = rows * width;
        Span<T> dActivated = scratch.Slice(0, rows * feedForward);
        Span<T> dNorm = scratch.Slice(rows * feedForward, n);
        Span<T> dResidual = scratch.Slice(rows * feedForward + n, n);
        Span<T> dContext = scratch.Slice(rows * feedForward + 2 * n, n);
        Span<T> dQkv = scratch.Slice(rows * feedForward + 3 * n, 3 * n);
        Span<T> head = scratch.Slice(rows * feedForward + 6 * n, drop ? MultiHeadAttention.DropoutHeadScratchSize(time, width, heads) : MultiHeadAttention.HeadScratchSize(time, width, heads));

        // With dropout the feed-forward branch saw Drop₂ and read g̃ = g ⊙ M_hidden: dy₂ = dy ⊙ M₂ (in dResidual, free
        // until LN₂'s backward), g̃ rebuilt in dActivated (overwritten by dg̃ once dW₂ is made).
        ReadOnlySpan<T> dBranch = dy, fed = c.Activated(cache);
        if (drop)
        {
            AttentionRows.Multiply(dResidual, dy, masks.Branch2(dropoutCache));
            AttentionRows.Multiply(dActivated, c.Activated(cache), masks.Hidden(dropoutCache));
            dBranch = dResidual;
            fed = dActivated;
        }
        // dW₂ = dy₂ᵀ·g̃, db₂ = Σ dy₂; dg̃ = dy₂·W₂ (without dropout: dy₂ = dy, g̃ = g).
        Dense.BackwardWeights(dBranch, fed, p.Linear2Weight(gradients), p.Linear2Bias(gradients), rows, feedForward, width);
        Dense.BackwardInput(dBranch, p.Linear2Weight(parameters), dActivated, rows, feedForward, width);
        // dg = dg̃ ⊙ M_hidden.
        if (drop) AttentionRows.Multiply(dActivated, dActivated, masks.Hidden(dropoutCache));
        // dz = dg ⊙ GELU'(z).
        Activations.Backward(default(GeluOperator<T>), c.Hidden(cache), c.Activated(cache), dActivated, dActivated);
        // dW₁ = dzᵀ·n, db₁ = Σ dz; dn = dz·W₁.
        Dense.BackwardWeights(dActivated, c.Norm2Output(cache), p.Linear1Weight(gradients), p.Linear1Bias(gradients), rows, width, feedForward);
        Dense.BackwardInput(dActivated, p.Linear1Weight(parameters), dNorm, rows, width, feedForward);
        // dr = LN₂'(dn) + dy (the residual path).
        LayerNorm.Backward(dNorm, c.Residual(cache), p.Norm2Weight(parameters), c.Mean2(cache), c.Rstd2(cache), dResidual, p.Norm2Weight(gradients), p.Norm2Bias(gradients), rows, width);
        AttentionRows.Add(dResidual, dy);
        // With dropout the attention branch's gradient is dr ⊙ M₁ (in dNorm, which the attention's dx may overwrite).
        ReadOnlySpan<T> dAttention = dResidual;
        if (drop)
        {
            AttentionRows.Multiply(dNorm, dResidual, masks.Branch1(dropoutCache));
            dAttention = dNorm;
        }
        // da = Attn'(dr).
        MultiHeadAttention.Backward(dAttention, c.Norm1Output(cache), p.InProjWeight(parameters), p.OutProjWeight(parameters), c.Qkv(cache), c.Probabilities(cache), c.Context(cache),
            dNorm, p.InProjWeight(gradients), p.InProjBias(gradients), p.OutProjWeight(gradients), p.OutProjBias(gradients), dContext, dQkv, head,
            batch, time, width, heads, causal, drop ? masks.Attention(dropoutCache) : ReadOnlySpan<T>.Empty, dropout);
        // dx = LN₁'(da) + dr (the residual path).
        LayerNorm.Backward(dNorm, x, p.Norm1Weight(parameters), c.Mean1(cache), c.Rstd1(cache), dx, p.Norm1Weight(gradients), p.Norm1Bias(gradients), rows, width);
        AttentionRows.Add(dx.Slice(0, n), dResidual);
    }

    /// <summary>
    /// One generation step (causal blocks): the block's output at <paramref name="position"/> for one new
    /// row per sample, keys and values of earlier positions read from <paramref name="state"/> and this
    /// position's written to it. Equals row <c>position</c> of <c>Forward</c> (causal) over the prefix.
    /// </summary>
    /// <param name="x">The new rows [batch, width].</param>
    /// <param name="parameters">The block's parameters.</param>
    /// <param name="state"><see cref="StateSize"/> elements: keys [batch, maxTime, width] then values.</param>
    /// <param name="position">0 ≤ position &lt; maxTime.</param>
    /// <param name="y">Output [batch, width].</param>
    /// <param name="scratch"><see cref="StepScratchSize"/> elements.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="maxTime">Capacity of the key/value state (the network's timeSteps).</param>
    /// <param name="width">Embedding width E (divisible by heads).</param>
    /// <param name="heads">Attention heads H.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part.</param>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> parameters, Span<T> state, int position, Span<T> y, Span<T> scratch,
        int batch, int maxTime, int width, int heads, int feedForward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new TransformerBlockLayout(width, feedForward);
        LayerNorm.Check(parameters.Length, p.Count, nameof(parameters));
        LayerNorm.Check(state.Length, StateSize(batch, maxTime, width), nameof(state));
        LayerNorm.Check(scratch.Length, StepScratchSize(batch, maxTime, width, feedForward), nameof(scratch));
        LayerNorm.Check(x.Length, (long)batch * width, nameof(x));
        LayerNorm.Check(y.Length, (long)batch * width, nameof(y));
        int n = batch * width, f = batch * feedForward, cacheSize = batch * maxTime * width;
        Span<T> norm = scratch.Slice(0, n), qkv = scratch.Slice(n, 3 * n), context = scratch.Slice(4 * n, n), residual = scratch.Slice(5 * n, n);
        Span<T> hidden = scratch.Slice(6 * n, f), activated = scratch.Slice(6 * n + f, f);
        Span<T> mean = scratch.Slice(6 * n + 2 * f, batch), rstd = scratch.Slice(6 * n + 2 * f + batch, batch), scores = scratch.Slice(6 * n + 2 * f + 2 * batch, maxTime);

        // r = x + Attn(LN₁(x)) at this position, keys/values of 0..position from the state.
        LayerNorm.Forward(x, p.Norm1Weight(parameters), p.Norm1Bias(parameters), norm, mean, rstd, batch, width);
        MultiHeadAttention.Step(norm, p.InProjWeight(parameters), p.InProjBias(parameters), p.OutProjWeight(parameters), p.OutProjBias(parameters),
            state.Slice(0, cacheSize), state.Slice(cacheSize, cacheSize), position, residual, qkv, context, scores, batch, maxTime, width, heads);
        AttentionRows.Add(residual, x);
        // y = r + W₂·GELU(W₁·LN₂(r) + b₁) + b₂.
        LayerNorm.Forward(residual, p.Norm2Weight(parameters), p.Norm2Bias(parameters), norm, mean, rstd, batch, width);
        Dense.Forward(default(GeluOperator<T>), norm, p.Linear1Weight(parameters), p.Linear1Bias(parameters), hidden, activated, batch, width, feedForward);
        Dense.Forward(activated, p.Linear2Weight(parameters), p.Linear2Bias(parameters), y, batch, feedForward, width);
        AttentionRows.Add(y.Slice(0, n), residual);
    }

    /// <summary>
    /// PyTorch's initialisation: attention as <see cref="MultiHeadAttention.Initialize"/>; linear1 and linear2
    /// as nn.Linear (weight and bias U(−1/√fan_in, 1/√fan_in)); norms γ = 1, β = 0.
    /// </summary>
    public static void Initialize<T>(Span<T> parameters, int width, int feedForward, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new TransformerBlockLayout(width, feedForward);
        LayerNorm.Check(parameters.Length, p.Count, nameof(parameters));
        MultiHeadAttention.Initialize(p.InProjWeight(parameters), p.InProjBias(parameters), p.OutProjWeight(parameters), p.OutProjBias(parameters), width, ref rng);
        Initializers.Uniform(p.Linear1Weight(parameters), 1.0 / Math.Sqrt(width), ref rng);
        Initializers.Uniform(p.Linear1Bias(parameters), 1.0 / Math.Sqrt(width), ref rng);
        Initializers.Uniform(p.Linear2Weight(parameters), 1.0 / Math.Sqrt(feedForward), ref rng);
        Initializers.Uniform(p.Linear2Bias(parameters), 1.0 / Math.Sqrt(feedForward), ref rng);
        LayerNorm.Initialize(p.Norm1Weight(parameters), p.Norm1Bias(parameters));
        LayerNorm.Initialize(p.Norm2Weight(parameters), p.Norm2Bias(parameters));
    }

    private static void CheckSizes(int inputLength, int parameterLength, int outputLength, string outputName, int cacheLength, int scratchLength, int batch, int time, int width, int heads, int feedForward)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(feedForward);
        if (width % heads != 0) throw new ArgumentException($"The width {width} must be divisible by the head count {heads}.", nameof(heads));
        long n = (long)batch * time * width;
        LayerNorm.Check(inputLength, n, "x");
        LayerNorm.Check(parameterLength, ParameterCount(width, feedForward), "parameters");
        LayerNorm.Check(outputLength, n, outputName);
        LayerNorm.Check(cacheLength, CacheSize(batch, time, width, heads, feedForward), "cache");
        LayerNorm.Check(scratchLength, ScratchSize(batch, time, width, heads, feedForward), "scratch");
    }

    /// <summary>Whether dropout is on (rate &gt; 0): the rate in [0, 1), and then the masks and the larger scratch present.</summary>
    private static bool CheckDropout(int cacheLength, int scratchLength, double rate, int batch, int time, int width, int heads, int feedForward)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException("dropout", rate, "The dropout rate must be in [0, 1).");
        if (rate == 0) return false;
        LayerNorm.Check(cacheLength, DropoutCacheSize(batch, time, width, heads, feedForward), "dropoutCache");
        LayerNorm.Check(scratchLength, DropoutScratchSize(batch, time, width, heads, feedForward), "scratch");
        return true;
    }

    /// <summary>The masks of a dropout pass, in the order they are drawn: attention weights, branch 1, hidden, branch 2.</summary>
    private readonly struct MaskLayout(int batch, int time, int width, int heads, int feedForward)
    {
        private int R => batch * time;
        private int A => batch * heads * time * time;
        public Span<T> Attention<T>(Span<T> m) => m.Slice(0, A);
        public Span<T> Branch1<T>(Span<T> m) => m.Slice(A, R * width);
        public Span<T> Hidden<T>(Span<T> m) => m.Slice(A + R * width, R * feedForward);
        public Span<T> Branch2<T>(Span<T> m) => m.Slice(A + R * (width + feedForward), R * width);
        public ReadOnlySpan<T> Attention<T>(ReadOnlySpan<T> m) => m.Slice(0, A);
        public ReadOnlySpan<T> Branch1<T>(ReadOnlySpan<T> m) => m.Slice(A, R * width);
        public ReadOnlySpan<T> Hidden<T>(ReadOnlySpan<T> m) => m.Slice(A + R * width, R * feedForward);
        public ReadOnlySpan<T> Branch2<T>(ReadOnlySpan<T> m) => m.Slice(A + R * (width + feedForward), R * width);
    }

    /// <summary>Where each cached tensor lives in the forward cache (see <see cref="CacheSize"/>).</summary>
    private readonly struct CacheLayout(int batch, int time, int width, int heads, int feedForward)
    {
        private int R => batch * time;
        public Span<T> Norm1Output<T>(Span<T> c) => c.Slice(0, R * width);
        public Span<T> Mean1<T>(Span<T> c) => c.Slice(R * width, R);
        public Span<T> Rstd1<T>(Span<T> c) => c.Slice(R * width + R, R);
        public Span<T> Qkv<T>(Span<T> c) => c.Slice(R * width + 2 * R, 3 * R * width);
        public Span<T> Context<T>(Span<T> c) => c.Slice(4 * R * width + 2 * R, R * width);
        public Span<T> Residual<T>(Span<T> c) => c.Slice(5 * R * width + 2 * R, R * width);
        public Span<T> Norm2Output<T>(Span<T> c) => c.Slice(6 * R * width + 2 * R, R * width);
        public Span<T> Mean2<T>(Span<T> c) => c.Slice(7 * R * width + 2 * R, R);
        public Span<T> Rstd2<T>(Span<T> c) => c.Slice(7 * R * width + 3 * R, R);
        public Span<T> Hidden<T>(Span<T> c) => c.Slice(7 * R * width + 4 * R, R * feedForward);
        public Span<T> Activated<T>(Span<T> c) => c.Slice(7 * R * width + 4 * R + R * feedForward, R * feedForward);
        public Span<T> Probabilities<T>(Span<T> c) => c.Slice(7 * R * width + 4 * R + 2 * R * feedForward, batch * heads * time * time);
        public ReadOnlySpan<T> Norm1Output<T>(ReadOnlySpan<T> c) => c.Slice(0, R * width);
        public ReadOnlySpan<T> Mean1<T>(ReadOnlySpan<T> c) => c.Slice(R * width, R);
        public ReadOnlySpan<T> Rstd1<T>(ReadOnlySpan<T> c) => c.Slice(R * width + R, R);
        public ReadOnlySpan<T> Qkv<T>(ReadOnlySpan<T> c) => c.Slice(R * width + 2 * R, 3 * R * width);
        public ReadOnlySpan<T> Context<T>(ReadOnlySpan<T> c) => c.Slice(4 * R * width + 2 * R, R * width);
        public ReadOnlySpan<T> Residual<T>(ReadOnlySpan<T> c) => c.Slice(5 * R * width + 2 * R, R * width);
        public ReadOnlySpan<T> Norm2Output<T>(ReadOnlySpan<T> c) => c.Slice(6 * R * width + 2 * R, R * width);
        public ReadOnlySpan<T> Mean2<T>(ReadOnlySpan<T> c) => c.Slice(7 * R * width + 2 * R, R);
        public ReadOnlySpan<T> Rstd2<T>(ReadOnlySpan<T> c) => c.Slice(7 * R * width + 3 * R, R);
        public ReadOnlySpan<T> Hidden<T>(ReadOnlySpan<T> c) => c.Slice(7 * R * width + 4 * R, R * feedForward);
        public ReadOnlySpan<T> Activated<T>(ReadOnlySpan<T> c) => c.Slice(7 * R * width + 4 * R + R * feedForward, R * feedForward);
        public ReadOnlySpan<T> Probabilities<T>(ReadOnlySpan<T> c) => c.Slice(7 * R * width + 4 * R + 2 * R * feedForward, batch * heads * time * time);
    }
}

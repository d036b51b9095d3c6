using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// A pre-norm Transformer encoder layer through the runtime's fused <c>TransformerBlock</c> kernels, which
/// take the block's contiguous slice of the parameters (and gradients) in <c>TransformerBlockLayout</c> order.
/// </summary>
internal sealed class TransformerBlockEmitter : LayerEmitter
{
    private readonly TransformerBlockSpec _block;

    public TransformerBlockEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _block = (TransformerBlockSpec)layer.Spec;

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private int Heads => _block.Heads;
    private int FeedForward => _block.FeedForward;
    private int Offset => Layer.Tensors.Min(t => t.Offset);
    private int Count => Layer.ParameterCount;
    private string Sizes => $"batch: n, time: {Steps}, width: {Width}, heads: {Heads}, feedForward: {FeedForward}, causal: {(_block.Causal ? "true" : "false")}";

    /// <summary>The forward cache per sample: T·(7E + 2F + 4) + H·T² (TransformerBlock.CacheSize for one sample; it is linear in the batch).</summary>
    private int CachePerSample => Steps * (7 * Width + 2 * FeedForward + 4) + Heads * Steps * Steps;

    /// <summary>
    /// Scratch per sample T·(6E + F), plus the per-head T·(d + 1) + T·max(d, T) once (over-allocated per sample, used once),
    /// plus T with dropout (TransformerBlock.DropoutScratchSize: one more attention row).
    /// </summary>
    private int ScratchPerSample => Steps * (6 * Width + FeedForward) + Steps * (Width / Heads + 1) + Steps * System.Math.Max(Width / Heads, Steps) + (Drops ? Steps : 0);

    private bool Drops => _block.Dropout > 0;
    private string Rate => _block.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The dropout masks per sample: H·T² + T·(2E + F) (TransformerBlock.DropoutCacheSize for one sample, linear in the batch).</summary>
    private int MasksPerSample => Heads * Steps * Steps + Steps * (2 * Width + FeedForward);
    private string Masks => EmitContext.Rows($"_dropoutMasks{I}", MasksPerSample);

    public override string Describe() => $"TransformerBlock, {Heads} heads of {Width / Heads}, feed-forward {FeedForward}, over {Steps} time steps" + (_block.Causal ? ", causal" : "") + (Drops ? $", dropout {Rate} in training" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_cache{I}", CachePerSample, T, $"{_block.Name} values kept for the backward pass (norms, q|k|v, attention weights, feed-forward)");
        yield return new BufferField($"_scratch{I}", ScratchPerSample, T, $"{_block.Name} scratch of the forward and backward passes");
        if (Drops) yield return new BufferField($"_dropoutMasks{I}", MasksPerSample, T, $"{_block.Name} dropout masks (attention weights, attention branch, hidden layer, feed-forward branch): 0 or 1/(1 − {Rate})");
        if (!_block.Causal) yield break;
        // Generation (causal only): keys then values of every position so far (2·T·E), and one step's scratch.
        yield return new BufferField(StepState, 2 * Steps * Width, T, $"{_block.Name} keys and values of the positions Step has seen", PerSample: false, StepOnly: true);
        yield return new BufferField(StepScratch, StepScratchSize(Steps), T, $"{_block.Name} scratch of one Step", PerSample: false, StepOnly: true);
    }

    private string StepState => $"_stepState{I}";
    private string StepScratch => $"_stepScratch{I}";

    /// <summary>TransformerBlock.StepScratchSize for one sample: 6E + 2F + 2 + maxTime.</summary>
    private int StepScratchSize(int maxTime) => 6 * Width + 2 * FeedForward + 2 + maxTime;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// h = x{I} + Attn(LN₁(x{I}));  y{I} = h + W₂·GELU(W₁·LN₂(h) + b₁) + b₂   (parameters {Offset}..{Offset + Count - 1})");
        string call = $"{K}.TransformerBlock.Forward<{T}>({Ctx.InputOf(I)}, new {ReadOnlySpan}(_parameters, {Offset}, {Count}), {Ctx.OutputOf(I)}, {EmitContext.Rows($"_cache{I}", CachePerSample)}, {EmitContext.Rows($"_scratch{I}", ScratchPerSample)}, {Sizes}";
        if (!Drops)
        {
            w.Line(call + ");");
            return;
        }
        w.Open("if (training)");
        w.Line($"// training: h = x + Drop(Attn(LN₁(x))) with the attention weights dropped too;  y = h + Drop(W₂·Drop(GELU(W₁·LN₂(h) + b₁)) + b₂), rate {Rate}");
        w.Line(call + $", {Masks}, {Rate}, ref _random);");
        w.Close();
        w.Open("else");
        w.Line("// outside training nothing is dropped");
        w.Line(call + ");");
        w.Close();
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The fused kernel gives d(input) with the parameter gradients in one pass, so dx is always written.
        w.Line($"// back through the feed-forward residual, LN₂, the attention residual and LN₁: every block gradient and dx{I}");
        w.Line($"{K}.TransformerBlock.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputOf(I)}, new {ReadOnlySpan}(_parameters, {Offset}, {Count}), {EmitContext.Rows($"_cache{I}", CachePerSample)},");
        w.Line($"    {Ctx.InputGradientOf(I)}, new global::System.Span<{T}>(_gradients, {Offset}, {Count}), {EmitContext.Rows($"_scratch{I}", ScratchPerSample)}, {Sizes}{(Drops ? $", {Masks}, {Rate}" : "")});");
    }

    /// <summary>Causal blocks step with a key/value cache; otherwise every step needs the ones after it.</summary>
    public override string? StepUnsupportedReason => _block.Causal ? null : MultiHeadAttentionKind.NotCausalReason(_block.Name, Layer.KindName);

    /// <summary>The cache holds the network's time steps.</summary>
    public override int? StepLimit => StepCapacity;

    public override void EmitStep(SourceWriter w)
    {
        // The step emitter sees the one-step view: the cache capacity is the whole network's time steps.
        w.Line($"// h = x{I} + Attn(LN₁(x{I})) over the cached keys/values of positions 0..position;  y{I} = h + W₂·GELU(W₁·LN₂(h) + b₁) + b₂   (O(position))");
        w.Line($"{K}.TransformerBlock.Step<{T}>({Ctx.InputOf(I)}, new {ReadOnlySpan}(_parameters, {Offset}, {Count}), {StepState}, position: (int)_position, {Ctx.OutputOf(I)}, {StepScratch},");
        w.Line($"    batch: 1, maxTime: {StepCapacity}, width: {Width}, heads: {Heads}, feedForward: {FeedForward});");
    }

    /// <summary>Nothing to clear: Step writes position p's key and value before it reads positions 0..p.</summary>
    public override void EmitResetState(SourceWriter w) { }

    private string ReadOnlySpan => $"global::System.ReadOnlySpan<{T}>";
}

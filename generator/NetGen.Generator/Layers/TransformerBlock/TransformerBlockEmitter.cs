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

    /// <summary>Scratch per sample T·(6E + F), plus the per-head T·(d + 1) once (over-allocated per sample, used once).</summary>
    private int ScratchPerSample => Steps * (6 * Width + FeedForward) + Steps * (Width / Heads + 1);

    public override string Describe() => $"TransformerBlock, {Heads} heads of {Width / Heads}, feed-forward {FeedForward}, over {Steps} time steps" + (_block.Causal ? ", causal" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_cache{I}", CachePerSample, T, $"{_block.Name} values kept for the backward pass (norms, q|k|v, attention weights, feed-forward)");
        yield return new BufferField($"_scratch{I}", ScratchPerSample, T, $"{_block.Name} scratch of the forward and backward passes");
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// h = x{I} + Attn(LN₁(x{I}));  y{I} = h + W₂·GELU(W₁·LN₂(h) + b₁) + b₂   (parameters {Offset}..{Offset + Count - 1})");
        w.Line($"{K}.TransformerBlock.Forward<{T}>({Ctx.InputOf(I)}, new {ReadOnlySpan}(_parameters, {Offset}, {Count}), {Ctx.OutputOf(I)}, {EmitContext.Rows($"_cache{I}", CachePerSample)}, {EmitContext.Rows($"_scratch{I}", ScratchPerSample)}, {Sizes});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The fused kernel gives d(input) with the parameter gradients in one pass, so dx is always written.
        w.Line($"// back through the feed-forward residual, LN₂, the attention residual and LN₁: every block gradient and dx{I}");
        w.Line($"{K}.TransformerBlock.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputOf(I)}, new {ReadOnlySpan}(_parameters, {Offset}, {Count}), {EmitContext.Rows($"_cache{I}", CachePerSample)},");
        w.Line($"    {Ctx.InputGradientOf(I)}, new global::System.Span<{T}>(_gradients, {Offset}, {Count}), {EmitContext.Rows($"_scratch{I}", ScratchPerSample)}, {Sizes});");
    }

    private string ReadOnlySpan => $"global::System.ReadOnlySpan<{T}>";
}

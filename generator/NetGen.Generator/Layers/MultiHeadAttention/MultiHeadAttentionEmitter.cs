using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Self-attention: one product for q, k, v over batch × time, blocked per-head attention, then out_proj.</summary>
internal sealed class MultiHeadAttentionEmitter : LayerEmitter
{
    private readonly MultiHeadAttentionSpec _attention;

    public MultiHeadAttentionEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _attention = (MultiHeadAttentionSpec)layer.Spec;

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private int Heads => _attention.Heads;
    private string Causal => _attention.Causal ? "true" : "false";
    private string Sizes => $"batch: n, time: {Steps}, width: {Width}, heads: {Heads}, causal: {Causal}";
    private string Qkv => EmitContext.Rows($"_qkv{I}", Steps * 3 * Width);
    private string Probabilities => EmitContext.Rows($"_probabilities{I}", Heads * Steps * Steps);
    private string Context => EmitContext.Rows($"_context{I}", Steps * Width);
    private TensorModel Tensor(string field) => System.Linq.Enumerable.First(Layer.Tensors, t => t.Field == $"L{I}{field}");

    public override string Describe() => $"MultiHeadAttention, {Heads} heads of {Width / Heads} over {Steps} time steps" + (_attention.Causal ? ", causal" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_qkv{I}", Steps * 3 * Width, T, $"{_attention.Name} q | k | v of every position");
        yield return new BufferField($"_probabilities{I}", Heads * Steps * Steps, T, $"{_attention.Name} attention weights per head (masked entries 0)");
        yield return new BufferField($"_context{I}", Steps * Width, T, $"{_attention.Name} P·v, heads side by side");
        yield return new BufferField($"_dqkv{I}", Steps * 3 * Width, T, $"d(loss)/d({_attention.Name} q | k | v)");
        yield return new BufferField($"_dcontext{I}", Steps * Width, T, $"d(loss)/d({_attention.Name} context)");
        yield return new BufferField($"_heads{I}", Steps * (Width / Heads + 1), T, $"{_attention.Name} per-head scratch", PerSample: false);
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// [q|k|v] = x{I}·in_projᵀ + b;  per head: P = softmax(q·kᵀ/√{Width / Heads}{(_attention.Causal ? ", keys after the query masked" : "")}) (row maximum subtracted);  y{I} = (P·v)·out_projᵀ + b");
        w.Line($"{K}.MultiHeadAttention.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Tensor("InProjWeight"))}, {EmitContext.Param(Tensor("InProjBias"))}, {EmitContext.Param(Tensor("OutProjWeight"))}, {EmitContext.Param(Tensor("OutProjBias"))},");
        w.Line($"    {Ctx.OutputOf(I)}, {Qkv}, {Probabilities}, {Context}, _heads{I}, {Sizes});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The kernel gives d(input) with the parameter gradients in one pass, so dx is always written.
        w.Line($"// d out_proj = dy{I}ᵀ·context;  dContext = dy{I}·out_proj;  dS = P ⊙ (dP − rowsum(P ⊙ dP));  d[q|k|v];  d in_proj = d[q|k|v]ᵀ·x{I};  dx{I} = d[q|k|v]·in_proj");
        w.Line($"{K}.MultiHeadAttention.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputOf(I)}, {EmitContext.Param(Tensor("InProjWeight"))}, {EmitContext.Param(Tensor("OutProjWeight"))}, {Qkv}, {Probabilities}, {Context},");
        w.Line($"    {Ctx.InputGradientOf(I)}, {EmitContext.Grad(Tensor("InProjWeight"))}, {EmitContext.Grad(Tensor("InProjBias"))}, {EmitContext.Grad(Tensor("OutProjWeight"))}, {EmitContext.Grad(Tensor("OutProjBias"))},");
        w.Line($"    {EmitContext.Rows($"_dcontext{I}", Steps * Width)}, {EmitContext.Rows($"_dqkv{I}", Steps * 3 * Width)}, _heads{I}, {Sizes});");
    }
}

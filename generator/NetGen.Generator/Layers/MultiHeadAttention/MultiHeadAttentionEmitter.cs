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
    private bool Drops => _attention.Dropout > 0;
    private string Rate => _attention.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    private string Mask => EmitContext.Rows($"_attentionMask{I}", Heads * Steps * Steps);
    /// <summary>
    /// MultiHeadAttention.HeadScratchSize: T·(d + 1) + T·max(d, T) (kᵀ or vᵀ, a dP row, the scaled q or the head's dS);
    /// it also holds the dropout path's DropoutHeadScratchSize T·(d + 2) (the row sweeps keep one more row, P̃).
    /// </summary>
    private int HeadScratch => Steps * (Width / Heads + 1) + Steps * System.Math.Max(Width / Heads, Steps);
    private TensorModel Tensor(string field) => System.Linq.Enumerable.First(Layer.Tensors, t => t.Field == $"L{I}{field}");

    public override string Describe() => $"MultiHeadAttention, {Heads} heads of {Width / Heads} over {Steps} time steps" + (_attention.Causal ? ", causal" : "") + (Drops ? $", dropout {Rate} in training" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_qkv{I}", Steps * 3 * Width, T, $"{_attention.Name} q | k | v of every position");
        yield return new BufferField($"_probabilities{I}", Heads * Steps * Steps, T, $"{_attention.Name} attention weights per head (masked entries 0)");
        yield return new BufferField($"_context{I}", Steps * Width, T, $"{_attention.Name} P·v, heads side by side");
        yield return new BufferField($"_dqkv{I}", Steps * 3 * Width, T, $"d(loss)/d({_attention.Name} q | k | v)");
        yield return new BufferField($"_dcontext{I}", Steps * Width, T, $"d(loss)/d({_attention.Name} context)");
        yield return new BufferField($"_heads{I}", HeadScratch, T, $"{_attention.Name} per-head scratch", PerSample: false);
        if (Drops) yield return new BufferField($"_attentionMask{I}", Heads * Steps * Steps, T, $"{_attention.Name} dropout mask of the attention weights: 0 or 1/(1 − {Rate})");
        if (!_attention.Causal) yield break;
        // Generation (causal only): the keys and values of every position so far, and one step's scratch.
        yield return new BufferField(KeyCache, Steps * Width, T, $"{_attention.Name} keys of the positions Step has seen", PerSample: false, StepOnly: true);
        yield return new BufferField(ValueCache, Steps * Width, T, $"{_attention.Name} values of the positions Step has seen", PerSample: false, StepOnly: true);
        yield return new BufferField(StepQkv, 3 * Width, T, $"{_attention.Name} q | k | v of one Step", PerSample: false, StepOnly: true);
        yield return new BufferField(StepContext, Width, T, $"{_attention.Name} P·v of one Step", PerSample: false, StepOnly: true);
        yield return new BufferField(StepScores, Steps, T, $"{_attention.Name} one head's scores of one Step", PerSample: false, StepOnly: true);
    }

    private string KeyCache => $"_keyCache{I}";
    private string ValueCache => $"_valueCache{I}";
    private string StepQkv => $"_stepQkv{I}";
    private string StepContext => $"_stepContext{I}";
    private string StepScores => $"_stepScores{I}";

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// [q|k|v] = x{I}·in_projᵀ + b;  per head: P = softmax(q·kᵀ/√{Width / Heads}{(_attention.Causal ? ", keys after the query masked" : "")}) (row maximum subtracted);  y{I} = (P·v)·out_projᵀ + b");
        string call = $"{K}.MultiHeadAttention.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Tensor("InProjWeight"))}, {EmitContext.Param(Tensor("InProjBias"))}, {EmitContext.Param(Tensor("OutProjWeight"))}, {EmitContext.Param(Tensor("OutProjBias"))},";
        string operands = $"    {Ctx.OutputOf(I)}, {Qkv}, {Probabilities}, {Context}, _heads{I}, {Sizes}";
        if (!Drops)
        {
            w.Line(call);
            w.Line(operands + ");");
            return;
        }
        w.Open("if (training)");
        w.Line($"// training: P̃ = P ⊙ M, M drawn from the dropout generator (0 with probability {Rate}, else 1/(1 − {Rate})), context = P̃·v");
        w.Line(call);
        w.Line(operands + $", {Mask}, {Rate}, ref _random);");
        w.Close();
        w.Open("else");
        w.Line("// outside training the attention weights are not dropped");
        w.Line(call);
        w.Line(operands + ");");
        w.Close();
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The kernel gives d(input) with the parameter gradients in one pass, so dx is always written.
        w.Line($"// d out_proj = dy{I}ᵀ·context;  dContext = dy{I}·out_proj;  dS = P ⊙ (dP − rowsum(P ⊙ dP));  d[q|k|v];  d in_proj = d[q|k|v]ᵀ·x{I};  dx{I} = d[q|k|v]·in_proj");
        w.Line($"{K}.MultiHeadAttention.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputOf(I)}, {EmitContext.Param(Tensor("InProjWeight"))}, {EmitContext.Param(Tensor("OutProjWeight"))}, {Qkv}, {Probabilities}, {Context},");
        w.Line($"    {Ctx.InputGradientOf(I)}, {EmitContext.Grad(Tensor("InProjWeight"))}, {EmitContext.Grad(Tensor("InProjBias"))}, {EmitContext.Grad(Tensor("OutProjWeight"))}, {EmitContext.Grad(Tensor("OutProjBias"))},");
        w.Line($"    {EmitContext.Rows($"_dcontext{I}", Steps * Width)}, {EmitContext.Rows($"_dqkv{I}", Steps * 3 * Width)}, _heads{I}, {Sizes}{(Drops ? $", {Mask}, {Rate}" : "")});");
    }

    /// <summary>Causal attention steps with a key/value cache; otherwise every step needs the ones after it.</summary>
    public override string? StepUnsupportedReason => _attention.Causal ? null : MultiHeadAttentionKind.NotCausalReason(_attention.Name, Layer.KindName);

    /// <summary>The cache holds the network's time steps.</summary>
    public override int? StepLimit => StepCapacity;

    public override void EmitStep(SourceWriter w)
    {
        // The step emitter sees the one-step view: the cache capacity is the whole network's time steps.
        w.Line($"// [q|k|v] = x{I}·in_projᵀ + b; k, v stored at `position`; per head P = softmax(q·k[0..position]ᵀ/√{Width / Heads});  y{I} = (P·v[0..position])·out_projᵀ + b   (O(position))");
        w.Line($"{K}.MultiHeadAttention.Step<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Tensor("InProjWeight"))}, {EmitContext.Param(Tensor("InProjBias"))}, {EmitContext.Param(Tensor("OutProjWeight"))}, {EmitContext.Param(Tensor("OutProjBias"))},");
        w.Line($"    {KeyCache}, {ValueCache}, position: (int)_position, {Ctx.OutputOf(I)}, {StepQkv}, {StepContext}, {StepScores}, batch: 1, maxTime: {StepCapacity}, width: {Width}, heads: {Heads});");
    }

    /// <summary>Nothing to clear: Step writes position p's key and value before it reads positions 0..p.</summary>
    public override void EmitResetState(SourceWriter w) { }
}

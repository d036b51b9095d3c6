using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>LayerNorm: y = (x − μ)·rstd ⊙ γ + β per row of the last dimension, μ and rstd kept for the backward pass.</summary>
internal sealed class LayerNormEmitter : LayerEmitter
{
    private readonly LayerNormSpec _norm;

    public LayerNormEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _norm = (LayerNormSpec)layer.Spec;

    private int Width => Layer.Input.Features;
    private int Steps => Layer.Input.TimeSteps;
    private string Rows => EmitContext.RowsOf(Layer.Input);
    private string Mean => EmitContext.Rows($"_mean{I}", Steps);
    private string Rstd => EmitContext.Rows($"_rstd{I}", Steps);

    public override string Describe() => $"LayerNorm over {Width} features" + (Layer.Input.IsSequence ? $" at each of {Steps} time steps" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_mean{I}", Steps, T, $"{_norm.Name} mean of each row");
        yield return new BufferField($"_rstd{I}", Steps, T, $"{_norm.Name} 1/√(σ² + ε) of each row");
    }

    public override void EmitForward(SourceWriter w)
    {
        string eps = _norm.Epsilon.ToString("R", CultureInfo.InvariantCulture);
        w.Line($"// y{I} = (x{I} − μ)/√(σ² + {eps})·γ + β over the last {Width} values of each row (σ² biased, two passes)");
        w.Line($"{K}.LayerNorm.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Layer.Tensor(TensorRole.Scale))}, {EmitContext.Param(Layer.Tensor(TensorRole.Shift))}, {Ctx.OutputOf(I)}, {Mean}, {Rstd}, rows: {Rows}, width: {Width}, epsilon: {eps});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        TensorModel scale = Layer.Tensor(TensorRole.Scale), shift = Layer.Tensor(TensorRole.Shift);
        w.Line($"// dγ = Σ dy{I} ⊙ x̂;  dβ = Σ dy{I};  dx{I} = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy{I} ⊙ γ (one pass gives all three)");
        w.Line($"{K}.LayerNorm.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputOf(I)}, {EmitContext.Param(scale)}, {Mean}, {Rstd}, {Ctx.InputGradientOf(I)}, {EmitContext.Grad(scale)}, {EmitContext.Grad(shift)}, rows: {Rows}, width: {Width});");
    }
}

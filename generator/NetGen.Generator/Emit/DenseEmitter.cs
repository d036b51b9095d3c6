using System.Collections.Generic;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Dense: z = x·Wᵀ + b, y = f(z), W [units, inputs] row-major (PyTorch's <c>nn.Linear</c>).</summary>
internal sealed class DenseEmitter : LayerEmitter
{
    private readonly DenseSpec _dense;

    public DenseEmitter(EmitContext ctx, LayerPlan plan) : base(ctx, plan) => _dense = (DenseSpec)plan.Spec;

    private int Inputs => Plan.InputSize;
    private int Units => _dense.Units;
    private ActivationSpec Act => _dense.Activation;
    private TensorPlan Weight => Tensor("Weight");
    private TensorPlan Bias => Tensor("Bias");
    private TensorPlan? Slope => TryTensor("Slope");

    /// <summary>The pre-activation z has its own buffer unless the activation is Linear (then z is y).</summary>
    private string Z => Act.IsNonLinear ? EmitContext.Rows($"_z{I}", Units) : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? EmitContext.Rows($"_dz{I}", Units) : Ctx.OutputGradientOf(I);

    public override string Describe() => $"Dense {Inputs} → {Units}, {Act.Kind}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        if (!Act.IsNonLinear) yield break;
        yield return new BufferField($"_z{I}", Units, T, $"{_dense.Name} pre-activation");
        yield return new BufferField($"_dz{I}", Units, T, $"d(loss)/d({_dense.Name} pre-activation)");
    }

    public override ActivationSpec? FinalActivation => Act;
    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    public override void EmitForward(SourceWriter w)
    {
        string? op = ActivationFormulas.OperatorType(Act.Kind, T);
        if (Act.IsNonLinear && op is not null)
        {
            // Element-wise activations run in the product's epilogue, while the row is still in registers.
            w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I};  y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}   (W{I}: {Units}×{Inputs} row-major, activation fused)");
            w.Line($"{K}.Dense.Forward<{T}, {op}>({ActivationFormulas.OperatorValue(Act, Ctx)}, {Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, {Ctx.OutputOf(I)}, n, {Inputs}, {Units});");
            return;
        }
        w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I}   (W{I}: {Units}×{Inputs} row-major)");
        w.Line($"{K}.Dense.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, n, {Inputs}, {Units});");
        if (Act.IsNonLinear)
        {
            w.Line($"// y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}");
            ActivationFormulas.EmitForward(w, Ctx, Act, Z, Ctx.OutputOf(I), Units, Slope is null ? null : EmitContext.Param(Slope));
        }
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        if (Act.IsNonLinear)
        {
            bool guarded = mayBeFused && OpenIf(w, "!lossFused");
            w.Line($"// dz{I} = dy{I} ⊙ f'(z{I})" + (Act.Kind == ActivationKind.PReLU ? $"; d(slopes{I}) = Σ over z < 0 of dy{I}·z{I}" : ""));
            ActivationFormulas.EmitBackward(w, Ctx, Act, Z, Ctx.OutputOf(I), Ctx.OutputGradientOf(I), DZ, Units,
                Slope is null ? null : EmitContext.Param(Slope), Slope is null ? null : EmitContext.Grad(Slope));
            if (guarded) w.Close();
        }
        w.Line($"// dW{I} = dz{I}ᵀ·x{I};  db{I} = Σ over the batch of dz{I}");
        w.Line($"{K}.Dense.BackwardWeights<{T}>({DZ}, {Ctx.InputOf(I)}, {EmitContext.Grad(Weight)}, {EmitContext.Grad(Bias)}, n, {Inputs}, {Units});");
        bool open = OpenIf(w, Ctx.InputGradientCondition(I));
        w.Line($"// dx{I} = dz{I}·W{I}");
        w.Line($"{K}.Dense.BackwardInput<{T}>({DZ}, {EmitContext.Param(Weight)}, {Ctx.InputGradientOf(I)}, n, {Inputs}, {Units});");
        if (open) w.Close();
    }

    public override void EmitInitialize(SourceWriter w)
    {
        EmitWeightInit(w, Weight, Inputs, Units, Act);
        w.Line($"{EmitContext.Param(Bias)}.Clear();");
        if (Slope is not null) w.Line($"{EmitContext.Param(Slope)}.Fill({Ctx.Literal(0.25)}); // PReLU slopes start at 0.25");
    }
}

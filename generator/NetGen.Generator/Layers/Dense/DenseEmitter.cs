using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Dense: z = x·Wᵀ + b, y = f(z), W [units, inputs] row-major (PyTorch's <c>nn.Linear</c>).</summary>
internal sealed class DenseEmitter : LayerEmitter
{
    private readonly DenseSpec _dense;

    public DenseEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _dense = (DenseSpec)layer.Spec;

    /// <summary>Input features: the whole sample, or the last dimension of a sequence (Dense then applies at every time step).</summary>
    private int Inputs => Layer.Input.Features;
    /// <summary>Rows of the products: <c>n</c>, or <c>n * t</c> on a sequence (batch × time rows, as nn.Linear on the last dimension).</summary>
    private string Rows => EmitContext.RowsOf(Layer.Input);
    private int Units => _dense.Units;
    private ActivationSpec Act => _dense.Activation;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    /// <summary>The pre-activation z has its own buffer unless the activation is Linear (then z is y).</summary>
    private string Z => Act.IsNonLinear ? EmitContext.Rows($"_z{I}", Layer.OutputSize) : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? EmitContext.Rows($"_dz{I}", Layer.OutputSize) : Ctx.OutputGradientOf(I);

    public override string Describe() => $"Dense {Inputs} → {Units}, {Act.Kind}" + (Layer.Input.IsSequence ? $", at each of {Layer.Input.TimeSteps} time steps" : "");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        if (!Act.IsNonLinear) yield break;
        yield return new BufferField($"_z{I}", Layer.OutputSize, T, $"{_dense.Name} pre-activation");
        yield return new BufferField($"_dz{I}", Layer.OutputSize, T, $"d(loss)/d({_dense.Name} pre-activation)", BackwardOnly: true);
    }

    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    public override void EmitForward(SourceWriter w)
    {
        string? op = ActivationFormulas.OperatorType(Act.Kind, T);
        if (Act.IsNonLinear && op is not null)
        {
            // Element-wise activations run in the product's epilogue, while the row is still in registers.
            w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I};  y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}   (W{I}: {Units}×{Inputs} row-major, activation fused)");
            w.Line($"{K}.Dense.Forward<{T}, {op}>({ActivationFormulas.OperatorValue(Act, Ctx)}, {Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, {Ctx.OutputOf(I)}, batch: {Rows}, inputs: {Inputs}, units: {Units});");
            return;
        }
        w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I}   (W{I}: {Units}×{Inputs} row-major)");
        w.Line($"{K}.Dense.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, batch: {Rows}, inputs: {Inputs}, units: {Units});");
        if (Act.IsNonLinear)
        {
            w.Line($"// y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}");
            ActivationFormulas.EmitForward(w, Ctx, Act, Z, Ctx.OutputOf(I), Units, Slope is null ? null : EmitContext.Param(Slope), Rows);
        }
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        if (Act.IsNonLinear)
        {
            bool guarded = OpenIf(w, mayBeFused, "!lossFused");
            w.Line($"// dz{I} = dy{I} ⊙ f'(z{I})" + (Act.Kind == ActivationKind.PReLU ? $"; d(slopes{I}) = Σ over z < 0 of dy{I}·z{I}" : ""));
            ActivationFormulas.EmitBackward(w, Ctx, Act, Z, Ctx.OutputOf(I), Ctx.OutputGradientOf(I), DZ, Units,
                Slope is null ? null : EmitContext.Param(Slope), Slope is null ? null : EmitContext.Grad(Slope), Rows);
            if (guarded) w.Close();
        }
        w.Line($"// dW{I} = dz{I}ᵀ·x{I};  db{I} = Σ over the batch of dz{I}");
        w.Line($"{K}.Dense.BackwardWeights<{T}>({DZ}, {Ctx.InputOf(I)}, {EmitContext.Grad(Weight)}, {EmitContext.Grad(Bias)}, batch: {Rows}, inputs: {Inputs}, units: {Units});");
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I} = dz{I}·W{I}");
        w.Line($"{K}.Dense.BackwardInput<{T}>({DZ}, {EmitContext.Param(Weight)}, {Ctx.InputGradientOf(I)}, batch: {Rows}, inputs: {Inputs}, units: {Units});");
        if (open) w.Close();
    }

}

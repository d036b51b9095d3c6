using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Maxout: z = x·Wᵀ + b over units·pieces rows, y[u] = maxₚ z[u·pieces + p].</summary>
internal sealed class MaxoutEmitter : LayerEmitter
{
    private readonly MaxoutSpec _maxout;

    public MaxoutEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _maxout = (MaxoutSpec)layer.Spec;

    private int Inputs => Layer.InputSize;
    private int Rows => _maxout.Units * _maxout.Pieces;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private string Z => EmitContext.Rows($"_z{I}", Rows);
    private string DZ => EmitContext.Rows($"_dz{I}", Rows);
    private string ArgMax => EmitContext.Rows($"_argmax{I}", _maxout.Units);

    public override string Describe() => $"Maxout {Inputs} → {_maxout.Units} × {_maxout.Pieces} pieces";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_z{I}", Rows, T, $"{_maxout.Name} pieces");
        yield return new BufferField($"_dz{I}", Rows, T, $"d(loss)/d({_maxout.Name} pieces)", BackwardOnly: true);
        yield return new BufferField($"_argmax{I}", _maxout.Units, "int", $"{_maxout.Name}: the winning piece of each unit");
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I}   (W{I}: {Rows}×{Inputs}, row u·{_maxout.Pieces} + p)");
        w.Line($"{K}.Dense.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, batch: n, inputs: {Inputs}, units: {Rows});");
        w.Line($"// y{I}[u] = max over p of z{I}[u·{_maxout.Pieces} + p]");
        w.Line($"{K}.Maxout.Forward<{T}>({Z}, {Ctx.OutputOf(I)}, {ArgMax}, batch: n, units: {_maxout.Units}, pieces: {_maxout.Pieces});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        w.Line($"// dz{I} = dy{I} routed to each unit's winning piece");
        w.Line($"{K}.Maxout.Backward<{T}>({Ctx.OutputGradientOf(I)}, {ArgMax}, {DZ}, batch: n, units: {_maxout.Units}, pieces: {_maxout.Pieces});");
        w.Line($"// dW{I} = dz{I}ᵀ·x{I};  db{I} = Σ over the batch of dz{I}");
        w.Line($"{K}.Dense.BackwardWeights<{T}>({DZ}, {Ctx.InputOf(I)}, {EmitContext.Grad(Weight)}, {EmitContext.Grad(Bias)}, batch: n, inputs: {Inputs}, units: {Rows});");
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I} = dz{I}·W{I}");
        w.Line($"{K}.Dense.BackwardInput<{T}>({DZ}, {EmitContext.Param(Weight)}, {Ctx.InputGradientOf(I)}, batch: n, inputs: {Inputs}, units: {Rows});");
        if (open) w.Close();
    }

}

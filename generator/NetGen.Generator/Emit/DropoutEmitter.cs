using System.Collections.Generic;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Inverted dropout: active only in training passes; the mask keeps 0 or 1/(1 − rate).</summary>
internal sealed class DropoutEmitter : LayerEmitter
{
    private readonly DropoutSpec _dropout;

    public DropoutEmitter(EmitContext ctx, LayerPlan plan) : base(ctx, plan) => _dropout = (DropoutSpec)plan.Spec;

    private string Mask => EmitContext.Rows($"_mask{I}", Plan.OutputSize);

    public override string Describe() => $"Dropout rate {_dropout.Rate} over {Plan.OutputSize}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_mask{I}", Plan.OutputSize, T, $"{_dropout.Name} mask: 0 or 1/(1 − {_dropout.Rate})");
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Open("if (training)");
        w.Line($"// y{I} = x{I} ⊙ mask, each kept with probability {1 - _dropout.Rate} and scaled by 1/(1 − {_dropout.Rate})");
        w.Line($"{K}.Dropout.Forward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputOf(I)}, {Mask}, {_dropout.Rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, ref _random);");
        w.Close();
        w.Open("else");
        w.Line($"// y{I} = x{I}: dropout is off outside training");
        w.Line($"{Ctx.InputOf(I)}.CopyTo({Ctx.OutputOf(I)});");
        w.Close();
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        bool open = OpenIf(w, Ctx.InputGradientCondition(I));
        w.Line($"// dx{I} = dy{I} ⊙ mask");
        w.Line($"{K}.Dropout.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Mask}, {Ctx.InputGradientOf(I)});");
        if (open) w.Close();
    }
}

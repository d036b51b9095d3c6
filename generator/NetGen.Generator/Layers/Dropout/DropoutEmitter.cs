using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Inverted dropout: active only in training passes; the mask keeps 0 or 1/(1 − rate).</summary>
internal sealed class DropoutEmitter : LayerEmitter
{
    private readonly DropoutSpec _dropout;

    public DropoutEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _dropout = (DropoutSpec)layer.Spec;

    private string Mask => EmitContext.Rows($"_mask{I}", Layer.OutputSize);

    public override string Describe() => $"Dropout rate {_dropout.Rate} over {Layer.OutputSize}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_mask{I}", Layer.OutputSize, T, $"{_dropout.Name} mask: 0 or 1/(1 − {_dropout.Rate})");
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
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I} = dy{I} ⊙ mask");
        w.Line($"{K}.Dropout.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Mask}, {Ctx.InputGradientOf(I)});");
        if (open) w.Close();
    }
}

using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>An activation standing alone as a layer: y = f(x).</summary>
internal sealed class ActivationLayerEmitter : LayerEmitter
{
    private readonly ActivationLayerSpec _layer;

    public ActivationLayerEmitter(EmitContext ctx, LayerPlan plan) : base(ctx, plan) => _layer = (ActivationLayerSpec)plan.Spec;

    private ActivationSpec Act => _layer.Activation;
    private int Size => Plan.OutputSize;
    private TensorPlan? Slope => TryTensor("Slope");
    /// <summary>Over [channels, height, width] PReLU learns one slope per channel (as <c>nn.PReLU(channels)</c>).</summary>
    private bool IsImage => Plan.InputShape.Length == 3;

    public override string Describe() => $"Activation {Act.Kind} over {Size}";

    public override ActivationSpec? FinalActivation => Act;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I} = {ActivationFormulas.Formula(Act, $"x{I}")}");
        if (!Act.IsNonLinear) w.Line($"{Ctx.InputOf(I)}.CopyTo({Ctx.OutputOf(I)});");
        else if (Slope is not null && IsImage)
            w.Line($"{K}.ChannelPReLU.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Slope)}, {Ctx.OutputOf(I)}, n, {Plan.InputShape[0]}, {Size / Plan.InputShape[0]}); // one slope per channel");
        else ActivationFormulas.EmitForward(w, Ctx, Act, Ctx.InputOf(I), Ctx.OutputOf(I), Size, Slope is null ? null : EmitContext.Param(Slope));
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        bool fusedGuard = mayBeFused && OpenIf(w, "!lossFused");
        // PReLU's slopes need their gradient whether or not the input gradient is wanted.
        string condition = Slope is null ? Ctx.InputGradientCondition(I) : "true";
        bool open = OpenIf(w, condition);
        w.Line($"// dx{I} = dy{I} ⊙ f'(x{I})");
        if (!Act.IsNonLinear) w.Line($"{Ctx.OutputGradientOf(I)}.CopyTo({Ctx.InputGradientOf(I)});");
        else if (Slope is not null && IsImage)
            w.Line($"{K}.ChannelPReLU.Backward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Slope)}, {Ctx.OutputGradientOf(I)}, {Ctx.InputGradientOf(I)}, {EmitContext.Grad(Slope)}, n, {Plan.InputShape[0]}, {Size / Plan.InputShape[0]});");
        else ActivationFormulas.EmitBackward(w, Ctx, Act, Ctx.InputOf(I), Ctx.OutputOf(I), Ctx.OutputGradientOf(I), Ctx.InputGradientOf(I), Size,
            Slope is null ? null : EmitContext.Param(Slope), Slope is null ? null : EmitContext.Grad(Slope));
        if (open) w.Close();
        if (fusedGuard) w.Close();
    }

    public override void EmitInitialize(SourceWriter w)
    {
        if (Slope is not null) w.Line($"{EmitContext.Param(Slope)}.Fill({Ctx.Literal(0.25)}); // PReLU slopes start at 0.25");
    }
}

using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>An activation standing alone as a layer: y = f(x).</summary>
internal sealed class ActivationLayerEmitter : LayerEmitter
{
    private readonly ActivationLayerSpec _layer;

    public ActivationLayerEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _layer = (ActivationLayerSpec)layer.Spec;

    private ActivationSpec Act => _layer.Activation;
    private int Size => Layer.OutputSize;
    /// <summary>Row-wise functions (Softmax, PReLU) run over rows of the last dimension: one per sample, or one per time step of a sequence.</summary>
    private int Width => Layer.Input.Features;
    private string Rows => EmitContext.RowsOf(Layer.Input);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);
    /// <summary>Over [channels, height, width] PReLU learns one slope per channel (as <c>nn.PReLU(channels)</c>).</summary>
    private bool IsImage => Layer.Input.Kind == ShapeKind.Image;

    public override string Describe() => $"Activation {Act.Kind} over {Size}";


    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I} = {ActivationFormulas.Formula(Act, $"x{I}")}");
        if (!Act.IsNonLinear) w.Line($"{Ctx.InputOf(I)}.CopyTo({Ctx.OutputOf(I)});");
        else if (Slope is not null && IsImage)
            w.Line($"{K}.ChannelPReLU.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Slope)}, {Ctx.OutputOf(I)}, batch: n, channels: {Layer.InputShape[0]}, plane: {Size / Layer.InputShape[0]}); // one slope per channel");
        else ActivationFormulas.EmitForward(w, Ctx, Act, Ctx.InputOf(I), Ctx.OutputOf(I), Width, Slope is null ? null : EmitContext.Param(Slope), Rows);
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        bool fusedGuard = OpenIf(w, mayBeFused, "!lossFused");
        // PReLU's slopes need their gradient whether or not the input gradient is wanted.
        bool open = OpenIf(w, Slope is null && !Layer.InputGradientAlways, "inputGradient");
        w.Line($"// dx{I} = dy{I} ⊙ f'(x{I})");
        if (!Act.IsNonLinear) w.Line($"{Ctx.OutputGradientOf(I)}.CopyTo({Ctx.InputGradientOf(I)});");
        else if (Slope is not null && IsImage)
            w.Line($"{K}.ChannelPReLU.Backward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Slope)}, {Ctx.OutputGradientOf(I)}, {Ctx.InputGradientOf(I)}, {EmitContext.Grad(Slope)}, batch: n, channels: {Layer.InputShape[0]}, plane: {Size / Layer.InputShape[0]});");
        else ActivationFormulas.EmitBackward(w, Ctx, Act, Ctx.InputOf(I), Ctx.OutputOf(I), Ctx.OutputGradientOf(I), Ctx.InputGradientOf(I), Width,
            Slope is null ? null : EmitContext.Param(Slope), Slope is null ? null : EmitContext.Grad(Slope), Rows);
        if (open) w.Close();
        if (fusedGuard) w.Close();
    }

}

using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The activation after an image layer's pre-activation z (Conv2D, ConvTranspose2D): element-wise, or PReLU with
/// one learned slope per filter. Written once for the kinds that share it.
/// </summary>
internal static class ChannelActivation
{
    /// <summary>y = f(z) (PReLU: one slope per filter over planes of <paramref name="plane"/> values).</summary>
    public static void EmitForward(SourceWriter w, EmitContext ctx, int index, ActivationSpec act, TensorModel? slope, string z, string y, int size, int filters, int plane)
    {
        string k = EmitContext.Kernels, t = ctx.T;
        w.Line($"// y{index} = {ActivationFormulas.Formula(act, $"z{index}")}" + (slope is null ? "" : " (one slope per filter)"));
        if (slope is not null)
            w.Line($"{k}.ChannelPReLU.Forward<{t}>({z}, {EmitContext.Param(slope)}, {y}, batch: n, channels: {filters}, plane: {plane});");
        else
            ActivationFormulas.EmitForward(w, ctx, act, z, y, size, null);
    }

    /// <summary>dz = dy ⊙ f'(z), skipped when the loss already wrote dz (<c>lossFused</c>); PReLU also writes its slopes' gradient.</summary>
    public static void EmitBackward(SourceWriter w, EmitContext ctx, int index, ActivationSpec act, TensorModel? slope, string z, string y, string dy, string dz, int size, int filters, int plane, bool mayBeFused)
    {
        string k = EmitContext.Kernels, t = ctx.T;
        bool guarded = mayBeFused;
        if (guarded) w.Open("if (!lossFused)");
        w.Line($"// dz{index} = dy{index} ⊙ f'(z{index})" + (slope is null ? "" : $"; d(slopes{index})[f] = Σ over z < 0 in filter f of dy{index}·z{index}"));
        if (slope is not null)
            w.Line($"{k}.ChannelPReLU.Backward<{t}>({z}, {EmitContext.Param(slope)}, {dy}, {dz}, {EmitContext.Grad(slope)}, batch: n, channels: {filters}, plane: {plane});");
        else
            ActivationFormulas.EmitBackward(w, ctx, act, z, y, dy, dz, size, null, null);
        if (guarded) w.Close();
    }
}

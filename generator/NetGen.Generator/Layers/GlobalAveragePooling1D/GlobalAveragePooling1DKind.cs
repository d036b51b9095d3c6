using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[GlobalAveragePooling1D]</c>.</summary>
public sealed record GlobalAveragePooling1DSpec(string Name) : LayerSpec(Name);

/// <summary>The mean over time: [t, d] → [d], y[f] = (1/t)·Σₜ x[t, f] (Keras's <c>GlobalAveragePooling1D</c>).</summary>
internal sealed class GlobalAveragePooling1DKind : LayerKind<GlobalAveragePooling1DSpec>
{
    public override string Name => "GlobalAveragePooling1D";

    public override string Example => "[Input(5, 3)] [Dense(7, Activation.Tanh)] [GlobalAveragePooling1D] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a) => new GlobalAveragePooling1DSpec(a.Name);

    protected override TensorShape? OutputShape(GlobalAveragePooling1DSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.IsSequence) return TensorShape.Vector(input.Features);
        reason = "GlobalAveragePooling1D averages a sequence [timeSteps, features] over time; its input has no time axis";
        return null;
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new GlobalAveragePooling1DEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuGlobalAveragePooling1DEmitter(context, layer);
}

/// <summary>y = mean over time of x; dx[t] = dy/t at every step.</summary>
internal sealed class GlobalAveragePooling1DEmitter : LayerEmitter
{
    public GlobalAveragePooling1DEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) { }

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;

    public override string Describe() => $"GlobalAveragePooling1D over {Steps} time steps of {Width}";

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[f] = (1/{Steps})·Σₜ x{I}[t, f]");
        w.Line($"{K}.GlobalAveragePooling1D.Forward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputOf(I)}, batch: n, time: {Steps}, width: {Width});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I}[t, f] = dy{I}[f]/{Steps} at every time step");
        w.Line($"{K}.GlobalAveragePooling1D.Backward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputGradientOf(I)}, batch: n, time: {Steps}, width: {Width});");
        if (open) w.Close();
    }
}

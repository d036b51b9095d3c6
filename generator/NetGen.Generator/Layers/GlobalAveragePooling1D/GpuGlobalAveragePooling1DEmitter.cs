using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// GlobalAveragePooling1D on the GPU: y[b, f] = (Σₜ x[b, t, f])·(1/t), one thread per output value, steps in
/// order as the CPU kernel; dx[b, t, f] = dy[b, f]·(1/t), one thread per input value.
/// </summary>
internal sealed class GpuGlobalAveragePooling1DEmitter : GpuLayerEmitter
{
    public GpuGlobalAveragePooling1DEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) { }

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[f] = (Σₜ x{I}[t, f])·(1/{Steps})");
        Ctx.Launch(w, new ElementKernel($"{L}AverageOverTime", "y[b, f] = (Σₜ x[b, t, f])·(1/t), steps in order.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("y", Ctx.OutputOf(I)) },
            $"n * {Width}",
            ew =>
            {
                ew.Line($"int b = i / {Width}, f = i % {Width};");
                ew.Line($"float sum = x[b * {Steps * Width} + f];");
                ew.Line($"for (int t = 1; t < {Steps}; t++) sum += x[(b * {Steps} + t) * {Width} + f];");
                ew.Line($"y[i] = sum * (1f / {Steps}f);");
            }));
    }

    public override void EmitBackward(SourceWriter w)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I}[t, f] = dy{I}[f]·(1/{Steps}) at every time step");
        Ctx.Launch(w, new ElementKernel($"{L}SpreadOverTime", "dx[b, t, f] = dy[b, f]·(1/t).",
            new[] { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Layer.InputSize}",
            ew => ew.Line($"dx[i] = dy[(i / {Layer.InputSize}) * {Width} + i % {Width}] * (1f / {Steps}f);")));
    }
}

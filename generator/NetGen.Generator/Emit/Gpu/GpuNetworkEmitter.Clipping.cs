using System.Collections.Generic;

namespace NetGen.Generator.Emit.Gpu;

// Gradient clipping by global norm (ClipNorm, DESIGN.md §6) on the device, before the optimizer update, as the CPU
// class's ApplyUpdate: ‖g‖₂ over all gradients together by one group in a fixed order (no atomics), then
// g ← g·min(1, c/(‖g‖₂ + 1e-6)) element by element. Two launches; the gradients stay clipped, as the CPU's.
internal sealed partial class GpuNetworkEmitter
{
    private bool Clips => Training.ClipNorm > 0;

    /// <summary>The device scalars of the clipping: ‖g‖₂ and the factor c/(‖g‖₂ + 1e-6).</summary>
    private IEnumerable<DeviceBuffer> ClippingBuffers()
    {
        if (Clips) yield return new DeviceBuffer("_clip", 2, "float", "ClipNorm: ‖g‖₂ and c/(‖g‖₂ + 1e-6)", PerSample: false);
    }

    /// <summary>Writes the clipping launches (nothing without ClipNorm); returns how many.</summary>
    private int EmitClipping(SourceWriter w)
    {
        if (!Clips) return 0;
        string maxNorm = _ctx.F(Training.ClipNorm);
        w.Line($"// ClipNorm {Training.ClipNorm}: ‖g‖₂ over every gradient (one group, a fixed order), then g ← g·min(1, {Training.ClipNorm}/(‖g‖₂ + 1e-6)) (clip_grad_norm_)");
        _ctx.Launch(w, new GroupReductionKernel("ClipNorm", "global::NetGen.Gpu.DeviceKernels.ClipNorm", $"{GpuContext.Gradients}, _clip.View, ParameterCount, {maxNorm}"));
        _ctx.Launch(w, new ElementKernel("ClipGradients", "g ← g·c/(‖g‖₂ + 1e-6) when that factor is below 1 (a NaN norm propagates, as in PyTorch).",
            new[] { KernelParam.Floats("g", GpuContext.Gradients), KernelParam.Floats("clip", "_clip.View") }, "ParameterCount",
            k =>
            {
                k.Line("float factor = clip[1];");
                k.Line("if (!(factor >= 1f)) g[i] *= factor;");
            }) { TakesBatch = false });
        return 2;
    }
}

/// <summary>
/// A one-group reduction of the runtime's (<c>DeviceKernels</c>, taking (values, result, count, float)), launched with
/// the runner's reduction group: a delegate field, its loader and its launch; the method itself is the runtime's.
/// </summary>
internal sealed class GroupReductionKernel(string name, string method, string arguments)
    : GpuKernel(name, "", System.Array.Empty<KernelParam>())
{
    private const string Types = "global::ILGPU.ArrayView<float>, global::ILGPU.ArrayView<float>, int, float";

    public override void EmitMethods(SourceWriter w) { }

    public override void EmitFields(SourceWriter w) => w.Line($"private readonly global::System.Action<global::ILGPU.KernelConfig, {Types}> _{Name};");

    public override void EmitLoad(SourceWriter w) => w.Line($"_{Name} = accelerator.LoadStreamKernel<{Types}>({method});");

    public override void EmitLaunch(SourceWriter w)
        => w.Line($"_{Name}(new global::ILGPU.KernelConfig(new global::ILGPU.Index1D(1), new global::ILGPU.Index1D(_reductionGroup)), {arguments});");
}

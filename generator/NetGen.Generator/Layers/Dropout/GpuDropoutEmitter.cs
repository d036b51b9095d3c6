using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Inverted dropout on the GPU. The mask is counter-based: element i of a call uses draw i of the
/// runtime's SplitMix64 from the runner's state, i.e. mix(state + (i + 1)·γ), so every thread computes
/// its own draw and the masks are the very ones the CPU class draws in sequence.
/// </summary>
internal sealed class GpuDropoutEmitter : GpuLayerEmitter
{
    private readonly DropoutSpec _dropout;

    public GpuDropoutEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _dropout = (DropoutSpec)layer.Spec;

    private int Size => Layer.OutputSize;

    /// <summary>The copy launched outside training.</summary>
    public override int LaunchesNotInTrainingStep => 1;

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        yield return new DeviceBuffer($"_mask{I}", Size, "float", $"{_dropout.Name} mask: 0 or 1/(1 − {_dropout.Rate})");
    }

    public override void EmitForward(SourceWriter w)
    {
        // NextDouble() < rate  ⇔  (bits >> 11)·2⁻⁵³ < rate  ⇔  (bits >> 11) < ⌈rate·2⁵³⌉: an integer test, no doubles on the device.
        ulong threshold = (ulong)Math.Ceiling(_dropout.Rate * 9007199254740992.0);
        w.Open("if (training)");
        w.Line($"// y{I} = x{I} ⊙ mask, each kept with probability {1 - _dropout.Rate} and scaled by 1/(1 − {_dropout.Rate}); the CPU class's draws, in parallel");
        Ctx.Launch(w, new ElementKernel($"{L}Dropout", "mask = draw i of SplitMix64(state) < rate ? 0 : 1/(1 − rate); y = x ⊙ mask.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("mask", $"_mask{I}.View"), new KernelParam("ulong", "state", "_randomState") },
            $"n * {Size}",
            ew =>
            {
                ew.Line("ulong bits = new Kernels.SplitMix64(state + (ulong)i * Golden).NextUInt64();");
                ew.Line($"float m = (bits >> 11) < {threshold.ToString(CultureInfo.InvariantCulture)}UL ? 0f : {Ctx.F(1.0 / (1.0 - _dropout.Rate))};");
                ew.Line("mask[i] = m;");
                ew.Line("y[i] = x[i] * m;");
            }));
        w.Line($"_randomState = unchecked(_randomState + (ulong)(n * {Size}) * Golden);");
        w.Close();
        w.Open("else");
        w.Line($"// y{I} = x{I}: dropout is off outside training");
        Ctx.Launch(w, Copy($"{L}Copy", Ctx.InputOf(I), Ctx.OutputOf(I), Size));
        w.Close();
    }

    public override void EmitBackward(SourceWriter w)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = dy{I} ⊙ mask");
        Ctx.Launch(w, new ElementKernel($"{L}DropoutBackward", "dx = dy ⊙ mask.",
            new[] { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("mask", $"_mask{I}.View"), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Size}", ew => ew.Line("dx[i] = dy[i] * mask[i];")));
    }

    internal static ElementKernel Copy(string name, string from, string to, int size)
        => new(name, "y = x.", new[] { KernelParam.Floats("x", from), KernelParam.Floats("y", to) }, $"n * {size}", w => w.Line("y[i] = x[i];"));
}

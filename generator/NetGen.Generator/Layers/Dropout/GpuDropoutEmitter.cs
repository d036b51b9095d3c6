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
        string rate = _dropout.Rate.ToString("R", CultureInfo.InvariantCulture);
        w.Open("if (training)");
        w.Line($"// y{I} = x{I} ⊙ mask, each kept with probability {1 - _dropout.Rate} and scaled by 1/(1 − {_dropout.Rate}); the CPU class's draws, in parallel");
        Ctx.Launch(w, new ElementKernel($"{L}Dropout", "mask = draw i of SplitMix64(state) < rate ? 0 : 1/(1 − rate); y = x ⊙ mask.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("mask", $"_mask{I}.View"), new KernelParam("ulong", "state", "_randomState"),
                    new KernelParam("ulong", "threshold", $"Kernels.DropoutMask.Threshold({rate})"), new KernelParam("float", "keep", $"Kernels.DropoutMask.KeepScale<float>({rate})") },
            $"n * {Size}",
            ew =>
            {
                ew.Line("// the CPU kernel's mask: draw i of the stream, dropped when its top 53 bits fall below ⌈rate·2⁵³⌉ (threshold, computed on the host)");
                ew.Line("float m = Kernels.DropoutMask.Drops(Kernels.DropoutMask.Draw(state, (ulong)i), threshold) ? 0f : keep;");
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

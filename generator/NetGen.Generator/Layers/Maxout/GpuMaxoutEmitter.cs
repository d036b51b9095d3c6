using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Maxout on the GPU: the product z = x·Wᵀ + b over units·pieces columns, then a max over each unit's pieces.</summary>
internal sealed class GpuMaxoutEmitter : GpuLayerEmitter
{
    private readonly MaxoutSpec _maxout;

    public GpuMaxoutEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _maxout = (MaxoutSpec)layer.Spec;

    private int Inputs => Layer.InputSize;
    private int Units => _maxout.Units;
    private int Pieces => _maxout.Pieces;
    private int Rows => Units * Pieces;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);

    public override bool FusesProducerDerivative => true;

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        yield return new DeviceBuffer($"_z{I}", Rows, "float", $"{_maxout.Name} pieces");
        yield return new DeviceBuffer($"_dz{I}", Rows, "float", $"d(loss)/d({_maxout.Name} pieces)");
        yield return new DeviceBuffer($"_argmax{I}", Units, "int", $"{_maxout.Name}: the winning piece of each unit");
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I}   (W{I}: {Rows}×{Inputs}, row u·{Pieces} + p)");
        Ctx.Launch(w, LinearForward($"z = x·Wᵀ + b ({Rows}×{Inputs}).", Rows, Weight, Bias, new[] { KernelParam.Floats("z", $"_z{I}.View") }, ew => ew.Line("z[o] = v;")));
        w.Line($"// y{I}[u] = max over p of z{I}[u·{Pieces} + p]; the first maximum wins");
        Ctx.Launch(w, new ElementKernel($"{L}Max", "y[u] = max over the unit's pieces; argmax keeps the winner.",
            new[] { KernelParam.Floats("z", $"_z{I}.View"), KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Ints("argmax", $"_argmax{I}.View") },
            $"n * {Units}",
            ew =>
            {
                ew.Line($"int o = i * {Pieces}, best = 0;");
                ew.Line("float max = z[o];");
                ew.Line($"for (int p = 1; p < {Pieces}; p++) if (z[o + p] > max) {{ max = z[o + p]; best = p; }}");
                ew.Line("y[i] = max;");
                ew.Line("argmax[i] = best;");
            }));
    }

    public override void EmitBackward(SourceWriter w)
    {
        w.Line($"// dz{I} = dy{I} routed to each unit's winning piece, 0 elsewhere");
        Ctx.Launch(w, new ElementKernel($"{L}Route", "dz[u·pieces + p] = dy[u] where p won, else 0.",
            new[] { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Ints("argmax", $"_argmax{I}.View"), KernelParam.Floats("dz", $"_dz{I}.View") },
            $"n * {Rows}",
            ew =>
            {
                ew.Line($"int unit = i / {Pieces};");
                ew.Line($"dz[i] = argmax[unit] == i % {Pieces} ? dy[unit] : 0f;");
            }));
        EmitWeightGradient(w, $"_dz{I}.View", Rows, Weight, Bias);
        EmitInputGradient(w, $"_dz{I}.View", Rows, Weight);
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Lstm (<c>nn.LSTM</c>, gates i, f, g, o) on the GPU: the step kernel keeps the activations in place of the input
/// products and c_t in a cache; backward carries d(loss)/d(c) per unit from step to step (f_{t+1} ⊙ dc_{t+1}),
/// the same gate gradients for the input and hidden sides.
/// </summary>
internal sealed class GpuLstmEmitter(GpuContext ctx, LayerModel layer) : GpuRecurrentEmitter(ctx, layer, RecurrentCell.Lstm)
{
    private string Cells => $"_c{I}.View";
    private string CarriedCellGradient => $"_dcNext{I}.View";

    protected override IEnumerable<DeviceBuffer> CellBuffers()
    {
        yield return new DeviceBuffer($"_c{I}", Time * H, "float", $"{Spec.Name}: c_t of every step");
        yield return new DeviceBuffer($"_dcNext{I}", H, "float", $"{Spec.Name}: d(loss)/d(c_t)·f_t carried to the step before");
    }

    protected override IEnumerable<KernelParam> ForwardParams() => new[] { KernelParam.Floats("cells", Cells) };

    protected override IEnumerable<KernelParam> BackwardParams() => new[] { KernelParam.Floats("cells", Cells), KernelParam.Floats("dcNext", CarriedCellGradient) };

    protected override void EmitForwardCell(SourceWriter w)
    {
        w.Line("// the four hidden products W_hh·h_{t−1} for unit j (gates i, f, g, o)");
        EmitHiddenProducts(w);
        w.Line($"int o = row * {GH} + j;");
        w.Line("// a = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh; i, f, o = σ(a), g = tanh(a), written over the input products");
        w.Line($"float ig = {Sigmoid($"gates[o] + s0 + p[{BiasHh.Offset} + j]")};");
        w.Line($"float fg = {Sigmoid($"gates[o + {H}] + s1 + p[{BiasHh.Offset + H} + j]")};");
        w.Line($"float gg = {Tanh($"gates[o + {2 * H}] + s2 + p[{BiasHh.Offset + 2 * H} + j]")};");
        w.Line($"float og = {Sigmoid($"gates[o + {3 * H}] + s3 + p[{BiasHh.Offset + 3 * H} + j]")};");
        w.Line($"gates[o] = ig; gates[o + {H}] = fg; gates[o + {2 * H}] = gg; gates[o + {3 * H}] = og;");
        w.Line("// c_t = f ⊙ c_{t−1} + i ⊙ g (c_{−1} = 0);  h_t = o ⊙ tanh(c_t)");
        w.Line("float c = ig * gg;");
        w.Line($"if (t > 0) c = fg * cells[(row - 1) * {H} + j] + c;");
        w.Line($"cells[row * {H} + j] = c;");
        w.Line($"float hNew = og * {Tanh("c")};");
    }

    protected override void EmitBackwardCell(SourceWriter w)
    {
        w.Line($"int o = row * {GH} + j;");
        w.Line($"float ig = gates[o], fg = gates[o + {H}], gg = gates[o + {2 * H}], og = gates[o + {3 * H}];");
        w.Line($"float tc = {Tanh($"cells[row * {H} + j]")};");
        w.Line("// d(loss)/d(c_t) = (from step t+1: dc_{t+1} ⊙ f_{t+1}) + dh·o·(1 − tanh²c_t); carry dc_t ⊙ f_t back");
        w.Line($"float dc = (t < {Time - 1} ? dcNext[b * {H} + j] : 0f) + dh * og * (1f - tc * tc);");
        w.Line($"dcNext[b * {H} + j] = dc * fg;");
        w.Line("// the pre-activation gradients: σ' = s(1 − s), tanh' = 1 − g²");
        w.Line($"float cp = t > 0 ? cells[(row - 1) * {H} + j] : 0f;");
        w.Line("da[o] = dc * gg * ig * (1f - ig);");
        w.Line($"da[o + {H}] = dc * cp * fg * (1f - fg);");
        w.Line($"da[o + {2 * H}] = dc * ig * (1f - gg * gg);");
        w.Line($"da[o + {3 * H}] = dh * tc * og * (1f - og);");
    }
}

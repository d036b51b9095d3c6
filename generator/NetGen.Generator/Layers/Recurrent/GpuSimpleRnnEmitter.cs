using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// SimpleRnn (<c>nn.RNN</c>, tanh) on the GPU: h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh), kept in place of
/// the input products (G = 1); backward da_t = dh_t ⊙ (1 − h_t²), the same for the input and hidden sides.
/// </summary>
internal sealed class GpuSimpleRnnEmitter(GpuContext ctx, LayerModel layer) : GpuRecurrentEmitter(ctx, layer, RecurrentCell.SimpleRnn)
{
    protected override bool StatesInGates => true;

    protected override void EmitForwardCell(SourceWriter w)
    {
        w.Line("// the hidden product W_hh·h_{t−1} for unit j");
        EmitHiddenProducts(w);
        w.Line($"// h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{{t−1}} + b_hh), written over the input product");
        w.Line($"float hNew = {Tanh($"gates[row * {H} + j] + s0 + p[{BiasHh.Offset} + j]")};");
        w.Line($"gates[row * {H} + j] = hNew;");
    }

    protected override void EmitBackwardCell(SourceWriter w)
    {
        w.Line("// d(loss)/d(pre-activation) = dh ⊙ (1 − h_t²)");
        w.Line($"float hv = h[row * {H} + j];");
        w.Line($"da[row * {H} + j] = dh * (1f - hv * hv);");
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Gru (<c>nn.GRU</c>, gates r, z, n) on the GPU: the step kernel keeps r, z, n in place of the input products and
/// gh_n = W_hn·h_{t−1} + b_hn in a cache; backward writes the input-side and the hidden-side gate gradients (they
/// differ in the n block, r ⊙ da_n) and carries z_{t+1} ⊙ dh_{t+1} to h_t per unit.
/// </summary>
internal sealed class GpuGruEmitter(GpuContext ctx, LayerModel layer) : GpuRecurrentEmitter(ctx, layer, RecurrentCell.Gru)
{
    private string HiddenCandidates => $"_hn{I}.View";
    private string CarriedStateGradient => $"_dhNext{I}.View";
    protected override string HiddenGateGradients => $"_dah{I}.View";

    protected override IEnumerable<DeviceBuffer> CellBuffers()
    {
        yield return new DeviceBuffer($"_hn{I}", Time * H, "float", $"{Spec.Name}: W_hn·h_{{t−1}} + b_hn of every step");
        yield return new DeviceBuffer($"_dah{I}", Time * GH, "float", $"{Spec.Name}: d(loss)/d(hidden-side pre-activations) of every step");
        yield return new DeviceBuffer($"_dhNext{I}", H, "float", $"{Spec.Name}: d(loss)/d(h_t) kept for the step before");
    }

    protected override IEnumerable<KernelParam> ForwardParams() => new[] { KernelParam.Floats("hiddenCandidates", HiddenCandidates) };

    protected override IEnumerable<KernelParam> BackwardParams() => new[] { KernelParam.Floats("hiddenCandidates", HiddenCandidates), KernelParam.Floats("dhNext", CarriedStateGradient) };

    protected override void EmitForwardCell(SourceWriter w)
    {
        w.Line("// the three hidden products W_hh·h_{t−1} for unit j (gates r, z, n), plus b_hh");
        EmitHiddenProducts(w);
        w.Line($"int o = row * {GH} + j;");
        w.Line($"float hr = s0 + p[{BiasHh.Offset} + j], hz = s1 + p[{BiasHh.Offset + H} + j], hn = s2 + p[{BiasHh.Offset + 2 * H} + j];");
        w.Line("// r, z = σ(gx + gh);  n = tanh(gx_n + r ⊙ gh_n);  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}");
        w.Line($"float r = {Sigmoid("gates[o] + hr")}, z = {Sigmoid($"gates[o + {H}] + hz")};");
        w.Line($"float nv = {Tanh($"gates[o + {2 * H}] + r * hn")};");
        w.Line($"float hPrevious = t > 0 ? h[(row - 1) * {H} + j] : 0f;");
        w.Line($"gates[o] = r; gates[o + {H}] = z; gates[o + {2 * H}] = nv;");
        w.Line($"hiddenCandidates[row * {H} + j] = hn;");
        w.Line("float hNew = (1f - z) * nv + z * hPrevious;");
    }

    protected override void EmitCarriedGradient(SourceWriter w)
    {
        w.Line("// and directly through h_{t+1} = … + z_{t+1} ⊙ h_t");
        w.Line($"if (t < {Time - 1}) dh += dhNext[b * {H} + j] * gates[(row + 1) * {GH} + {H} + j];");
    }

    protected override void EmitBackwardCell(SourceWriter w)
    {
        w.Line($"dhNext[b * {H} + j] = dh;");
        w.Line($"int o = row * {GH} + j;");
        w.Line($"float r = gates[o], z = gates[o + {H}], nv = gates[o + {2 * H}], hn = hiddenCandidates[row * {H} + j];");
        w.Line($"float hPrevious = t > 0 ? h[(row - 1) * {H} + j] : 0f;");
        w.Line("// da_n = dh·(1 − z)·(1 − n²); da_z = dh·(h_{t−1} − n)·z(1 − z); da_r = da_n·gh_n·r(1 − r)");
        w.Line("float dan = dh * (1f - z) * (1f - nv * nv);");
        w.Line("float daz = dh * (hPrevious - nv) * z * (1f - z);");
        w.Line("float dar = dan * hn * r * (1f - r);");
        w.Line($"da[o] = dar; da[o + {H}] = daz; da[o + {2 * H}] = dan;");
        w.Line("// the hidden side: gh_n enters as r ⊙ gh_n");
        w.Line($"dah[o] = dar; dah[o + {H}] = daz; dah[o + {2 * H}] = dan * r;");
    }
}

using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// MultiHeadAttention on the GPU (attention dropout with the CPU class's masks): the q/k/v product over batch × time rows, one thread
/// per (sample, head, query row) for the softmax rows and the context, the out_proj product; backward the CPU's
/// hand-derived pass (<see cref="GpuAttention"/>).
/// </summary>
internal sealed class GpuMultiHeadAttentionEmitter : GpuLayerEmitter
{
    private readonly MultiHeadAttentionSpec _spec;
    private readonly GpuAttention _attention;

    public GpuMultiHeadAttentionEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer)
    {
        _spec = (MultiHeadAttentionSpec)layer.Spec;
        int Offset(string field) => layer.Tensors.First(t => t.Field == $"L{layer.Index}{field}").Offset;
        _attention = new GpuAttention(ctx, L, I, layer.Input.TimeSteps, layer.Input.Features, _spec.Heads, _spec.Causal,
            Offset("InProjWeight"), Offset("InProjBias"), Offset("OutProjWeight"), Offset("OutProjBias"), _spec.Dropout);
    }

    public override IEnumerable<DeviceBuffer> Buffers() => base.Buffers().Concat(_attention.Buffers(_spec.Name));

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I} = MultiHeadAttention(x{I}): {_spec.Heads} heads of {_attention.Width / _spec.Heads} over {_attention.Steps} time steps{(_spec.Causal ? ", causal" : "")}{(_spec.Dropout > 0 ? $", attention dropout {_spec.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} in training" : "")}");
        _attention.EmitForward(w, Ctx.InputOf(I), Ctx.OutputOf(I), residual: null);
    }

    public override void EmitBackward(SourceWriter w)
        => _attention.EmitBackward(w, Ctx.OutputGradientOf(I), Ctx.InputOf(I), Ctx.NeedsInputGradient(I) ? Ctx.InputGradientOf(I) : null);
}

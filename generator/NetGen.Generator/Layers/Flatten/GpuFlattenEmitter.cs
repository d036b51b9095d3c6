using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;

using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Flatten on the GPU: NCHW is already row-major per sample, so nothing is launched.</summary>
internal sealed class GpuFlattenEmitter : GpuLayerEmitter
{
    public GpuFlattenEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) { }

    public override IEnumerable<DeviceBuffer> Buffers() { yield break; }

    public override void EmitForward(SourceWriter w) => w.Line("// Flatten: the next layer reads this layer's input as it is");

    public override void EmitBackward(SourceWriter w) => w.Line("// Flatten: the gradient passes through unchanged");
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;

using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Flatten: NCHW is already row-major per sample, so no data moves in either direction.</summary>
internal sealed class FlattenEmitter : LayerEmitter
{
    public FlattenEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) { }

    public override string Describe() => $"Flatten ({string.Join(", ", Layer.InputShape)}) → {Layer.OutputSize}";

    public override IEnumerable<BufferField> Buffers() { yield break; }

    public override void EmitForward(SourceWriter w) => w.Line("// Flatten: the next layer reads this layer's input as it is");

    public override void EmitBackward(SourceWriter w, bool mayBeFused) => w.Line("// Flatten: the gradient passes through unchanged");
}

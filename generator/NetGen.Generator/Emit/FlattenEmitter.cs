using System.Collections.Generic;
using NetGen.Generator.Analysis;

namespace NetGen.Generator.Emit;

/// <summary>Flatten: NCHW is already row-major per sample, so no data moves in either direction.</summary>
internal sealed class FlattenEmitter : LayerEmitter
{
    public FlattenEmitter(EmitContext ctx, LayerPlan plan) : base(ctx, plan) { }

    public override string Describe() => $"Flatten ({string.Join(", ", Plan.InputShape)}) → {Plan.OutputSize}";

    public override IEnumerable<BufferField> Buffers() { yield break; }

    public override void EmitForward(SourceWriter w) => w.Line("// Flatten: the next layer reads this layer's input as it is");

    public override void EmitBackward(SourceWriter w, bool mayBeFused) => w.Line("// Flatten: the gradient passes through unchanged");
}

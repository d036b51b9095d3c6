using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Flatten]</c>.</summary>
public sealed record FlattenSpec(string Name) : LayerSpec(Name);

/// <summary>Flatten: an image or a sequence is already row-major per sample, so no data moves; the shape becomes a vector.</summary>
internal sealed class FlattenKind : LayerKind<FlattenSpec>
{
    public override string Name => "Flatten";

    public override string Example => "[Input(2, 3, 3)] [Flatten] [Dense(2)]";

    public override bool PassesInputThrough => true;

    public override LayerSpec? Read(LayerAttribute a) => new FlattenSpec(a.Name);

    protected override TensorShape? OutputShape(FlattenSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        return TensorShape.Vector(input.Size);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new FlattenEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuFlattenEmitter(context, layer);
}

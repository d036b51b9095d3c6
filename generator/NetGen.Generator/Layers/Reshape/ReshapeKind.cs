using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Reshape(channels, height, width)]</c>.</summary>
public sealed record ReshapeSpec(string Name, int Channels, int Height, int Width) : LayerSpec(Name);

/// <summary>Reshape: a vector (or an image of the same size) read as a [channels, height, width] image; no data moves (a view).</summary>
internal sealed class ReshapeKind : LayerKind<ReshapeSpec>
{
    public override string Name => "Reshape";

    public override string Example => "[Input(12)] [Reshape(3, 2, 2)] [Conv2D(1, 1)] [Flatten] [Dense(1)]";

    public override bool PassesInputThrough => true;

    public override LayerSpec? Read(LayerAttribute a)
    {
        int channels = a.Int(0), height = a.Int(1), width = a.Int(2);
        a.Positive(channels, $"The channels of {a.What}");
        a.Positive(height, $"The height of {a.What}");
        a.Positive(width, $"The width of {a.What}");
        return new ReshapeSpec(a.Name, channels, height, width);
    }

    protected override TensorShape? OutputShape(ReshapeSpec s, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind is ShapeKind.Sequence or ShapeKind.Tokens)
        { reason = "Reshape takes a vector (or an image), not a sequence; put [Flatten] before it"; return null; }
        long size = (long)s.Channels * s.Height * s.Width;
        if (size != input.Size)
        { reason = $"Reshape({s.Channels}, {s.Height}, {s.Width}) holds {size} values, but its input {input.DimsText} has {input.Size}; the two sizes must be equal"; return null; }
        return TensorShape.Image(s.Channels, s.Height, s.Width);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new ReshapeEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuReshapeEmitter(context, layer);
}

/// <summary>Reshape: NCHW is row-major per sample, so the next layer reads this layer's input as it is, in both directions.</summary>
internal sealed class ReshapeEmitter : LayerEmitter
{
    public ReshapeEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) { }

    public override string Describe() => $"Reshape ({string.Join(", ", Layer.InputShape)}) → ({string.Join(", ", Layer.OutputShape)})";

    public override IEnumerable<BufferField> Buffers() { yield break; }

    public override void EmitForward(SourceWriter w) => w.Line("// Reshape: the next layer reads this layer's input as it is");

    public override void EmitBackward(SourceWriter w, bool mayBeFused) => w.Line("// Reshape: the gradient passes through unchanged");
}

/// <summary>Reshape on the GPU: NCHW is row-major per sample, so nothing is launched in either direction.</summary>
internal sealed class GpuReshapeEmitter : GpuLayerEmitter
{
    public GpuReshapeEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) { }

    public override IEnumerable<DeviceBuffer> Buffers() { yield break; }

    public override void EmitForward(SourceWriter w) => w.Line("// Reshape: the next layer reads this layer's input as it is");

    public override void EmitBackward(SourceWriter w) => w.Line("// Reshape: the gradient passes through unchanged");
}

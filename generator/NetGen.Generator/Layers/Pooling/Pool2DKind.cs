using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[MaxPool2D(size)]</c> or <c>[AvgPool2D(size)]</c>.</summary>
public sealed record Pool2DSpec(string Name, bool IsMax, int Size, int Stride) : LayerSpec(Name);

/// <summary>MaxPool2D and AvgPool2D over NCHW images: square windows, no padding (<c>nn.MaxPool2d</c>, <c>nn.AvgPool2d</c>).</summary>
internal sealed class Pool2DKind : LayerKind<Pool2DSpec>
{
    public override string Name => "MaxPool2D";

    public override IReadOnlyList<string> AttributeNames => new[] { "MaxPool2D", "AvgPool2D" };

    public override string Example => "[Input(2, 6, 6)] [MaxPool2D(2)] [AvgPool2D(3)] [Flatten] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int size = a.Int(0);
        a.Positive(size, $"The window size of {a.What}");
        int stride = a.NamedInt("Stride") ?? 0;
        if (a.Has("Stride")) a.Positive(stride, $"The stride of {a.What}");
        return new Pool2DSpec(a.Name, a.AttributeName == "MaxPool2D", size, stride == 0 ? size : stride);
    }

    protected override TensorShape? OutputShape(Pool2DSpec p, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind != ShapeKind.Image) { reason = "pooling takes a [channels, height, width] input"; return null; }
        int height = input.Dims[1], width = input.Dims[2];
        if (p.Size > height || p.Size > width) { reason = $"the {p.Size}×{p.Size} window is larger than the input {height}×{width}"; return null; }
        // PyTorch's size (no padding, floor mode): ⌊(n − k)/s⌋ + 1; rows and columns past the last whole window are not read.
        return TensorShape.Image(input.Dims[0], (height - p.Size) / p.Stride + 1, (width - p.Size) / p.Stride + 1);
    }

    protected override string DisplayName(Pool2DSpec spec) => spec.IsMax ? "MaxPool2D" : "AvgPool2D";

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new Pool2DEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuPool2DEmitter(context, layer);
}

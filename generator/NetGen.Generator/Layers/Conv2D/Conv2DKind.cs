using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Conv2D(filters, kernelSize, ...)]</c>.</summary>
public sealed record Conv2DSpec(string Name, int Filters, int KernelSize, int Stride, int Padding, ActivationSpec Activation) : LayerSpec(Name);

/// <summary>Conv2D over NCHW images, W [filters, channels, k, k] (PyTorch's <c>nn.Conv2d</c>), square kernel, zero padding.</summary>
internal sealed class Conv2DKind : LayerKind<Conv2DSpec>
{
    public override string Name => "Conv2D";

    public override string Example => "[Input(2, 6, 6)] [Conv2D(3, 3, Activation.ReLU, Padding = 1)] [Flatten] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int filters = a.Int(0), kernel = a.Int(1);
        a.Positive(filters, $"The filters of {a.What}");
        a.Positive(kernel, $"The kernel size of {a.What}");
        int stride = a.NamedInt("Stride") ?? 1, padding = a.NamedInt("Padding") ?? 0;
        a.Positive(stride, $"The stride of {a.What}");
        a.Check(padding >= 0, $"The padding of {a.What}", "zero or positive", padding);
        ActivationKind activation = a.NamedActivation("Activation") ?? a.ActivationArgument(2);
        return new Conv2DSpec(a.Name, filters, kernel, stride, padding, a.Activation(activation));
    }

    protected override TensorShape? OutputShape(Conv2DSpec c, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind != ShapeKind.Image) { reason = "Conv2D takes a [channels, height, width] input; declare [Input(channels, height, width)]"; return null; }
        int h = input.Dims[1] + 2 * c.Padding, w = input.Dims[2] + 2 * c.Padding;
        if (c.KernelSize > h || c.KernelSize > w) { reason = $"the {c.KernelSize}×{c.KernelSize} kernel is larger than the padded input {h}×{w}"; return null; }
        // PyTorch's size: ⌊(n + 2p − k)/s⌋ + 1; rows and columns past the last whole window are not read.
        return TensorShape.Image(c.Filters, (h - c.KernelSize) / c.Stride + 1, (w - c.KernelSize) / c.Stride + 1);
    }

    protected override IEnumerable<TensorDeclaration> Tensors(Conv2DSpec c, TensorContext context)
    {
        int channels = context.Input.Dims[0], k2 = c.KernelSize * c.KernelSize;
        // fan_in = channels·k·k, fan_out = filters·k·k (PyTorch's _calculate_fan_in_and_fan_out).
        yield return new TensorDeclaration("weight", TensorRole.Weight, new long[] { c.Filters, channels, c.KernelSize, c.KernelSize }, WeightInit(channels * k2, c.Filters * k2, c.Activation, context));
        yield return new TensorDeclaration("bias", TensorRole.Bias, new long[] { c.Filters }, InitRule.Zeros);
        if (c.Activation.Kind == ActivationKind.PReLU)
            yield return new TensorDeclaration("prelu.weight", TensorRole.Slope, new long[] { c.Filters }, PReLUSlopes);
    }

    protected override ActivationSpec? Activation(Conv2DSpec spec) => spec.Activation;

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new Conv2DEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuConv2DEmitter(context, layer);
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[ConvTranspose2D(filters, kernelSize, ...)]</c>.</summary>
public sealed record ConvTranspose2DSpec(string Name, int Filters, int KernelSize, int Stride, int Padding, int OutputPadding, ActivationSpec Activation) : LayerSpec(Name);

/// <summary>
/// ConvTranspose2D over NCHW images (PyTorch's <c>nn.ConvTranspose2d</c>, square kernel): weight
/// [channels, filters, k, k], bias [filters]; out = (in − 1)·stride − 2·padding + k + outputPadding.
/// </summary>
internal sealed class ConvTranspose2DKind : LayerKind<ConvTranspose2DSpec>
{
    public override string Name => "ConvTranspose2D";

    public override string Example => "[Input(2, 3, 3)] [ConvTranspose2D(3, 3, Activation.ReLU, Stride = 2, Padding = 1, OutputPadding = 1)] [Flatten] [Dense(1)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int filters = a.Int(0), kernel = a.Int(1);
        a.Positive(filters, $"The filters of {a.What}");
        a.Positive(kernel, $"The kernel size of {a.What}");
        int stride = a.NamedInt("Stride") ?? 1, padding = a.NamedInt("Padding") ?? 0, outputPadding = a.NamedInt("OutputPadding") ?? 0;
        a.Positive(stride, $"The stride of {a.What}");
        a.Check(padding >= 0, $"The padding of {a.What}", "zero or positive", padding);
        // PyTorch's rule: 0 ≤ output padding < stride (else the extra rows would receive no input).
        a.Check(outputPadding >= 0 && outputPadding < stride, $"The output padding of {a.What}", $"[0, stride = {stride})", outputPadding);
        ActivationKind activation = a.NamedActivation("Activation") ?? a.ActivationArgument(2);
        return new ConvTranspose2DSpec(a.Name, filters, kernel, stride, padding, outputPadding, a.Activation(activation));
    }

    protected override TensorShape? OutputShape(ConvTranspose2DSpec c, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind != ShapeKind.Image)
        { reason = $"ConvTranspose2D takes a [channels, height, width] image, but its input is {input.DimsText}; put [Reshape(channels, height, width)] before it"; return null; }
        // out = (in − 1)·stride − 2·padding + k + outputPadding
        long h = (input.Dims[1] - 1L) * c.Stride - 2L * c.Padding + c.KernelSize + c.OutputPadding;
        long w = (input.Dims[2] - 1L) * c.Stride - 2L * c.Padding + c.KernelSize + c.OutputPadding;
        if (h <= 0 || w <= 0)
        { reason = $"the output would be {h}×{w}: padding {c.Padding} is too large for a {input.Dims[1]}×{input.Dims[2]} input and a {c.KernelSize}×{c.KernelSize} kernel"; return null; }
        // The output and the scratch (filters·k²·h·w values per sample) must fit in an array.
        double values = (double)c.Filters * h * w, scratch = (double)c.Filters * c.KernelSize * c.KernelSize * input.Dims[1] * input.Dims[2];
        if (values > int.MaxValue || scratch > int.MaxValue)
        { reason = $"the output {c.Filters}×{h}×{w} (or its scratch of {c.Filters}·{c.KernelSize}²·{input.Dims[1]}·{input.Dims[2]} values) is too large for one array; use fewer filters, a smaller kernel or stride"; return null; }
        return TensorShape.Image(c.Filters, (int)h, (int)w);
    }

    protected override IEnumerable<TensorDeclaration> Tensors(ConvTranspose2DSpec c, TensorContext context)
    {
        int channels = context.Input.Dims[0];
        long k2 = (long)c.KernelSize * c.KernelSize;
        // PyTorch's _calculate_fan_in_and_fan_out on the weight [channels, filters, k, k]: fan_in = filters·k·k, fan_out = channels·k·k.
        yield return new TensorDeclaration("weight", TensorRole.Weight, new long[] { channels, c.Filters, c.KernelSize, c.KernelSize }, WeightInit((int)System.Math.Min(int.MaxValue, (long)c.Filters * k2), (int)System.Math.Min(int.MaxValue, (long)channels * k2), c.Activation, context));
        yield return new TensorDeclaration("bias", TensorRole.Bias, new long[] { c.Filters }, InitRule.Zeros);
        if (c.Activation.Kind == ActivationKind.PReLU)
            yield return new TensorDeclaration("prelu.weight", TensorRole.Slope, new long[] { c.Filters }, PReLUSlopes);
    }

    protected override ActivationSpec? Activation(ConvTranspose2DSpec spec) => spec.Activation;

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new ConvTranspose2DEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuConvTranspose2DEmitter(context, layer);
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Activation(kind)]</c> as a layer of its own.</summary>
public sealed record ActivationLayerSpec(string Name, ActivationSpec Activation) : LayerSpec(Name);

/// <summary>
/// An activation standing alone: y = f(x), element-wise (Softmax: per row of the last dimension).
/// PReLU learns one slope per feature (per channel on an image), as <c>nn.PReLU(num_parameters)</c>.
/// </summary>
internal sealed class ActivationLayerKind : LayerKind<ActivationLayerSpec>
{
    public override string Name => "Activation";

    public override bool AppliesPerTimeStep => true;

    public override string Example => "[Input(5)] [Dense(4)] [Activation(Activation.PReLU)] [Dense(3)] [Activation(Activation.ELU, Alpha = 0.5f)]";

    public override LayerSpec? Read(LayerAttribute a) => new ActivationLayerSpec(a.Name, a.Activation(a.ActivationArgument(0)));

    protected override TensorShape? OutputShape(ActivationLayerSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.IsSequence && spec.Activation.Kind == ActivationKind.PReLU)
        {
            reason = "a PReLU layer over a sequence is not supported yet; use Dense(units, Activation.PReLU), whose slopes are per unit";
            return null;
        }
        return input;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(ActivationLayerSpec spec, TensorContext c)
    {
        // nn.PReLU(num_parameters = features): one slope per feature (per channel for images).
        if (spec.Activation.Kind == ActivationKind.PReLU)
            yield return new TensorDeclaration("weight", TensorRole.Slope, new long[] { c.Input.Kind == ShapeKind.Image ? c.Input.Dims[0] : c.Input.Size }, PReLUSlopes);
    }

    protected override ActivationSpec? Activation(ActivationLayerSpec spec) => spec.Activation;

    public override string SummaryType(LayerSpec spec) => Name + ", " + ((ActivationLayerSpec)spec).Activation.Kind;

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new ActivationLayerEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer)
        => layer.Input.IsSequence && ((ActivationLayerSpec)layer.Spec).Activation.Kind is ActivationKind.Softmax or ActivationKind.PReLU
            ? $"layer '{layer.Spec.Name}' (Activation {((ActivationLayerSpec)layer.Spec).Activation.Kind} over a sequence) has no GPU kernels yet; the CPU class is generated as usual" : null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuActivationLayerEmitter(context, layer);
}

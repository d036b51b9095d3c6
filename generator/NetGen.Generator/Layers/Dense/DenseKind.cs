using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Dense(units, activation)]</c>.</summary>
public sealed record DenseSpec(string Name, int Units, ActivationSpec Activation) : LayerSpec(Name);

/// <summary>
/// Dense: z = x·Wᵀ + b, y = f(z), W [units, features] (PyTorch's <c>nn.Linear</c>). On a sequence it
/// applies at every time step, as <c>nn.Linear</c> on the last dimension: [t, features] → [t, units].
/// </summary>
internal sealed class DenseKind : LayerKind<DenseSpec>
{
    public override string Name => "Dense";

    public override bool AppliesPerTimeStep => true;

    public override string Example => "[Input(6)] [Dense(5, Activation.Tanh)] [Dense(3, Activation.PReLU)] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int units = a.Int(0);
        a.Positive(units, $"The units of {a.What}");
        return new DenseSpec(a.Name, units, a.Activation(a.ActivationArgument(1)));
    }

    protected override TensorShape? OutputShape(DenseSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind is ShapeKind.Vector or ShapeKind.Sequence) return input.WithFeatures(spec.Units);
        reason = "Dense takes a vector (or a sequence, per time step); add [Flatten] before it";
        return null;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(DenseSpec spec, TensorContext c)
    {
        int features = c.Input.Features;
        yield return new TensorDeclaration("weight", TensorRole.Weight, new long[] { spec.Units, features }, WeightInit(features, spec.Units, spec.Activation, c));
        yield return new TensorDeclaration("bias", TensorRole.Bias, new long[] { spec.Units }, InitRule.Zeros);
        if (spec.Activation.Kind == ActivationKind.PReLU)
            yield return new TensorDeclaration("prelu.weight", TensorRole.Slope, new long[] { spec.Units }, PReLUSlopes);
    }

    protected override ActivationSpec? Activation(DenseSpec spec) => spec.Activation;

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new DenseEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer)
        => layer.Input.IsSequence && ((DenseSpec)layer.Spec).Activation.Kind is ActivationKind.PReLU
            ? $"layer '{layer.Spec.Name}' (Dense over a sequence with {((DenseSpec)layer.Spec).Activation.Kind}) has no GPU kernels yet; the CPU class is generated as usual" : null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuDenseEmitter(context, layer);
}

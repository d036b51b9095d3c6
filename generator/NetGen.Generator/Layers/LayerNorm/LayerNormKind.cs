using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[LayerNorm]</c>.</summary>
public sealed record LayerNormSpec(string Name, double Epsilon) : LayerSpec(Name);

/// <summary>
/// Layer normalisation over the last dimension (<c>nn.LayerNorm(features)</c>, ε 1e-5, biased variance):
/// y = (x − μ)/√(σ² + ε)·γ + β per row; on a sequence at every time step. γ starts at ones, β at zeros.
/// </summary>
internal sealed class LayerNormKind : LayerKind<LayerNormSpec>
{
    /// <summary>PyTorch's default ε.</summary>
    public const double Epsilon = 1e-5;

    public override string Name => "LayerNorm";

    public override string Example => "[Input(3, 5)] [LayerNorm] [Flatten] [Dense(2)]";

    /// <summary>Each row is normalised on its own, so <c>Step</c> runs the forward pass on the one step.</summary>
    public override bool AppliesPerTimeStep => true;

    public override LayerSpec? Read(LayerAttribute a) => new LayerNormSpec(a.Name, Epsilon);

    protected override TensorShape? OutputShape(LayerNormSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind is ShapeKind.Vector or ShapeKind.Sequence) return input;
        reason = "LayerNorm normalises a vector or each time step of a sequence; add [Flatten] before it";
        return null;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(LayerNormSpec spec, TensorContext c)
    {
        yield return new TensorDeclaration("weight", TensorRole.Scale, new long[] { c.Input.Features }, InitRule.Constant(1, "LayerNorm's weight starts at 1"));
        yield return new TensorDeclaration("bias", TensorRole.Shift, new long[] { c.Input.Features }, InitRule.Zeros);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new LayerNormEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuLayerNormEmitter(context, layer);
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Maxout(units, pieces)]</c>.</summary>
public sealed record MaxoutSpec(string Name, int Units, int Pieces) : LayerSpec(Name);

/// <summary>Maxout: z = x·Wᵀ + b over units·pieces rows, y[u] = maxₚ z[u·pieces + p].</summary>
internal sealed class MaxoutKind : LayerKind<MaxoutSpec>
{
    public override string Name => "Maxout";

    public override string Example => "[Input(5)] [Maxout(4, 3)] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int units = a.Int(0), pieces = a.Int(1);
        a.Positive(units, $"The units of {a.What}");
        a.Positive(pieces, $"The pieces of {a.What}");
        return new MaxoutSpec(a.Name, units, pieces);
    }

    protected override TensorShape? OutputShape(MaxoutSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind != ShapeKind.Vector) { reason = "Maxout takes a vector; add [Flatten] before it"; return null; }
        if ((long)spec.Units * spec.Pieces > Analysis.NetworkModelBuilder.MaxActivationSize) { reason = "units × pieces is too large"; return null; }
        return TensorShape.Vector(spec.Units);
    }

    protected override IEnumerable<TensorDeclaration> Tensors(MaxoutSpec spec, TensorContext c)
    {
        int features = c.Input.Size;
        // Glorot or He over fan_out = units (the pieces compete, they do not add fan-out).
        yield return new TensorDeclaration("weight", TensorRole.Weight, new long[] { (long)spec.Units * spec.Pieces, features }, WeightInit(features, spec.Units, null, c));
        yield return new TensorDeclaration("bias", TensorRole.Bias, new long[] { (long)spec.Units * spec.Pieces }, InitRule.Zeros);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new MaxoutEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuMaxoutEmitter(context, layer);
}

using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Dropout(rate)]</c>.</summary>
public sealed record DropoutSpec(string Name, double Rate) : LayerSpec(Name);

/// <summary>Inverted dropout, element-wise over any shape: active only in training passes.</summary>
internal sealed class DropoutKind : LayerKind<DropoutSpec>
{
    public override string Name => "Dropout";

    public override bool AppliesPerTimeStep => true;

    public override string Example => "[Input(7)] [Dense(5, Activation.ReLU)] [Dropout(0.3f)] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        double rate = a.Real(0);
        a.Check(rate >= 0 && rate < 1, $"The dropout rate of {a.What}", "in [0, 1)", rate);
        return new DropoutSpec(a.Name, rate);
    }

    protected override TensorShape? OutputShape(DropoutSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        return input;
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new DropoutEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer)
        => null; // on a sequence too: the mask covers the batch's n·t·f values in the CPU class's order

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuDropoutEmitter(context, layer);
}

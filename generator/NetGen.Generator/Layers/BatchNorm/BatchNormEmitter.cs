using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// BatchNorm as the runtime lays it out: [batch, channels, spatial], spatial 1 for vectors and h·w for
/// images. Training passes use the batch's statistics (kept for the backward pass) and move the running
/// ones; inference passes (<c>Predict</c>, <c>ComputeLoss</c>) use the running ones.
/// </summary>
internal sealed class BatchNormEmitter : LayerEmitter
{
    public BatchNormEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) { }

    private bool IsImage => Layer.Input.Kind == ShapeKind.Image;
    private int Channels => Layer.InputShape[0];
    private int Spatial => IsImage ? Layer.InputShape[1] * Layer.InputShape[2] : 1;
    private string Weight => EmitContext.Param(Layer.Tensor(TensorRole.Weight));
    private string Bias => EmitContext.Param(Layer.Tensor(TensorRole.Bias));
    private string RunningMean => EmitContext.Param(Layer.Tensor(TensorRole.RunningMean));
    private string RunningVar => EmitContext.Param(Layer.Tensor(TensorRole.RunningVar));
    private string Sizes => $"batch: n, channels: {Channels}, spatial: {Spatial}";

    public override string Describe()
        => IsImage ? $"BatchNorm2d over {Channels} channels of {Layer.InputShape[1]}×{Layer.InputShape[2]}" : $"BatchNorm1d over {Channels} features";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        yield return new BufferField($"_mean{I}", Channels, T, $"{Layer.Spec.Name} batch mean per channel", PerSample: false);
        yield return new BufferField($"_invStd{I}", Channels, T, $"{Layer.Spec.Name} 1/√(σ² + ε) per channel of the batch", PerSample: false);
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Open("if (training)");
        w.Line($"// μ, σ² over batch × positions per channel; y{I} = weight·(x − μ)/√(σ² + 1e-5) + bias; running ← 0.9·running + 0.1·(μ, σ²·m/(m − 1))");
        w.Line($"{K}.BatchNorm.ForwardTraining<{T}>({Ctx.InputOf(I)}, {Weight}, {Bias}, {RunningMean}, {RunningVar}, {Ctx.OutputOf(I)}, _mean{I}, _invStd{I}, {Sizes});");
        w.Close();
        w.Open("else");
        w.Line($"// y{I} = weight·(x − running_mean)/√(running_var + 1e-5) + bias");
        w.Line($"{K}.BatchNorm.ForwardInference<{T}>({Ctx.InputOf(I)}, {Weight}, {Bias}, {RunningMean}, {RunningVar}, {Ctx.OutputOf(I)}, {Sizes});");
        w.Close();
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The kernel writes dx together with the parameter gradients (it needs the same sums), so dx is always written.
        w.Line($"// x̂ = (x − μ)·invStd; dbias = Σ dy{I}; dweight = Σ dy{I}·x̂; dx = weight·invStd·(dy{I} − dbias/m − x̂·dweight/m)");
        w.Line($"{K}.BatchNorm.Backward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputGradientOf(I)}, {Weight}, _mean{I}, _invStd{I}, {Ctx.InputGradientOf(I)}, "
            + $"{EmitContext.Grad(Layer.Tensor(TensorRole.Weight))}, {EmitContext.Grad(Layer.Tensor(TensorRole.Bias))}, {Sizes});");
    }
}

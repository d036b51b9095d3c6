using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[BatchNorm]</c>.</summary>
public sealed record BatchNormSpec(string Name) : LayerSpec(Name);

/// <summary>
/// BatchNorm: <c>nn.BatchNorm1d</c> over the features of a vector, <c>nn.BatchNorm2d</c> per channel of an image;
/// <c>weight</c> ones, <c>bias</c> zeros, buffers <c>running_mean</c> zeros and <c>running_var</c> ones.
/// </summary>
internal sealed class BatchNormKind : LayerKind<BatchNormSpec>
{
    public override string Name => "BatchNorm";

    public override string Example => "[Input(2, 3, 3)] [BatchNorm] [Flatten] [Dense(3)] [BatchNorm] [Dense(1)]";

    public override LayerSpec? Read(LayerAttribute a) => new BatchNormSpec(a.Name);

    protected override TensorShape? OutputShape(BatchNormSpec s, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind is ShapeKind.Sequence or ShapeKind.Tokens)
        { reason = "BatchNorm normalises vectors (per feature) or images (per channel), not sequences; use [LayerNorm] on a sequence, or [Flatten] first"; return null; }
        return input;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(BatchNormSpec s, TensorContext c)
    {
        int channels = c.Input.Dims[0];
        yield return new TensorDeclaration("weight", TensorRole.Weight, new long[] { channels }, InitRule.Constant(1, "BatchNorm's weight starts at 1"));
        yield return new TensorDeclaration("bias", TensorRole.Bias, new long[] { channels }, InitRule.Zeros);
        yield return new TensorDeclaration("running_mean", TensorRole.RunningMean, new long[] { channels }, InitRule.Zeros, Trainable: false);
        yield return new TensorDeclaration("running_var", TensorRole.RunningVar, new long[] { channels }, InitRule.Constant(1, "the running variance starts at 1"), Trainable: false);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new BatchNormEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuBatchNormEmitter(context, layer);
}

using System;
using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[TransformerBlock(heads, feedForward, Causal = .., Dropout = ..)]</c>; Dropout is PyTorch's one rate for its four sites, in training.</summary>
public sealed record TransformerBlockSpec(string Name, int Heads, int FeedForward, bool Causal, double Dropout = 0) : LayerSpec(Name);

/// <summary>
/// One pre-norm encoder layer, <c>nn.TransformerEncoderLayer(d, heads, feedForward, dropout=p, activation="gelu",
/// batch_first=True, norm_first=True)</c>: h = x + Drop(Attn(LN₁(x))), y = h + Drop(W₂·Drop(GELU(W₁·LN₂(h)))) (the
/// attention weights dropped too; dropout only in training passes), with its
/// state_dict names (self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*) in its order (the runtime's
/// <c>TransformerBlockLayout</c>), so the block's tensors are one contiguous slice of the parameters.
/// </summary>
internal sealed class TransformerBlockKind : LayerKind<TransformerBlockSpec>
{
    public override string Name => "TransformerBlock";

    public override string Example => "[Input(5, 3)] [TransformerBlock(3, 7, Causal = true)] [GlobalAveragePooling1D] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int heads = a.Int(0), feedForward = a.Int(1);
        a.Positive(heads, $"The heads of {a.What}");
        a.Positive(feedForward, $"The feedForward width of {a.What}");
        double dropout = MultiHeadAttentionKind.ReadDropout(a);
        return new TransformerBlockSpec(a.Name, heads, feedForward, a.NamedBool("Causal") ?? false, dropout);
    }

    protected override TensorShape? OutputShape(TransformerBlockSpec spec, TensorShape input, out string? reason)
        => MultiHeadAttentionKind.AttentionShape(Name, spec.Heads, input, out reason,
            // the cache T·(7E + 2F + 4) and the scratch T·(6E + F) + T·(d + 1), per sample (the per-head T·max(d, T) is not per sample)
            (long)input.TimeSteps * (14L * input.Features + 3L * spec.FeedForward + 5));

    protected override IEnumerable<TensorDeclaration> Tensors(TransformerBlockSpec spec, TensorContext c)
    {
        // TransformerBlockLayout's order: self_attn (nn.MultiheadAttention), linear1, linear2, norm1, norm2.
        int e = c.Input.Features, f = spec.FeedForward;
        foreach (TensorDeclaration t in MultiHeadAttentionKind.AttentionTensors("self_attn.", e, "")) yield return t;
        yield return new TensorDeclaration("linear1.weight", TensorRole.Weight, new long[] { f, e }, InitRule.Uniform(1 / Math.Sqrt(e), "nn.Linear's U(−1/√E, 1/√E)"), Field: "Linear1Weight");
        yield return new TensorDeclaration("linear1.bias", TensorRole.Bias, new long[] { f }, InitRule.Uniform(1 / Math.Sqrt(e), "nn.Linear's U(−1/√E, 1/√E)"), Field: "Linear1Bias");
        yield return new TensorDeclaration("linear2.weight", TensorRole.Weight, new long[] { e, f }, InitRule.Uniform(1 / Math.Sqrt(f), "nn.Linear's U(−1/√F, 1/√F)"), Field: "Linear2Weight");
        yield return new TensorDeclaration("linear2.bias", TensorRole.Bias, new long[] { e }, InitRule.Uniform(1 / Math.Sqrt(f), "nn.Linear's U(−1/√F, 1/√F)"), Field: "Linear2Bias");
        yield return new TensorDeclaration("norm1.weight", TensorRole.Scale, new long[] { e }, InitRule.Constant(1, "LayerNorm's weight starts at 1"), Field: "Norm1Weight");
        yield return new TensorDeclaration("norm1.bias", TensorRole.Shift, new long[] { e }, InitRule.Zeros, Field: "Norm1Bias");
        yield return new TensorDeclaration("norm2.weight", TensorRole.Scale, new long[] { e }, InitRule.Constant(1, "LayerNorm's weight starts at 1"), Field: "Norm2Weight");
        yield return new TensorDeclaration("norm2.bias", TensorRole.Shift, new long[] { e }, InitRule.Zeros, Field: "Norm2Bias");
    }

    public override string SummaryType(LayerSpec spec) => ((TransformerBlockSpec)spec).Causal ? Name + ", causal" : Name;

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new TransformerBlockEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuTransformerBlockEmitter(context, layer);
}

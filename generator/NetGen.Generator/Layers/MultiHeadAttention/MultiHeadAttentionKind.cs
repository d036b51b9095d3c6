using System;
using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[MultiHeadAttention(heads, Causal = .., Dropout = ..)]</c>; Dropout is the rate on the attention weights in training.</summary>
public sealed record MultiHeadAttentionSpec(string Name, int Heads, bool Causal, double Dropout = 0) : LayerSpec(Name);

/// <summary>
/// Self-attention with <c>nn.MultiheadAttention</c>'s layout (batch_first): [q|k|v] = x·in_projᵀ + b,
/// per head softmax(q·kᵀ/√(E/H)) (upper triangle masked when causal)·v, then out_proj. The width must
/// divide by the heads. Dropout p in [0, 1) drops attention weights in training passes (nn.MultiheadAttention's
/// dropout): P̃ = P ⊙ M, M 0 or 1/(1 − p), drawn from the network's dropout generator.
/// </summary>
internal sealed class MultiHeadAttentionKind : LayerKind<MultiHeadAttentionSpec>
{
    public override string Name => "MultiHeadAttention";

    public override string Example => "[Input(5, 3)] [MultiHeadAttention(3, Causal = true)] [Flatten] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int heads = a.Int(0);
        a.Positive(heads, $"The heads of {a.What}");
        double dropout = ReadDropout(a);
        return new MultiHeadAttentionSpec(a.Name, heads, a.NamedBool("Causal") ?? false, dropout);
    }

    /// <summary>The Dropout rate (0 when absent); NETGEN010 unless it is in [0, 1) (NaN included), as the Dropout layer's rate.</summary>
    internal static double ReadDropout(LayerAttribute a)
    {
        double dropout = a.NamedReal("Dropout") ?? 0;
        a.Check(dropout >= 0 && dropout < 1, $"The Dropout of {a.What}", "in [0, 1)", dropout);
        return dropout >= 0 && dropout < 1 ? dropout : 0;
    }

    /// <summary>
    /// The shape check of attention: a sequence whose width divides by the heads, and whose per-sample buffers
    /// (<paramref name="bufferValues"/>: attention weights H·T² and the kind's caches, counted in long) fit an int.
    /// </summary>
    internal static TensorShape? AttentionShape(string kind, int heads, TensorShape input, out string? reason, long bufferValues = 0)
    {
        reason = null;
        if (!input.IsSequence)
        {
            reason = $"{kind} attends over a sequence [timeSteps, features]; its input has no time axis";
            return null;
        }
        if (input.Features % heads != 0)
        {
            reason = $"its width {input.Features} does not divide by its {heads} heads; choose heads that divide {input.Features}";
            return null;
        }
        long weights = (long)heads * input.TimeSteps * input.TimeSteps;
        if (weights + bufferValues > Analysis.NetworkModelBuilder.MaxActivationSize)
        {
            reason = $"it would keep {weights + bufferValues:N0} values per sample ({heads} heads × {input.TimeSteps}² attention weights and its caches), more than {Analysis.NetworkModelBuilder.MaxActivationSize:N0}; shorten the sequence";
            return null;
        }
        return input;
    }

    protected override TensorShape? OutputShape(MultiHeadAttentionSpec spec, TensorShape input, out string? reason)
        => AttentionShape(Name, spec.Heads, input, out reason, 10L * input.TimeSteps * input.Features);

    protected override IEnumerable<TensorDeclaration> Tensors(MultiHeadAttentionSpec spec, TensorContext c)
        => AttentionTensors("", c.Input.Features, "");

    /// <summary>nn.MultiheadAttention's four tensors and PyTorch's _reset_parameters (the bias is zero).</summary>
    internal static IEnumerable<TensorDeclaration> AttentionTensors(string prefix, int width, string fieldPrefix)
    {
        yield return new TensorDeclaration(prefix + "in_proj_weight", TensorRole.Weight, new long[] { 3 * width, width }, InitRule.Glorot(width, 3 * width), Field: fieldPrefix + "InProjWeight");
        yield return new TensorDeclaration(prefix + "in_proj_bias", TensorRole.Bias, new long[] { 3 * width }, InitRule.Zeros, Field: fieldPrefix + "InProjBias");
        yield return new TensorDeclaration(prefix + "out_proj.weight", TensorRole.Weight, new long[] { width, width }, InitRule.Uniform(1 / Math.Sqrt(width), "nn.Linear's U(−1/√E, 1/√E)"), Field: fieldPrefix + "OutProjWeight");
        yield return new TensorDeclaration(prefix + "out_proj.bias", TensorRole.Bias, new long[] { width }, InitRule.Zeros, Field: fieldPrefix + "OutProjBias");
    }

    public override string SummaryType(LayerSpec spec) => ((MultiHeadAttentionSpec)spec).Causal ? Name + ", causal" : Name;

    /// <summary>Why a non-causal attention layer cannot step: every position attends to the positions after it.</summary>
    internal static string NotCausalReason(string name, string kind)
        => $"layer '{name}' ({kind}) is not causal: each position attends to the positions after it, so no step's output is known before the sequence ends (declare Causal = true for generation)";

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new MultiHeadAttentionEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuMultiHeadAttentionEmitter(context, layer);
}

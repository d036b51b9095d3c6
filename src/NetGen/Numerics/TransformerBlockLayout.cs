using System;
using System.ComponentModel;

namespace NetGen.Numerics;

/// <summary>
/// Offsets of a <see cref="TransformerBlock"/>'s parameters in its flat span, <c>state_dict</c> order
/// (E = width, F = feedForward): self_attn.in_proj_weight [3E, E] at 0, self_attn.in_proj_bias [3E] at 3E²,
/// self_attn.out_proj.weight [E, E] at 3E² + 3E, self_attn.out_proj.bias [E] at 4E² + 3E, linear1.weight [F, E]
/// at 4E² + 4E, linear1.bias [F] at 4E² + 4E + FE, linear2.weight [E, F] at 4E² + 4E + FE + F, linear2.bias [E]
/// at 4E² + 4E + 2FE + F, norm1.weight, norm1.bias, norm2.weight, norm2.bias [E] each from 4E² + 5E + 2FE + F.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TransformerBlockLayout(int width, int feedForward)
{
    /// <summary>E.</summary>
    public int Width => width;
    /// <summary>F.</summary>
    public int FeedForward => feedForward;

    /// <summary>Offset of self_attn.in_proj_weight [3E, E].</summary>
    public int InProjWeightOffset => 0;
    /// <summary>Offset of self_attn.in_proj_bias [3E].</summary>
    public int InProjBiasOffset => 3 * width * width;
    /// <summary>Offset of self_attn.out_proj.weight [E, E].</summary>
    public int OutProjWeightOffset => InProjBiasOffset + 3 * width;
    /// <summary>Offset of self_attn.out_proj.bias [E].</summary>
    public int OutProjBiasOffset => OutProjWeightOffset + width * width;
    /// <summary>Offset of linear1.weight [F, E].</summary>
    public int Linear1WeightOffset => OutProjBiasOffset + width;
    /// <summary>Offset of linear1.bias [F].</summary>
    public int Linear1BiasOffset => Linear1WeightOffset + feedForward * width;
    /// <summary>Offset of linear2.weight [E, F].</summary>
    public int Linear2WeightOffset => Linear1BiasOffset + feedForward;
    /// <summary>Offset of linear2.bias [E].</summary>
    public int Linear2BiasOffset => Linear2WeightOffset + width * feedForward;
    /// <summary>Offset of norm1.weight [E].</summary>
    public int Norm1WeightOffset => Linear2BiasOffset + width;
    /// <summary>Offset of norm1.bias [E].</summary>
    public int Norm1BiasOffset => Norm1WeightOffset + width;
    /// <summary>Offset of norm2.weight [E].</summary>
    public int Norm2WeightOffset => Norm1BiasOffset + width;
    /// <summary>Offset of norm2.bias [E].</summary>
    public int Norm2BiasOffset => Norm2WeightOffset + width;
    /// <summary>All parameters: 4E² + 2EF + 9E + F.</summary>
    public int Count => Norm2BiasOffset + width;

    /// <summary>The tensors' names after <c>{name}.</c>, in layout order.</summary>
    public static readonly string[] TensorNames =
    [
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
        "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
        "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ];

    /// <summary>self_attn.in_proj_weight within the block's span (parameters or gradients).</summary>
    public Span<T> InProjWeight<T>(Span<T> p) => p.Slice(InProjWeightOffset, 3 * width * width);
    /// <summary>self_attn.in_proj_bias.</summary>
    public Span<T> InProjBias<T>(Span<T> p) => p.Slice(InProjBiasOffset, 3 * width);
    /// <summary>self_attn.out_proj.weight.</summary>
    public Span<T> OutProjWeight<T>(Span<T> p) => p.Slice(OutProjWeightOffset, width * width);
    /// <summary>self_attn.out_proj.bias.</summary>
    public Span<T> OutProjBias<T>(Span<T> p) => p.Slice(OutProjBiasOffset, width);
    /// <summary>linear1.weight.</summary>
    public Span<T> Linear1Weight<T>(Span<T> p) => p.Slice(Linear1WeightOffset, feedForward * width);
    /// <summary>linear1.bias.</summary>
    public Span<T> Linear1Bias<T>(Span<T> p) => p.Slice(Linear1BiasOffset, feedForward);
    /// <summary>linear2.weight.</summary>
    public Span<T> Linear2Weight<T>(Span<T> p) => p.Slice(Linear2WeightOffset, width * feedForward);
    /// <summary>linear2.bias.</summary>
    public Span<T> Linear2Bias<T>(Span<T> p) => p.Slice(Linear2BiasOffset, width);
    /// <summary>norm1.weight.</summary>
    public Span<T> Norm1Weight<T>(Span<T> p) => p.Slice(Norm1WeightOffset, width);
    /// <summary>norm1.bias.</summary>
    public Span<T> Norm1Bias<T>(Span<T> p) => p.Slice(Norm1BiasOffset, width);
    /// <summary>norm2.weight.</summary>
    public Span<T> Norm2Weight<T>(Span<T> p) => p.Slice(Norm2WeightOffset, width);
    /// <summary>norm2.bias.</summary>
    public Span<T> Norm2Bias<T>(Span<T> p) => p.Slice(Norm2BiasOffset, width);

    /// <summary>self_attn.in_proj_weight (read-only).</summary>
    public ReadOnlySpan<T> InProjWeight<T>(ReadOnlySpan<T> p) => p.Slice(InProjWeightOffset, 3 * width * width);
    /// <summary>self_attn.in_proj_bias (read-only).</summary>
    public ReadOnlySpan<T> InProjBias<T>(ReadOnlySpan<T> p) => p.Slice(InProjBiasOffset, 3 * width);
    /// <summary>self_attn.out_proj.weight (read-only).</summary>
    public ReadOnlySpan<T> OutProjWeight<T>(ReadOnlySpan<T> p) => p.Slice(OutProjWeightOffset, width * width);
    /// <summary>self_attn.out_proj.bias (read-only).</summary>
    public ReadOnlySpan<T> OutProjBias<T>(ReadOnlySpan<T> p) => p.Slice(OutProjBiasOffset, width);
    /// <summary>linear1.weight (read-only).</summary>
    public ReadOnlySpan<T> Linear1Weight<T>(ReadOnlySpan<T> p) => p.Slice(Linear1WeightOffset, feedForward * width);
    /// <summary>linear1.bias (read-only).</summary>
    public ReadOnlySpan<T> Linear1Bias<T>(ReadOnlySpan<T> p) => p.Slice(Linear1BiasOffset, feedForward);
    /// <summary>linear2.weight (read-only).</summary>
    public ReadOnlySpan<T> Linear2Weight<T>(ReadOnlySpan<T> p) => p.Slice(Linear2WeightOffset, width * feedForward);
    /// <summary>linear2.bias (read-only).</summary>
    public ReadOnlySpan<T> Linear2Bias<T>(ReadOnlySpan<T> p) => p.Slice(Linear2BiasOffset, width);
    /// <summary>norm1.weight (read-only).</summary>
    public ReadOnlySpan<T> Norm1Weight<T>(ReadOnlySpan<T> p) => p.Slice(Norm1WeightOffset, width);
    /// <summary>norm1.bias (read-only).</summary>
    public ReadOnlySpan<T> Norm1Bias<T>(ReadOnlySpan<T> p) => p.Slice(Norm1BiasOffset, width);
    /// <summary>norm2.weight (read-only).</summary>
    public ReadOnlySpan<T> Norm2Weight<T>(ReadOnlySpan<T> p) => p.Slice(Norm2WeightOffset, width);
    /// <summary>norm2.bias (read-only).</summary>
    public ReadOnlySpan<T> Norm2Bias<T>(ReadOnlySpan<T> p) => p.Slice(Norm2BiasOffset, width);
}

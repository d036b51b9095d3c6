using System;

namespace NetGen;

/// <summary>
/// Self-attention over a sequence with <c>nn.MultiheadAttention</c>'s layout and names (<c>in_proj_weight [3E, E]</c>,
/// <c>in_proj_bias</c>, <c>out_proj.weight [E, E]</c>, <c>out_proj.bias</c>), scale 1/√(E/heads). The width E must divide by
/// <c>heads</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiHeadAttentionAttribute : LayerAttribute
{
    /// <param name="heads">Attention heads; the width must divide by it.</param>
    public MultiHeadAttentionAttribute(int heads) => Heads = heads;
    /// <summary>Attention heads.</summary>
    public int Heads { get; }
    /// <summary>Each position attends only to itself and earlier ones (a GPT's mask).</summary>
    public bool Causal { get; set; }
    /// <summary>Dropout rate in [0, 1) on the attention weights (nn.MultiheadAttention's dropout), training passes only; 0 (the default) is none.</summary>
    public float Dropout { get; set; }
}

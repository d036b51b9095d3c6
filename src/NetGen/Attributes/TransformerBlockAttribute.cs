using System;

namespace NetGen;

/// <summary>
/// One pre-norm Transformer encoder layer, <c>nn.TransformerEncoderLayer(E, heads, feedForward, dropout=Dropout,
/// activation="gelu", batch_first=True, norm_first=True)</c>: h = x + Drop(Attn(LN₁(x))), y = h + Drop(W₂·Drop(GELU(W₁·LN₂(h)))),
/// the attention weights dropped too; dropout acts in training passes only.
/// Tensors as its state_dict: <c>{name}.self_attn.in_proj_weight</c>, <c>.self_attn.in_proj_bias</c>,
/// <c>.self_attn.out_proj.weight/bias</c>, <c>.linear1.weight [F, E]/bias</c>, <c>.linear2.weight [E, F]/bias</c>,
/// <c>.norm1.weight/bias</c>, <c>.norm2.weight/bias</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TransformerBlockAttribute : LayerAttribute
{
    /// <param name="heads">Attention heads; the width must divide by it.</param>
    /// <param name="feedForward">Hidden width F of the feed-forward part (nn's dim_feedforward).</param>
    public TransformerBlockAttribute(int heads, int feedForward) { Heads = heads; FeedForward = feedForward; }
    /// <summary>Attention heads.</summary>
    public int Heads { get; }
    /// <summary>Hidden width of the feed-forward part.</summary>
    public int FeedForward { get; }
    /// <summary>Causal self-attention (a GPT's blocks).</summary>
    public bool Causal { get; set; }
    /// <summary>Dropout rate in [0, 1) at PyTorch's four sites (attention weights, the attention branch, the hidden layer, the feed-forward branch), training passes only; 0 (the default) is none.</summary>
    public float Dropout { get; set; }
}

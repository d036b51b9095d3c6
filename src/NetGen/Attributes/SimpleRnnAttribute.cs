using System;

namespace NetGen;

/// <summary>
/// Elman recurrent layer, PyTorch's <c>nn.RNN</c> (tanh, one layer, batch_first):
/// h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh), h_{−1} = 0. Tensors <c>{name}.weight_ih_l0 [H, in]</c>,
/// <c>weight_hh_l0 [H, H]</c>, <c>bias_ih_l0 [H]</c>, <c>bias_hh_l0 [H]</c>, initialised U(−1/√H, 1/√H).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRnnAttribute : RecurrentLayerAttribute
{
    /// <summary>A tanh recurrent layer of <paramref name="units"/> hidden units.</summary>
    public SimpleRnnAttribute(int units) : base(units) { }
}

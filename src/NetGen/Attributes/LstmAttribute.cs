using System;

namespace NetGen;

/// <summary>
/// Long short-term memory, PyTorch's <c>nn.LSTM</c> (one layer, batch_first), gates i, f, g, o:
/// c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t), zero initial state. Tensors <c>{name}.weight_ih_l0 [4H, in]</c>,
/// <c>weight_hh_l0 [4H, H]</c>, <c>bias_ih_l0 [4H]</c>, <c>bias_hh_l0 [4H]</c>, initialised U(−1/√H, 1/√H).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : RecurrentLayerAttribute
{
    /// <summary>An LSTM layer of <paramref name="units"/> hidden units.</summary>
    public LstmAttribute(int units) : base(units) { }
}

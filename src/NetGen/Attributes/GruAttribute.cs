using System;

namespace NetGen;

/// <summary>
/// Gated recurrent unit, PyTorch's <c>nn.GRU</c> (one layer, batch_first), gates r, z, n:
/// n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}, h_{−1} = 0. Tensors
/// <c>{name}.weight_ih_l0 [3H, in]</c>, <c>weight_hh_l0 [3H, H]</c>, <c>bias_ih_l0 [3H]</c>, <c>bias_hh_l0 [3H]</c>,
/// initialised U(−1/√H, 1/√H).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : RecurrentLayerAttribute
{
    /// <summary>A GRU layer of <paramref name="units"/> hidden units.</summary>
    public GruAttribute(int units) : base(units) { }
}

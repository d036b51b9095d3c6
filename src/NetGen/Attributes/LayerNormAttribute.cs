using System;

namespace NetGen;

/// <summary>
/// Layer normalisation over the last dimension (<c>nn.LayerNorm(features)</c>): y = (x − μ)/√(σ² + 1e-5)·weight + bias,
/// on a vector or at every time step of a sequence. <c>{name}.weight</c> starts at ones, <c>{name}.bias</c> at zeros.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : LayerAttribute
{
}

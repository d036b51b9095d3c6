using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// GELU for the GPU kernels: f(z) = z·Φ(z), f'(z) = Φ(z) + z·φ(z), in float, with no tables and no type tests,
/// so ILGPU compiles it for any accelerator. <see cref="GeluOperator{T}"/>, the CPU's form, cannot be compiled by
/// ILGPU: it branches on <c>typeof(T)</c> (ILGPU: "Class type 'System.Type' is not supported") and reads its
/// polynomial coefficients from static arrays built at type initialisation ("Cannot load from the static array
/// since it is mutable").
/// </summary>
/// <remarks>
/// Φ(z) = ½·erfc(|z|/√2) for z &lt; 0 and 1 − ½·erfc(|z|/√2) otherwise, erfc by Abramowitz and Stegun 7.1.26
/// (|error| ≤ 1.5e-7): erfc(x) ≈ t·(a₁ + t·(a₂ + t·(a₃ + t·(a₄ + t·a₅))))·e^(−x²), t = 1/(1 + p·x).
/// Against <see cref="GeluOperator{T}"/> in float: |Δf| ≤ 1e-6·(1 + |z|) and |Δf'| ≤ 1e-6 (GeluDeviceTests).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeluDevice
{
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;
    private const float InverseSqrt2 = 0.70710678118654752440f, InverseSqrt2Pi = 0.39894228040143267794f;

    /// <summary>Φ(z), the standard normal distribution function.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Cdf(float z)
    {
        // x = |z|/√2; ½·erfc(x) by A&S 7.1.26; Φ is that for z < 0, one minus it otherwise.
        float x = MathF.Abs(z) * InverseSqrt2;
        float t = 1f / (1f + P * x);
        float half = 0.5f * t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * MathF.Exp(-x * x);
        return z < 0f ? half : 1f - half;
    }

    /// <summary>f(z) = z·Φ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(float z) => z * Cdf(z);

    /// <summary>f'(z) = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Slope(float z) => Cdf(z) + z * InverseSqrt2Pi * MathF.Exp(-0.5f * z * z);
}

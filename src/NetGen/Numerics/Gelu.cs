using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// GELU, the exact erf form of <c>nn.GELU()</c>: f(z) = z·Φ(z) with Φ(z) = ½(1 + erf(z/√2));
/// f'(z) = Φ(z) + z·φ(z) with φ(z) = e^(−z²/2)/√(2π) (PyTorch's <c>GeluBackward</c>).
/// </summary>
/// <remarks>
/// Evaluated in double (for float with erf's single-precision form, see <see cref="ErrorFunction"/>) and
/// rounded once. No vector form: the kernels apply the scalar one element by element.
/// </remarks>
public readonly struct GeluOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InverseSqrt2 = 0.70710678118654752440084436210484904;
    private const double InverseSqrt2Pi = 0.39894228040143267793994605993438187;

    /// <summary>Φ(z) = ½(1 + erf(z/√2)), the standard normal distribution function, to T's precision (erf's short form below double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalCdf(double z)
        => 0.5 * (1 + (typeof(T) == typeof(double) ? ErrorFunction.Erf(z * InverseSqrt2) : ErrorFunction.ErfToSinglePrecision(z * InverseSqrt2)));

    /// <summary>f(z) = z·Φ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T z)
    {
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(x * NormalCdf(x));
    }

    /// <summary>f'(z) = Φ(z) + z·φ(z) (a = f(z) is not needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T z, T a)
    {
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(NormalCdf(x) + x * InverseSqrt2Pi * System.Math.Exp(-0.5 * x * x));
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// GELU, the exact erf form of <c>nn.GELU()</c>: f(z) = z·Φ(z) with Φ(z) = ½(1 + erf(z/√2));
/// f'(z) = Φ(z) + z·φ(z) with φ(z) = e^(−z²/2)/√(2π) (PyTorch's <c>GeluBackward</c>).
/// </summary>
/// <remarks>
/// float: evaluated in float lanes by <see cref="GeluSingle"/> (piecewise polynomials for erfc and φ picked by an
/// in-register permute, no gathers; 512-bit vectors whole with AVX-512F); the vector and scalar forms give the same
/// bits, f and f′ alike.
/// double (and other types): evaluated in double with <see cref="ErrorFunction"/> (erf's single-precision form
/// for types narrower than double) and rounded once; the vector forms (AVX2) compute the same operations lane
/// by lane, so f(z) has the scalar form's bits; f'(z) uses the vector e^x, within an ulp or two of the scalar one.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
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
        if (typeof(T) == typeof(float)) return T.CreateTruncating(GeluSingle.Value(float.CreateTruncating(z)));
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(x * NormalCdf(x));
    }

    /// <inheritdoc/>
    public static bool IsVectorized => Simd.IsSupported<T>() && ErrorFunction.IsVectorized;

    /// <summary>Φ of four doubles, erf at T's precision (the scalar form's operations per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> NormalCdf(Vector256<double> z)
        => Vector256.Create(0.5) * (Vector256<double>.One + ErrorFunction.Erf(z * InverseSqrt2,
            typeof(T) == typeof(double) ? ErrorFunction.DoublePrecisionDegree : ErrorFunction.SinglePrecisionDegreeForVectors));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Value(Vector256<double> x) => x * NormalCdf(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Slope(Vector256<double> x) => NormalCdf(x) + x * InverseSqrt2Pi * Vector256.Exp(Vector256.Create(-0.5) * x * x);

    /// <summary>f(z) lane-wise, in double (float lanes widened, then rounded once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> z) => Apply(z, derivative: false);

    /// <summary>f'(z) lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Derivative(Vector256<T> z, Vector256<T> a) => Apply(z, derivative: true);

    /// <summary>f(z) lane-wise: float in sixteen lanes at once with AVX-512F, otherwise as two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> z)
        => typeof(T) == typeof(float) && GeluSingle.IsVectorized512
            ? GeluSingle.Value(z.AsSingle()).As<float, T>()
            : Vector512.Create(Apply(z.GetLower(), false), Apply(z.GetUpper(), false));

    /// <summary>f'(z) lane-wise: float in sixteen lanes at once with AVX-512F, otherwise as two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Derivative(Vector512<T> z, Vector512<T> a)
        => typeof(T) == typeof(float) && GeluSingle.IsVectorized512
            ? GeluSingle.Slope(z.AsSingle()).As<float, T>()
            : Vector512.Create(Apply(z.GetLower(), true), Apply(z.GetUpper(), true));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Apply(Vector256<T> z, bool derivative)
    {
        if (typeof(T) == typeof(double))
        {
            Vector256<double> x = z.AsDouble();
            return (derivative ? Slope(x) : Value(x)).As<double, T>();
        }
        // float: in float lanes.
        if (typeof(T) == typeof(float))
            return (derivative ? GeluSingle.Slope(z.AsSingle()) : GeluSingle.Value(z.AsSingle())).As<float, T>();
        // Other types: widen to two double vectors, evaluate, round once.
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(z.AsSingle());
        return derivative
            ? Vector256.Narrow(Slope(lower), Slope(upper)).As<float, T>()
            : Vector256.Narrow(Value(lower), Value(upper)).As<float, T>();
    }

    /// <summary>f'(z) = Φ(z) + z·φ(z) (a = f(z) is not needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T z, T a)
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(GeluSingle.Slope(float.CreateTruncating(z)));
        double x = double.CreateTruncating(z);
        return T.CreateTruncating(NormalCdf(x) + x * InverseSqrt2Pi * System.Math.Exp(-0.5 * x * x));
    }
}

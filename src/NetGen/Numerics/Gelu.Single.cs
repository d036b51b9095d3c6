using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Vec512 = System.Runtime.Intrinsics.Vector512;

namespace NetGen.Numerics;

/// <summary>
/// GELU in single precision, evaluated in float lanes without gathers: f(z) = z·Φ(z), f'(z) = Φ(z) + z·φ(z),
/// with Φ(z) = ½·erfc(t) for z &lt; 0 and 1 − ½·erfc(t) otherwise, φ(z) = e^(−t²)/√(2π), t = |z|/√2.
/// </summary>
/// <remarks>
/// <para>Method: [0, 4.5) is cut into 8 intervals of width 9/16; on interval k (centre cₖ = (k + ½)·9/16)
/// erfc(cₖ + x) and e^(−(cₖ + x)²)/√(2π) are each a degree-7 polynomial in x (|x| ≤ 9/32), the Chebyshev
/// interpolants at 8 nodes, built once at type initialisation from <see cref="ErrorFunction.Erf(double)"/>
/// and <see cref="Math.Exp"/> (interpolation error below 1e-8). Beyond t = 4.5 (|z| ≥ 6.36) erfc and φ are
/// taken as 0 (erfc(4.5)/2 = 1e-10, z·φ(z) &lt; 5e-9). The eight intervals' coefficients of one degree fill
/// one 8-float vector, so each lane picks its interval's coefficient with one in-register permute
/// (AVX2 <c>vpermps</c>; with AVX-512 the 16-lane <c>vpermps</c> of the same eight coefficients stored twice, so
/// 512-bit vectors run whole instead of as two halves) instead of a memory gather.</para>
/// <para>The scalar forms run the same IEEE operations in the same order (the same table entries, fused
/// multiply-adds as fused multiply-adds, the same clamps), so a vector lane and the scalar form give the
/// same bits for every input, NaN and ±∞ included. Accuracy (float): |f − z·Φ(z)| ≤ 6e-8·(1 + |z|) and
/// f′ within 3e-7 of its terms (the tests' bounds; a few float roundings of Φ's ≈ 1e-7 absolute error).</para>
/// </remarks>
internal static class GeluSingle
{
    private const int Intervals = 8, Degree = 7;
    private const float IntervalsPerUnit = 16f / 9f, Width = 9f / 16f, Cutoff = 4.5f;
    private const float InverseSqrt2 = 0.70710678118654752440f;
    private const double InverseSqrt2Pi = 0.39894228040143267793994605993438187;

    // Degree-major tables: element n·8 + k is the coefficient of xⁿ on interval k.
    private static readonly float[] s_erfc = BuildTable(t => 1 - ErrorFunction.Erf(t));
    private static readonly float[] s_density = BuildTable(t => InverseSqrt2Pi * Math.Exp(-t * t));
    private static readonly float[] s_erfcWide = Widen(s_erfc), s_densityWide = Widen(s_density);
    private static readonly Vector256<float> s_centres = Vector256.Create(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f) * Width;
    private static readonly Vector512<float> s_centres512 = Vec512.Create(s_centres, s_centres);

    /// <summary>Whether the vector forms run (they permute with AVX2).</summary>
    public static bool IsVectorized => Avx2.IsSupported;

    /// <summary>Whether the 512-bit forms run whole (they permute with AVX-512F); otherwise as two 256-bit halves.</summary>
    public static bool IsVectorized512 => Avx512F.IsSupported;

    /// <summary>f(z) = z·Φ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(float z)
    {
        // t = |z|/√2, its interval k and the offset x from the interval's centre.
        float t = MathF.Abs(z) * InverseSqrt2;
        int k = Interval(t);
        float x = t - (k + 0.5f) * Width;
        // h = ½·erfc(t) (0 past the cut-off); f = z·h for z < 0, else z·(1 − h) = z − z·h in one rounding.
        float half = 0.5f * (t < Cutoff ? Polynomial(s_erfc, k, x) : 0f);
        return z < 0 ? z * half : MathF.FusedMultiplyAdd(-z, half, z);
    }

    /// <summary>f'(z) = Φ(z) + z·φ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Slope(float z)
    {
        float t = MathF.Abs(z) * InverseSqrt2;
        int k = Interval(t);
        float x = t - (k + 0.5f) * Width;
        bool inside = t < Cutoff;
        float erfc = inside ? Polynomial(s_erfc, k, x) : 0f;
        float density = inside ? Polynomial(s_density, k, x) : 0f;
        return MathF.FusedMultiplyAdd(z, density, Cdf(z, erfc));
    }

    /// <summary>f(z) for eight lanes (the scalar form's operations per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> z)
    {
        Vector256<float> t = Vector256.Abs(z) * InverseSqrt2;
        Vector256<int> k = Interval(t);
        Vector256<float> x = t - Avx2.PermuteVar8x32(s_centres, k);
        Vector256<float> half = Vector256.Create(0.5f) * Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(Cutoff)), Polynomial(s_erfc, k, x), Vector256<float>.Zero);
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<float>.Zero), z * half, Vector256.FusedMultiplyAdd(-z, half, z));
    }

    /// <summary>f'(z) for eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Slope(Vector256<float> z)
    {
        Vector256<float> t = Vector256.Abs(z) * InverseSqrt2;
        Vector256<int> k = Interval(t);
        Vector256<float> x = t - Avx2.PermuteVar8x32(s_centres, k);
        Vector256<float> inside = Vector256.LessThan(t, Vector256.Create(Cutoff));
        Vector256<float> erfc = Vector256.ConditionalSelect(inside, Polynomial(s_erfc, k, x), Vector256<float>.Zero);
        Vector256<float> density = Vector256.ConditionalSelect(inside, Polynomial(s_density, k, x), Vector256<float>.Zero);
        return Vector256.FusedMultiplyAdd(z, density, Cdf(z, erfc));
    }

    /// <summary>f(z) for sixteen lanes: <see cref="Value(Vector256{float})"/>'s operations per lane (needs AVX-512F).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z)
    {
        Vector512<float> t = Vec512.Abs(z) * InverseSqrt2;
        Vector512<int> k = Interval(t);
        Vector512<float> x = t - Avx512F.PermuteVar16x32(s_centres512, k);
        Vector512<float> half = Vec512.Create(0.5f) * Vec512.ConditionalSelect(Vec512.LessThan(t, Vec512.Create(Cutoff)), Polynomial(s_erfcWide, k, x), Vector512<float>.Zero);
        return Vec512.ConditionalSelect(Vec512.LessThan(z, Vector512<float>.Zero), z * half, Vec512.FusedMultiplyAdd(-z, half, z));
    }

    /// <summary>f'(z) for sixteen lanes (needs AVX-512F).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Slope(Vector512<float> z)
    {
        Vector512<float> t = Vec512.Abs(z) * InverseSqrt2;
        Vector512<int> k = Interval(t);
        Vector512<float> x = t - Avx512F.PermuteVar16x32(s_centres512, k);
        Vector512<float> inside = Vec512.LessThan(t, Vec512.Create(Cutoff));
        Vector512<float> erfc = Vec512.ConditionalSelect(inside, Polynomial(s_erfcWide, k, x), Vector512<float>.Zero);
        Vector512<float> density = Vec512.ConditionalSelect(inside, Polynomial(s_densityWide, k, x), Vector512<float>.Zero);
        Vector512<float> half = Vec512.Create(0.5f) * erfc;
        Vector512<float> cdf = Vec512.ConditionalSelect(Vec512.LessThan(z, Vector512<float>.Zero), half, Vector512<float>.One - half);
        return Vec512.FusedMultiplyAdd(z, density, cdf);
    }

    /// <summary>k = ⌊t·16/9⌋ clamped to 7 (a NaN or large t gives 7, as <c>minps</c> does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Interval(float t)
    {
        float scaled = t * IntervalsPerUnit;
        if (!(scaled < Intervals - 1)) scaled = Intervals - 1;
        return (int)scaled;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Interval(Vector256<float> t)
        => Avx.ConvertToVector256Int32WithTruncation(Avx.Min(t * IntervalsPerUnit, Vector256.Create((float)(Intervals - 1))));

    // vminps keeps the second operand for a NaN, as the 256-bit form does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Interval(Vector512<float> t)
        => Avx512F.ConvertToVector512Int32WithTruncation(Avx512F.Min(t * IntervalsPerUnit, Vec512.Create((float)(Intervals - 1))));

    /// <summary>Φ(z) = ½·erfc(t) for z &lt; 0, else 1 − ½·erfc(t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Cdf(float z, float erfc)
    {
        float half = 0.5f * erfc;
        return z < 0 ? half : 1f - half;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Cdf(Vector256<float> z, Vector256<float> erfc)
    {
        Vector256<float> half = Vector256.Create(0.5f) * erfc;
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<float>.Zero), half, Vector256<float>.One - half);
    }

    /// <summary>Σₙ table[n·8 + k]·xⁿ by Horner's rule, highest degree first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Polynomial(float[] table, int k, float x)
    {
        float sum = table[Degree * Intervals + k];
        for (int n = Degree - 1; n >= 0; n--) sum = MathF.FusedMultiplyAdd(sum, x, table[n * Intervals + k]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Polynomial(float[] table, Vector256<int> k, Vector256<float> x)
    {
        ref float c = ref table[0];
        Vector256<float> sum = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref c, Degree * Intervals), k);
        for (int n = Degree - 1; n >= 0; n--)
            sum = Vector256.FusedMultiplyAdd(sum, x, Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref c, (nuint)(n * Intervals)), k));
        return sum;
    }

    // The same coefficients, each degree's eight repeated to sixteen floats, so one 512-bit load feeds the permute
    // (building the vector from eight floats each time costs a stack round trip per coefficient).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Polynomial(float[] wideTable, Vector512<int> k, Vector512<float> x)
    {
        ref float c = ref wideTable[0];
        Vector512<float> sum = Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref c, Degree * 2 * Intervals), k);
        for (int n = Degree - 1; n >= 0; n--)
            sum = Vec512.FusedMultiplyAdd(sum, x, Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref c, (nuint)(n * 2 * Intervals)), k));
        return sum;
    }

    /// <summary>Each degree's eight coefficients written twice: sixteen floats per degree.</summary>
    private static float[] Widen(float[] table)
    {
        var wide = new float[2 * table.Length];
        for (int n = 0; n <= Degree; n++)
        {
            Array.Copy(table, n * Intervals, wide, 2 * n * Intervals, Intervals);
            Array.Copy(table, n * Intervals, wide, (2 * n + 1) * Intervals, Intervals);
        }
        return wide;
    }

    /// <summary>
    /// The degree-7 Chebyshev interpolant of <paramref name="f"/> on each interval [cₖ − h, cₖ + h] (h = 9/32),
    /// as monomial coefficients in x = t − cₖ: computed in double, stored rounded to float.
    /// </summary>
    private static float[] BuildTable(Func<double, double> f)
    {
        const int nodes = Degree + 1;
        const double h = Width / 2.0;
        var table = new float[nodes * Intervals];
        // Chebyshev polynomials as monomials in u: T₀ = 1, T₁ = u, Tₘ₊₁ = 2u·Tₘ − Tₘ₋₁ (row m, column = power).
        var chebyshevPolynomials = new double[nodes, nodes];
        chebyshevPolynomials[0, 0] = 1;
        chebyshevPolynomials[1, 1] = 1;
        for (int m = 2; m < nodes; m++)
            for (int i = 0; i < nodes; i++)
                chebyshevPolynomials[m, i] = (i > 0 ? 2 * chebyshevPolynomials[m - 1, i - 1] : 0) - chebyshevPolynomials[m - 2, i];
        for (int k = 0; k < Intervals; k++)
        {
            double centre = (k + 0.5) * Width;
            var monomial = new double[nodes];
            for (int m = 0; m < nodes; m++)
            {
                // cₘ = (2/N)·Σⱼ f(c + h·uⱼ)·cos(π m (j + ½)/N) at the nodes uⱼ = cos(π (j + ½)/N); c₀ halved.
                double sum = 0;
                for (int j = 0; j < nodes; j++)
                    sum += f(centre + h * Math.Cos(Math.PI * (j + 0.5) / nodes)) * Math.Cos(Math.PI * m * (j + 0.5) / nodes);
                double coefficient = (m == 0 ? 1.0 : 2.0) / nodes * sum;
                // Σₘ cₘ·Tₘ(u) as monomials in u, then in x = h·u (coefficient of xⁱ = that of uⁱ ÷ hⁱ).
                for (int i = 0; i < nodes; i++) monomial[i] += coefficient * chebyshevPolynomials[m, i];
            }
            for (int i = 0; i < nodes; i++) table[i * Intervals + k] = (float)(monomial[i] / Math.Pow(h, i));
        }
        return table;
    }
}

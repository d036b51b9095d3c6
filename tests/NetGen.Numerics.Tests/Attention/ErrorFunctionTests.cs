using System;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>erf against 28-digit decimal references, and GELU's value and derivative.</summary>
public class ErrorFunctionTests(ITestOutputHelper output)
{
    /// <summary>√π in decimal by Newton's iteration from π to 28 digits.</summary>
    private static readonly decimal SqrtPi = DecimalSqrt(3.1415926535897932384626433833m);

    private static decimal DecimalSqrt(decimal a)
    {
        decimal x = (decimal)Math.Sqrt((double)a);
        for (int i = 0; i < 6; i++) x = (x + a / x) / 2;
        return x;
    }

    /// <summary>
    /// erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(2n+1)!! in decimal (28 digits; every term positive, so no
    /// cancellation), e^(−x²) as 1/Σ x^(2k)/k!. Good to ~1e-25 on [0, 6.5].
    /// </summary>
    internal static double ReferenceErf(double xd)
    {
        // (decimal)double keeps only 15 digits; the round-trip string keeps 17 (within 0.1 ulp of xd).
        decimal x = decimal.Parse(Math.Abs(xd).ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture), x2 = x * x;
        decimal exp = 1, term = 1;
        for (int k = 1; k < 400 && term > exp * 1e-28m; k++) { term *= x2 / k; exp += term; }
        decimal sum = x, t = x;
        for (int n = 1; n < 600 && t > sum * 1e-28m; n++) { t *= 2 * x2 / (2 * n + 1); sum += t; }
        double r = (double)(2 / SqrtPi * sum / exp);
        return xd < 0 ? -r : r;
    }

    [Fact]
    public void ReferenceMatchesPublishedValues()
    {
        // erf(0.5), erf(1), erf(2), erf(3) to 19 digits (Abramowitz & Stegun table 7.1, extended).
        Assert.True(Math.Abs(0.5204998778130465377 - ReferenceErf(0.5)) <= 1e-17, "erf(0.5)");
        Assert.True(Math.Abs(0.8427007929497148693 - ReferenceErf(1.0)) <= 1e-17, "erf(1.0)");
        Assert.True(Math.Abs(0.9953222650189527342 - ReferenceErf(2.0)) <= 1e-17, "erf(2.0)");
        Assert.True(Math.Abs(0.9999779095030014146 - ReferenceErf(3.0)) <= 1e-17, "erf(3.0)");
    }

    [Fact]
    public void DoubleErfIsWithinTwoUlpsOfOne()
    {
        double worst = 0, worstAt = 0;
        for (int i = -10000; i <= 10000; i++)
        {
            double x = i * 6.5e-4;
            double error = Math.Abs(ErrorFunction.Erf(x) - ReferenceErf(x));
            if (error > worst) { worst = error; worstAt = x; }
        }
        // Tiny and special arguments.
        foreach (double x in new[] { 1e-300, -1e-300, 1e-10, 3.1e-5, 0.0624999, 0.0625, 0.0625001, 5.999999, 6.0, 7.0 })
            worst = Math.Max(worst, Math.Abs(ErrorFunction.Erf(x) - ReferenceErf(x)));
        output.WriteLine($"erf double: max |error| {worst:E3} (at x = {worstAt})");
        Assert.True(worst <= 2.3e-16, $"max |error| {worst:E3} at {worstAt}");
        Assert.True(Math.Abs(1e-300 * ErrorFunction.TwoOverSqrtPi - ErrorFunction.Erf(1e-300)) <= 1e-315, "erf(1e-300)");
        Assert.Equal(1.0, ErrorFunction.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, ErrorFunction.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(ErrorFunction.Erf(double.NaN)));
        Assert.Equal(0.0, ErrorFunction.Erf(0.0));
    }

    [Fact]
    public void FloatErfIsWithinHalfAnUlp()
    {
        double worstUlps = 0;
        for (int i = -10000; i <= 10000; i++)
        {
            float x = i * 6.5e-4f;
            double reference = ReferenceErf(x);
            float got = ErrorFunction.Erf(x);
            double ulp = Math.Max(double.Epsilon, MathF.BitIncrement(MathF.Abs((float)reference)) - MathF.Abs((float)reference));
            Assert.True(Math.Abs(got - reference) <= 0.5 * ulp + 4e-10, $"erf({x}) = {got}, reference {reference:R}");
            worstUlps = Math.Max(worstUlps, Math.Abs(got - reference) / ulp);
        }
        output.WriteLine($"erf float: max error {worstUlps:F3} ulp");
        // Half an ulp of rounding plus the degree-6 truncation (< 4e-10, under 0.01 ulp of values ≥ 0.05).
        Assert.True(worstUlps <= 0.51, $"{worstUlps} ulp");
    }

    [Fact]
    public void GeluForwardMatchesItsDefinition()
    {
        var op = default(GeluOperator<double>);
        var opf = default(GeluOperator<float>);
        for (int i = -800; i <= 800; i++)
        {
            double x = i * 0.01;
            // nn.GELU(): x·½(1 + erf(x/√2)).
            double expected = x * 0.5 * (1 + ReferenceErf(x / Math.Sqrt(2)));
            Assert.True(Math.Abs(op.Invoke(x) - expected) <= 4e-16 * (1 + Math.Abs(x)), $"gelu({x}) = {op.Invoke(x):R}, expected {expected:R}");
            Assert.True(Math.Abs(opf.Invoke((float)x) - (float)x * 0.5 * (1 + ReferenceErf((float)x / Math.Sqrt(2)))) <= 6e-8 * (1 + Math.Abs(x)), $"float gelu({x})");
        }
        Assert.Equal(0.0, op.Invoke(0.0));
        Assert.Equal(0.8413447460685429, op.Invoke(1.0), 15); // Φ(1)
    }

    [Fact]
    public void FloatGeluAndItsDerivativeMatchDoublePrecisionEverywhere()
    {
        // The float form's piecewise polynomials (8 intervals of t = |z|/√2 up to 4.5, then erfc = φ = 0) against the
        // double form, on a grid finer than an interval and across every interval edge and the cut-off (|z| = 6.36).
        var op = default(GeluOperator<double>);
        var opf = default(GeluOperator<float>);
        double worstValue = 0, worstSlope = 0;
        for (int i = -40000; i <= 40000; i++)
        {
            float z = i * 3e-4f;
            double exact = op.Invoke(z), slope = op.Derivative(z, exact);
            double valueError = Math.Abs(opf.Invoke(z) - exact) / (1 + Math.Abs(z));
            double slopeError = Math.Abs(opf.Derivative(z, (float)exact) - slope) / (1 + Math.Abs(z) * Math.Exp(-0.5 * z * z));
            Assert.True(valueError <= 6e-8, $"float gelu({z}) = {opf.Invoke(z):R}, double {exact:R}");
            Assert.True(slopeError <= 3e-7, $"float gelu'({z}) = {opf.Derivative(z, (float)exact):R}, double {slope:R}");
            worstValue = Math.Max(worstValue, valueError);
            worstSlope = Math.Max(worstSlope, slopeError);
        }
        output.WriteLine($"float GELU: worst |f − f_double|/(1 + |z|) = {worstValue:E2}, worst f' error = {worstSlope:E2}");
        Assert.Equal(0f, opf.Invoke(0f));
        Assert.Equal(1e4f, opf.Invoke(1e4f));
        Assert.Equal(0f, opf.Invoke(-1e4f));
        Assert.Equal(1f, opf.Derivative(1e4f, 1e4f));
    }

    [Fact]
    public void GeluDerivativeMatchesFiniteDifferences()
    {
        var op = default(GeluOperator<double>);
        double h = 1e-5;
        for (int i = -600; i <= 600; i++)
        {
            double x = i * 0.0137;
            double numeric = (op.Invoke(x + h) - op.Invoke(x - h)) / (2 * h);
            double analytic = op.Derivative(x, op.Invoke(x));
            Assert.True(Math.Abs(numeric - analytic) <= 1e-9, $"gelu'({x}): analytic {analytic:R}, numeric {numeric:R}");
        }
    }

    [Fact] public void GeluVectorFormsMatchTheScalarFormFloat() => GeluVectorFormsMatchTheScalarForm<float>(3e-7);
    [Fact] public void GeluVectorFormsMatchTheScalarFormDouble() => GeluVectorFormsMatchTheScalarForm<double>(1e-15);

    /// <summary>
    /// Float GELU's 512-bit forms (sixteen lanes at once with AVX-512F) give the bits of its 256-bit forms, f and f′,
    /// on every branch: the intervals, the cut-off, signs, ±0, ±∞ and NaN.
    /// </summary>
    [Fact]
    public void FloatGeluWholeWidthVectorsMatchTheHalfWidthOnes()
    {
        var op = default(GeluOperator<float>);
        float[] special = [0, -0.0f, 1e-30f, -1e-30f, 0.3f, -0.3f, 0.795f, 5.9999f, 6.0f, 6.364f, 8.49f, -8.49f, 30, -30, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon];
        float[] z = TestData.Random<float>(4096, 23, 8.0);
        special.CopyTo(z, 0);
        for (int i = 0; i + 16 <= z.Length; i += 16)
        {
            var whole = System.Runtime.Intrinsics.Vector512.Create<float>(z.AsSpan(i, 16));
            var lower = System.Runtime.Intrinsics.Vector512.GetLower(whole);
            var upper = System.Runtime.Intrinsics.Vector512.GetUpper(whole);
            var value = op.Invoke(whole);
            var slope = op.Derivative(whole, whole);
            for (int j = 0; j < 16; j++)
            {
                float halfValue = j < 8 ? op.Invoke(lower)[j] : op.Invoke(upper)[j - 8];
                float halfSlope = j < 8 ? op.Derivative(lower, lower)[j] : op.Derivative(upper, upper)[j - 8];
                Assert.True(BitConverter.SingleToInt32Bits(value[j]) == BitConverter.SingleToInt32Bits(halfValue), $"f({z[i + j]}): {value[j]} vs {halfValue}");
                Assert.True(BitConverter.SingleToInt32Bits(slope[j]) == BitConverter.SingleToInt32Bits(halfSlope), $"f'({z[i + j]}): {slope[j]} vs {halfSlope}");
            }
        }
    }

    /// <summary>The driver loops (vector forms where the operator has them) against the scalar forms, every branch.</summary>
    private static void GeluVectorFormsMatchTheScalarForm<T>(double derivativeTolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var op = default(GeluOperator<T>);
        double[] special = [0, -0.0, 1e-30, -1e-30, 5.9999, 6.0, 8.4852, 8.49, -8.49, 9, -9, 30, -30, 1e4, -1e4, double.PositiveInfinity, double.NegativeInfinity, double.NaN];
        int n = 4099;
        T[] z = TestData.Random<T>(n, 17, 10.0), a = new T[n], da = TestData.Random<T>(n, 18), dz = new T[n];
        for (int i = 0; i < special.Length; i++) z[i * 7] = T.CreateTruncating(special[i]);
        Activations.Forward(op, z, a);
        TestData.BitEqual<T>(a, Array.ConvertAll(z, op.Invoke), $"{typeof(T).Name} GELU vector vs scalar");
        Activations.Backward(op, z, a, da, dz);
        for (int i = 0; i < n; i++)
        {
            double expected = double.CreateTruncating(da[i] * op.Derivative(z[i], a[i]));
            if (double.IsNaN(expected)) { Assert.True(T.IsNaN(dz[i]), $"dz[{i}] NaN"); continue; }
            // Relative to the terms of Φ(z) + z·φ(z) (they cancel near z = −0.75), not to their sum.
            double zi = double.CreateTruncating(z[i]);
            double terms = Math.Abs(double.CreateTruncating(da[i])) * (1 + Math.Abs(zi) * Math.Exp(-0.5 * zi * zi));
            TestData.Near(dz[i], expected, terms + 1e-30, derivativeTolerance, $"{typeof(T).Name} GELU' at {z[i]}");
        }
    }
}

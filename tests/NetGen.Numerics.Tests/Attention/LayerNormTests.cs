using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>LayerNorm: values against PyTorch's formula, gradients by finite differences (constant rows included).</summary>
public class LayerNormTests
{
    /// <summary>nn.LayerNorm: (x − mean)/√(biased var + ε)·γ + β, per row.</summary>
    private static double[] Reference(double[] x, double[] w, double[] b, int rows, int width)
    {
        var y = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < width; i++) mean += x[r * width + i];
            mean /= width;
            for (int i = 0; i < width; i++) variance += Math.Pow(x[r * width + i] - mean, 2);
            variance /= width;
            for (int i = 0; i < width; i++) y[r * width + i] = (x[r * width + i] - mean) / Math.Sqrt(variance + 1e-5) * w[i] + b[i];
        }
        return y;
    }

    private static double[] Input(int rows, int width, int seed, bool constantRows)
    {
        double[] x = FiniteDifferences.Random(rows * width, seed, 2.0);
        // Offsets far from 0 test the two-pass variance; constant rows test σ² = 0 exactly.
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < width; i++)
                x[r * width + i] = constantRows && r % 2 == 0 ? 3.25 : x[r * width + i] + 100 * (r % 3);
        return x;
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(3, 1, true)]
    [InlineData(3, 17, false)]
    [InlineData(7, 17, true)]
    [InlineData(5, 3, true)]
    public void ForwardMatchesTheFormula(int rows, int width, bool constantRows)
    {
        double[] x = Input(rows, width, rows * 31 + width, constantRows);
        double[] w = FiniteDifferences.Random(width, 5), b = FiniteDifferences.Random(width, 6);
        double[] y = new double[rows * width], mean = new double[rows], rstd = new double[rows];
        LayerNorm.Forward<double>(x, w, b, y, mean, rstd, rows, width);
        double[] expected = Reference(x, w, b, rows, width);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"y[{i}] = {y[i]:R}, expected {expected[i]:R}");
        if (constantRows)
            for (int i = 0; i < width; i++) Assert.Equal(b[i], y[i]); // x̂ = 0 exactly: y = β

        // float agrees with double to float precision (same inputs rounded).
        float[] yf = new float[rows * width], meanf = new float[rows], rstdf = new float[rows];
        LayerNorm.Forward<float>(FiniteDifferences.ToFloat(x), FiniteDifferences.ToFloat(w), FiniteDifferences.ToFloat(b), yf, meanf, rstdf, rows, width);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(yf[i] - y[i]) <= 2e-4 * (1 + Math.Abs(y[i])), $"float y[{i}] = {yf[i]}, double {y[i]}");
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(1, 3, false)]
    [InlineData(3, 17, false)]
    [InlineData(4, 7, true)]
    [InlineData(3, 1, true)]
    public void GradientsMatchFiniteDifferences(int rows, int width, bool constantRows)
    {
        double[] x = Input(rows, width, rows * 7 + width, constantRows);
        double[] w = FiniteDifferences.Random(width, 8), b = FiniteDifferences.Random(width, 9), r = FiniteDifferences.Random(rows * width, 10);
        double[] y = new double[rows * width], mean = new double[rows], rstd = new double[rows];
        double Loss()
        {
            LayerNorm.Forward<double>(x, w, b, y, mean, rstd, rows, width);
            return FiniteDifferences.Dot(r, y);
        }
        Loss();
        double[] dx = new double[rows * width], dw = new double[width], db = new double[width];
        LayerNorm.Backward<double>(r, x, w, mean, rstd, dx, dw, db, rows, width);
        // A constant row sits where σ² = 0 (a kink of √(σ² + ε) is smooth, so differences still apply); h
        // small against √ε keeps the difference quotient on the quadratic part.
        FiniteDifferences.Check("dx", x, dx, Loss, h: 1e-6, tolerance: 1e-5);
        FiniteDifferences.Check("dweight", w, dw, Loss);
        FiniteDifferences.Check("dbias", b, db, Loss);

        // Accumulation adds into dweight/dbias.
        double[] dw2 = (double[])dw.Clone(), db2 = (double[])db.Clone();
        LayerNorm.Backward<double>(r, x, w, mean, rstd, dx, dw2, db2, rows, width, accumulate: true);
        for (int i = 0; i < width; i++) { Assert.Equal(2 * dw[i], dw2[i], 12); Assert.Equal(2 * db[i], db2[i], 12); }
    }

    [Fact]
    public void ShortSpansAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => LayerNorm.Forward<float>(new float[5], new float[3], new float[3], new float[6], new float[2], new float[2], 2, 3));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("6", e.Message);
    }
}

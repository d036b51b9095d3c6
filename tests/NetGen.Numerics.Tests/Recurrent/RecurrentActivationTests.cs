using System;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>The cells' own float σ and tanh (RecurrentActivations) against the double-precision functions, and the padded product width.</summary>
public class RecurrentActivationTests
{
    /// <summary>Every float z on a fine grid over [−100, 100], plus the edges where the exponential clamps.</summary>
    private static float[] Grid()
    {
        var z = new float[40_011];
        for (int i = 0; i < 40_000; i++) z[i] = -100f + i * 0.005f;
        float[] edges = [-87.5f, -87f, -86.9f, 88f, 88.5f, 0f, -0f, 1e-30f, -1e-30f, 0.0625f, -0.0625f];
        edges.CopyTo(z, 40_000);
        return z;
    }

    [Fact]
    public void Float_sigmoid_is_within_three_ulps_of_the_exact_value()
    {
        float[] z = Grid(), y = new float[z.Length];
        RecurrentActivations.Sigmoid<float>(z, y);
        for (int i = 0; i < z.Length; i++)
        {
            double exact = 1.0 / (1.0 + Math.Exp(-(double)z[i]));
            // Relative 3 float ulps (2⁻²³ each) or, where σ underflows toward 0, 1e-37 absolute.
            double tolerance = Math.Max(3 * exact / 8_388_608.0, 1e-37);
            Assert.True(Math.Abs(y[i] - exact) <= tolerance, $"σ({z[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Float_tanh_is_within_three_ulps_of_the_exact_value_and_odd()
    {
        float[] z = Grid(), y = new float[z.Length];
        RecurrentActivations.Tanh<float>(z, y);
        for (int i = 0; i < z.Length; i++)
        {
            double exact = Math.Tanh(z[i]);
            double tolerance = Math.Max(3 * Math.Abs(exact) / 8_388_608.0, 1e-44);
            Assert.True(Math.Abs(y[i] - exact) <= tolerance, $"tanh({z[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
        // Odd: the grid is symmetric about 0 (z[i] = −z[39_999 − i] up to float rounding of the grid).
        float[] pair = [0.7f, -0.7f, 3.25f, -3.25f], t = new float[8];
        RecurrentActivations.Tanh<float>([.. pair, .. pair], t);
        Assert.Equal(t[0], -t[1]);
        Assert.Equal(t[2], -t[3]);
    }

    [Fact]
    public void Double_activations_agree_with_the_runtime_functions()
    {
        double[] z = [-30, -3, -0.5, -0.01, 0, 0.01, 0.5, 3, 30, 1.5, -1.5];
        double[] s = new double[z.Length], t = new double[z.Length];
        RecurrentActivations.Sigmoid<double>(z, s);
        RecurrentActivations.Tanh<double>(z, t);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(Math.Abs(s[i] - 1 / (1 + Math.Exp(-z[i]))) <= 1e-15, $"σ({z[i]})");
            Assert.True(Math.Abs(t[i] - Math.Tanh(z[i])) <= 1e-15, $"tanh({z[i]})");
        }
    }

    [Theory]
    [InlineData(512, 520)]   // LSTM 4H = 512 floats: a multiple of 1 KiB, padded by one vector
    [InlineData(384, 384)]   // GRU 3H = 384 floats (1,536 bytes): not padded
    [InlineData(4, 4)]
    [InlineData(256, 264)]
    public void Padded_width_adds_one_vector_to_rows_that_are_multiples_of_1_KiB(int units, int expected)
        => Assert.Equal(expected, RecurrentProducts.PaddedWidth<float>(units));
}

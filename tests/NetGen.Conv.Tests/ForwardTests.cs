using System;
using NetGen.Conv.Tests.Networks;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>Forward values against the textbook loops in <see cref="Reference"/>, and the shapes the generator inferred.</summary>
public class ForwardTests
{
    [Fact]
    public void Strided_padded_Conv2D_matches_the_reference()
    {
        var net = new StridedConv();
        GradientCheck.Jitter(net, 1);
        const int batch = 4;
        double[] x = Reference.Random(batch * StridedConv.InputSize, 2);
        var y = new double[batch * StridedConv.OutputSize];
        net.Predict(x, y, batch);
        ReadOnlySpan<double> p = net.Parameters;
        double[] z = Reference.Conv2D(x, p.Slice(0, 2 * 3 * 3 * 3), p.Slice(54, 2), batch, 3, 5, 7, 2, 3, 2, 1);
        Assert.Equal(z.Length, y.Length);
        for (int i = 0; i < z.Length; i++) Assert.Equal(Math.Tanh(z[i]), y[i], 1e-12);
    }

    [Fact]
    public void Pooling_matches_the_reference()
    {
        const int batch = 2;
        double[] x = Reference.Random(batch * MaxPoolOnly.InputSize, 3);
        var max = new double[batch * MaxPoolOnly.OutputSize];
        new MaxPoolOnly().Predict(x, max, batch);
        Assert.Equal(Reference.Pool2D(x, batch, 3, 5, 7, 3, 2, max: true), max);

        double[] x1 = Reference.Random(batch * AvgPoolOnly.InputSize, 4);
        var avg = new double[batch * AvgPoolOnly.OutputSize];
        new AvgPoolOnly().Predict(x1, avg, batch);
        double[] expected = Reference.Pool2D(x1, batch, 1, 5, 7, 3, 2, max: false);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], avg[i], 1e-14);
    }

    [Fact]
    public void Float_LeNet5_first_convolution_matches_the_reference()
    {
        // Float runs the vectorised paths (16 floats per Vector512): LeNet-5's first convolution, with its initial weights.
        var net = new LeNet5();
        const int batch = 2;
        double[] xd = Reference.Random(batch * LeNet5.InputSize, 5);
        float[] x = Array.ConvertAll(xd, v => (float)v);
        float[] w = net.Parameters.Slice(0, 150).ToArray(), b = net.Parameters.Slice(150, 6).ToArray();
        double[] z = Reference.Conv2D(xd, Array.ConvertAll(w, v => (double)v), Array.ConvertAll(b, v => (double)v), batch, 1, 28, 28, 6, 5, 1, 2);
        var columns = new float[new NetGen.Numerics.Conv2DShape(1, 28, 28, 6, 5, 1, 2).ColumnsSize];
        var y = new float[z.Length];
        NetGen.Numerics.Convolution.Forward<float>(x, w, b, y, columns, batch, new NetGen.Numerics.Conv2DShape(1, 28, 28, 6, 5, 1, 2));
        for (int i = 0; i < z.Length; i++) Assert.Equal(z[i], y[i], 1e-5);
    }

    [Fact]
    public void Summary_shows_the_inferred_shapes_and_parameter_counts()
    {
        string s = LeNet5.Summary;
        Assert.Contains("layers.0 (Conv2D, ReLU)", s);
        Assert.Contains("(None, 6, 28, 28)", s);
        Assert.Contains("(None, 6, 14, 14)", s);
        Assert.Contains("(None, 16, 10, 10)", s);
        Assert.Contains("(None, 16, 5, 5)", s);
        Assert.Contains("(None, 400)", s);
        Assert.Contains("2,416", s);
        Assert.Contains("Total params: 61,706", s);
        Assert.Equal(61706, LeNet5.ParameterCount);
        Assert.Equal(2 * 3 * 4, StridedConv.OutputSize);
        Assert.Equal(3 * 5 * 7, StridedConv.InputSize);
    }

    [Fact]
    public void Parameter_tensors_use_PyTorch_names_and_shapes()
    {
        var tensors = LeNet5.ParameterTensors;
        Assert.Equal("layers.0.weight", tensors[0].Name);
        Assert.Equal(new[] { 6, 1, 5, 5 }, tensors[0].Shape);
        Assert.Equal("layers.0.bias", tensors[1].Name);
        Assert.Equal(new[] { 6 }, tensors[1].Shape);
        Assert.Equal("layers.2.weight", tensors[2].Name);
        Assert.Equal(new[] { 16, 6, 5, 5 }, tensors[2].Shape);
        Assert.Equal(new[] { 120, 400 }, tensors[4].Shape);
    }

    [Fact]
    public void Initialisation_uses_He_bounds_with_fan_in_channels_k_k()
    {
        var net = new LeNet5();
        double bound1 = Math.Sqrt(6.0 / 25), bound2 = Math.Sqrt(6.0 / 150);
        float max1 = 0, max2 = 0;
        foreach (float v in net.Parameters.Slice(0, 150)) max1 = Math.Max(max1, Math.Abs(v));
        foreach (float v in net.Parameters.Slice(156, 2400)) max2 = Math.Max(max2, Math.Abs(v));
        Assert.InRange(max1, 0.8 * bound1, bound1);
        Assert.InRange(max2, 0.9 * bound2, bound2);
        foreach (float v in net.Parameters.Slice(150, 6)) Assert.Equal(0f, v);
    }
}

using System;
using System.Linq;
using NetGen.Conv.Tests.Networks;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>
/// Issue 17 item 8: strides that do not divide (padded size − kernel) are declarable, sized as PyTorch
/// sizes them (⌊(n + 2p − k)/s⌋ + 1), and the kernels read only whole windows: forward values against
/// the textbook loops, gradients against finite differences in double.
/// </summary>
public class NonDividingStrideTests
{
    private const int Batch = 3;

    [Fact]
    public void Shapes_are_PyTorchs_floor()
    {
        Assert.Equal(17 * 4 * 4, NonDividingConv.OutputSize);
        Assert.Contains("(None, 17, 4, 4)", NonDividingConv.Summary);
        Assert.Contains("(None, 3, 4, 5)", NonDividingDiscriminator.Summary);
        Assert.Contains("(None, 3, 2, 2)", NonDividingDiscriminator.Summary);
        Assert.Contains("(None, 3, 3, 3)", NonDividingAvgPool.Summary);
        Assert.Equal(3 * 3 * 3, NonDividingMaxPool.OutputSize);
    }

    [Fact]
    public void Convolution_forward_matches_the_reference_in_double_and_float()
    {
        var net = new NonDividingConv();
        GradientCheck.Jitter(net, 1);
        double[] x = Reference.Random(Batch * NonDividingConv.InputSize, 2);
        var y = new double[Batch * NonDividingConv.OutputSize];
        net.Predict(x, y, Batch);
        ReadOnlySpan<double> p = net.Parameters;
        double[] z = Reference.Conv2D(x, p.Slice(0, 17 * 27), p.Slice(17 * 27, 17), Batch, 3, 8, 8, 17, 3, 2, 1);
        Assert.Equal(z.Length, y.Length);
        for (int i = 0; i < z.Length; i++) Assert.Equal(Math.Tanh(z[i]), y[i], 1e-12);

        var f = new NonDividingConvFloat();
        float[] xf = x.Select(v => (float)v).ToArray();
        var yf = new float[Batch * NonDividingConvFloat.OutputSize];
        f.Predict(xf, yf, Batch);
        double[] pf = f.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] zf = Reference.Conv2D(xf.Select(v => (double)v).ToArray(), pf.AsSpan(0, 17 * 27), pf.AsSpan(17 * 27, 17), Batch, 3, 8, 8, 17, 3, 2, 1);
        for (int i = 0; i < zf.Length; i++) Assert.Equal(zf[i], yf[i], 1e-5);
    }

    [Fact]
    public void Pooling_forward_matches_the_reference_in_double_and_float()
    {
        double[] x = Reference.Random(Batch * NonDividingMaxPool.InputSize, 3);
        var max = new double[Batch * NonDividingMaxPool.OutputSize];
        new NonDividingMaxPool().Predict(x, max, Batch);
        Assert.Equal(Reference.Pool2D(x, Batch, 3, 7, 8, 3, 2, max: true), max);

        float[] xf = x.Select(v => (float)v).ToArray();
        var maxf = new float[Batch * NonDividingMaxPoolFloat.OutputSize];
        new NonDividingMaxPoolFloat().Predict(xf, maxf, Batch);
        double[] expected = Reference.Pool2D(xf.Select(v => (double)v).ToArray(), Batch, 3, 7, 8, 3, 2, max: true);
        for (int i = 0; i < expected.Length; i++) Assert.Equal((float)expected[i], maxf[i]);
    }

    [Fact]
    public void Average_pooling_forward_matches_the_reference()
    {
        // Dense(3) set to pick the first three pooled values, so the output shows the pooling.
        var net = new NonDividingAvgPool();
        net.Parameters.Clear();
        for (int u = 0; u < 3; u++) net.Parameters[u * 27 + u] = 1;
        double[] x = Reference.Random(Batch * NonDividingAvgPool.InputSize, 4);
        var y = new double[Batch * NonDividingAvgPool.OutputSize];
        net.Predict(x, y, Batch);
        double[] pooled = Reference.Pool2D(x, Batch, 3, 7, 8, 3, 2, max: false);
        for (int b = 0; b < Batch; b++)
            for (int u = 0; u < 3; u++) Assert.Equal(pooled[b * 27 + u], y[b * 3 + u], 1e-14);
    }

    [Fact]
    public void Convolution_gradients_match_finite_differences()
    {
        var net = new NonDividingConv();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 300);
    }

    [Fact]
    public void Discriminator_with_max_pooling_gradients_match_finite_differences()
    {
        var net = new NonDividingDiscriminator();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 400);
    }

    [Fact]
    public void Average_and_max_pooling_gradients_match_finite_differences()
    {
        var avg = new NonDividingAvgPool();
        Check(avg, avg.Forward, avg.Backward, () => avg.InputGradients.ToArray(), 500);
        var max = new NonDividingMaxPool();
        Check(max, max.Forward, max.Backward, () => max.InputGradients.ToArray(), 600);
    }

    private static void Check(INetwork<double> net, ForwardPass forward, BackwardPass backward, Func<double[]> inputGradients, int seed)
    {
        GradientCheck.Jitter(net, seed);
        (double[] x, double[] t) = GradientCheck.Batch(net, Batch, seed + 10, probabilities: false);
        if (net.ParameterCount > 0) GradientCheck.Parameters(net, x, t, Batch);
        GradientCheck.Inputs(net, forward, backward, inputGradients, x, Batch, seed + 20);
    }
}

using System;
using NetGen.Conv.Tests.Networks;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>
/// Finite-difference checks of every new layer's backward pass, in double precision: parameter
/// gradients (ComputeGradients → Gradients) and input gradients (Forward + Backward → InputGradients).
/// </summary>
public class GradientTests
{
    private const int Batch = 3;

    private static void Check(INetwork<double> net, ForwardPass forward, BackwardPass backward, Func<double[]> inputGradients, int seed, bool probabilities = false)
    {
        GradientCheck.Jitter(net, seed);
        (double[] x, double[] t) = GradientCheck.Batch(net, Batch, seed + 10, probabilities);
        if (net.ParameterCount > 0) GradientCheck.Parameters(net, x, t, Batch);
        GradientCheck.Inputs(net, forward, backward, inputGradients, x, Batch, seed + 20);
    }

    [Fact]
    public void Conv2D_with_stride_2_padding_1_and_3_channels()
    {
        var net = new StridedConv();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 100);
    }

    [Fact]
    public void Conv2D_with_1_channel_then_MaxPool2D_and_Dense()
    {
        var net = new ConvMaxPoolDense();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 200);
    }

    [Fact]
    public void Conv2D_ReLU_then_overlapping_AvgPool2D_and_Dense()
    {
        var net = new ConvAvgPoolDense();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 300);
    }

    [Fact]
    public void Overlapping_MaxPool2D_on_the_input_then_Conv2D_Swish()
    {
        var net = new OverlappingMaxPoolConv();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 400);
    }

    [Fact]
    public void AvgPool2D_alone()
    {
        var net = new AvgPoolOnly();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 500);
    }

    [Fact]
    public void MaxPool2D_alone()
    {
        var net = new MaxPoolOnly();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 600);
    }

    [Fact]
    public void PReLU_per_channel_on_Conv2D_and_as_a_layer_over_an_image()
    {
        var net = new ConvPReLU();
        Assert.Equal(new[] { 2 }, FindTensor(net, "layers.0.prelu.weight").Shape);
        Assert.Equal(new[] { 3 }, FindTensor(net, "layers.2.weight").Shape);
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 700);
    }

    [Fact]
    public void Small_LeNet_with_softmax_cross_entropy()
    {
        var net = new TinyLeNetDouble();
        Check(net, net.Forward, net.Backward, () => net.InputGradients.ToArray(), 800, probabilities: true);
    }

    private static ParameterTensor FindTensor(INetwork<double> net, string name)
    {
        foreach (ParameterTensor t in net.ParameterTensors) if (t.Name == name) return t;
        throw new Xunit.Sdk.XunitException($"no tensor {name}");
    }
}

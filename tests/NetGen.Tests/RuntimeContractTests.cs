using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>The generated members DESIGN.md §2 promises: sizes, layout, seeds, errors, summary.</summary>
public class RuntimeContractTests
{
    [Fact]
    public void SizesAndLayoutArePyTorchs()
    {
        Assert.Equal(784, DigitClassifier.InputSize);
        Assert.Equal(10, DigitClassifier.OutputSize);
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, DigitClassifier.ParameterCount);
        var tensors = DigitClassifier.ParameterTensors;
        Assert.Equal(new[] { "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias" }, tensors.Select(t => t.Name));
        Assert.Equal(new[] { 128, 784 }, tensors[0].Shape);
        Assert.Equal(100352, tensors[1].Offset);
        Assert.Equal(new[] { 6, 7 }, GcOdd17.ParameterTensors.Single(t => t.Name == "layers.1.weight").Shape); // Maxout(3, 2) over 7 inputs
        Assert.Equal("layers.0.prelu.weight", GcPReLU.ParameterTensors[2].Name);
        Assert.Equal(0.25, new GcPReLU().Parameters[GcPReLU.ParameterTensors[2].Offset]);
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalParametersAndAnotherSeedDoesNot()
    {
        var a = new DigitClassifier(5);
        var b = new DigitClassifier(5);
        var c = new DigitClassifier(6);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        Assert.False(a.Parameters.SequenceEqual(c.Parameters));
        Assert.True(new DigitClassifier().Parameters.SequenceEqual(new DigitClassifier(DigitClassifier.DefaultSeed).Parameters));
    }

    [Fact]
    public void InitialisationUsesHeBeforeReLUAndGlorotOtherwiseWithZeroBiases()
    {
        var net = new DigitClassifier(1);
        var w0 = net.Parameters.Slice(0, 784 * 128).ToArray();
        double he = Math.Sqrt(6.0 / 784), glorot = Math.Sqrt(6.0 / (128 + 10));
        Assert.True(w0.Max() <= he && w0.Min() >= -he && w0.Max() > 0.9 * he);
        var w2 = net.Parameters.Slice(100480, 1280).ToArray();
        Assert.True(w2.Max() <= glorot && w2.Max() > 0.9 * glorot);
        Assert.All(net.Parameters.Slice(100352, 128).ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void WrongSizesThrowNamingTheExpectedSize()
    {
        var net = new DigitClassifier();
        var e = Assert.Throws<ArgumentException>(() => net.Predict(new float[783], new float[10]));
        Assert.Contains("784", e.Message);
        e = Assert.Throws<ArgumentException>(() => net.TrainStep(new float[784 * 2], new float[10 * 3], 2));
        Assert.Contains("20", e.Message);
        Assert.Equal("targets", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Predict(ReadOnlySpan<float>.Empty, Span<float>.Empty, 0));
    }

    [Fact]
    public void SummaryIsAKerasTable()
    {
        Assert.Contains("Model: \"DigitClassifier\"", DigitClassifier.Summary);
        Assert.Contains("layers.0 (Dense, ReLU)", DigitClassifier.Summary);
        Assert.Contains("(None, 128)", DigitClassifier.Summary);
        Assert.Contains("100,480", DigitClassifier.Summary);
        Assert.Contains("Total params: 101,770", DigitClassifier.Summary);
    }

    [Fact]
    public void FindNonFiniteLayerNamesTheFirstBrokenLayer()
    {
        var net = new GcOdd1();
        double[] x = { 0.5 }, t = { 0.1 };
        net.ComputeGradients(x, t, 1);
        Assert.Null(net.FindNonFiniteLayer());
        net.Parameters[GcOdd1.ParameterTensors.Single(p => p.Name == "layers.2.bias").Offset] = double.NaN;
        net.ComputeGradients(x, t, 1);
        Assert.Equal("layers.2 (parameter layers.2.bias)", net.FindNonFiniteLayer());
    }
}

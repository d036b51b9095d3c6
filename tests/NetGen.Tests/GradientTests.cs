using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>Every activation, loss and layer kind, and whole odd-sized networks, against finite differences.</summary>
public class GradientTests
{
    private static void Check<TNet>(Loss loss, int batch, int seed = 1) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        double[] x = GradientCheck.Random(batch * net.InputSize, seed + 100);
        double[] t = GradientCheck.Targets(batch, net.OutputSize, loss, seed + 200);
        GradientCheck.Parameters(net, x, t, batch);
    }

    [Theory, InlineData(1), InlineData(5)] public void Linear(int batch) => Check<GcLinear>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void Sigmoid(int batch) => Check<GcSigmoid>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void Tanh(int batch) => Check<GcTanh>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void ReLU(int batch) => Check<GcReLU>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void LeakyReLU(int batch) => Check<GcLeakyReLU>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void PReLU(int batch) => Check<GcPReLU>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void ELU(int batch) => Check<GcELU>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void Swish(int batch) => Check<GcSwish>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void GELU(int batch) { Check<GcGelu>(Loss.MeanSquaredError, batch); Check<GcGeluLayer>(Loss.MeanSquaredError, batch); }
    [Theory, InlineData(1), InlineData(5)] public void SoftmaxThroughItsJacobian(int batch) => Check<GcSoftmaxMse>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void SoftmaxCrossEntropyFromLogits(int batch) => Check<GcSoftmaxCrossEntropy>(Loss.CrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void SigmoidBinaryCrossEntropyFromLogits(int batch) => Check<GcSigmoidBce>(Loss.BinaryCrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void BinaryCrossEntropyOnProbabilities(int batch) => Check<GcSoftmaxBce>(Loss.BinaryCrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void CrossEntropyOnProbabilities(int batch) => Check<GcSigmoidCrossEntropy>(Loss.CrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void StandaloneActivationLayers(int batch) => Check<GcActivationLayers>(Loss.CrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void PReLULayer(int batch) => Check<GcPReLULayer>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void Maxout(int batch) => Check<GcMaxout>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void OddSizes_1_3_7_17(int batch) => Check<GcOdd1>(Loss.MeanSquaredError, batch);
    [Theory, InlineData(1), InlineData(5)] public void OddSizes_17_7_3(int batch) => Check<GcOdd17>(Loss.CrossEntropy, batch);
    [Theory, InlineData(1), InlineData(5)] public void OddSizes_7_17_3_1(int batch) => Check<GcOdd7>(Loss.BinaryCrossEntropy, batch);

    private static void CheckBackward<TNet>(int batch, int seed = 3) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        GradientCheck.ThroughBackward(net, GradientCheck.Random(batch * net.InputSize, seed + 7), batch, seed + 11);
    }

    [Theory, InlineData(1), InlineData(5)] public void DropoutThroughBackward(int batch) => CheckBackward<GcDropout>(batch);
    [Theory, InlineData(1), InlineData(5)] public void MaxoutThroughBackward(int batch) => CheckBackward<GcMaxout>(batch);
    [Theory, InlineData(1), InlineData(5)] public void PReLUThroughBackward(int batch) { CheckBackward<GcPReLU>(batch); CheckBackward<GcPReLULayer>(batch); }
    [Theory, InlineData(1), InlineData(5)] public void SoftmaxThroughBackward(int batch) { CheckBackward<GcSoftmaxMse>(batch); CheckBackward<GcActivationLayers>(batch); }
    [Theory, InlineData(1), InlineData(5)] public void WholeNetworksThroughBackward(int batch) { CheckBackward<GcOdd1>(batch); CheckBackward<GcOdd17>(batch); CheckBackward<GcLinear>(batch); CheckBackward<GcTanh>(batch); }

    [Fact]
    public void DropoutIsOffInPredictAndComputeLoss()
    {
        var net = new GcDropout();
        double[] x = GradientCheck.Random(3 * GcDropout.InputSize, 5);
        double[] a = new double[3 * GcDropout.OutputSize], b = new double[a.Length];
        net.Predict(x, a, 3);
        net.Forward(x, b, 3);          // training mode: dropout on
        Assert.NotEqual(a, b);
        net.Predict(x, b, 3);
        Assert.Equal(a, b);
    }

    [Fact]
    public void FloatNetworkMatchesItsDoubleTwin()
    {
        var f = new TwinFloat(3);
        var d = new TwinDouble(3);
        for (int i = 0; i < d.Parameters.Length; i++) d.Parameters[i] = f.Parameters[i];
        const int batch = 5;
        double[] x = GradientCheck.Random(batch * TwinDouble.InputSize, 9);
        double[] t = GradientCheck.Targets(batch, TwinDouble.OutputSize, Loss.CrossEntropy, 10);
        double lossD = d.ComputeGradients(x, t, batch);
        float lossF = f.ComputeGradients(x.Select(v => (float)v).ToArray(), t.Select(v => (float)v).ToArray(), batch);
        Assert.Equal(lossD, lossF, 1e-5);
        double scale = d.Gradients.ToArray().Max(Math.Abs);
        for (int i = 0; i < d.Gradients.Length; i++)
            Assert.True(Math.Abs(d.Gradients[i] - f.Gradients[i]) <= 1e-5 * scale + 1e-4 * Math.Abs(d.Gradients[i]), $"gradient {i}: {d.Gradients[i]} vs {f.Gradients[i]}");
    }
}

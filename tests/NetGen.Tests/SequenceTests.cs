using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Sequence inputs [t, f]: layers without a time axis apply at every time step (batch × time rows), checked
/// against a hand computation and finite differences in double precision, and shown as (None, t, f) by Summary.
/// </summary>
public class SequenceTests
{
    private static void Check<TNet>(Loss loss, int batch, int seed = 1) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        double[] x = GradientCheck.Random(batch * net.InputSize, seed + 100);
        double[] t = GradientCheck.Targets(batch, net.OutputSize, loss, seed + 200);
        GradientCheck.Parameters(net, x, t, batch);
    }

    private static void CheckBackward<TNet>(int batch, int seed = 3) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        GradientCheck.ThroughBackward(net, GradientCheck.Random(batch * net.InputSize, seed + 7), batch, seed + 11);
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void DenseAtEveryTimeStep_Parameters(int batch) => Check<GcSequenceDense>(Loss.MeanSquaredError, batch);

    [Theory, InlineData(1), InlineData(3)]
    public void SequenceOutput_Parameters(int batch) { Check<GcSequencePReLU>(Loss.MeanSquaredError, batch); Check<GcSequenceSoftmax>(Loss.MeanSquaredError, batch); }

    [Theory, InlineData(1), InlineData(3)]
    public void ThroughBackward_InputGradientsAndDropout(int batch)
    {
        CheckBackward<GcSequenceDense>(batch);
        CheckBackward<GcSequenceOut>(batch);
        CheckBackward<GcSequenceSoftmax>(batch);
    }

    [Fact]
    public void DenseOnASequenceIsNnLinearOnTheLastDimension()
    {
        // y = W₂·flatten(tanh(x_t·W₁ᵀ + b₁) for t = 0..4) + b₂, computed here from the parameters by hand.
        var net = new GcSequenceDense();
        net.InitializeParameters(7);
        const int batch = 3, t = 5, f = 3, u = 4, outputs = 2;
        double[] x = GradientCheck.Random(batch * t * f, 9);
        double[] y = new double[batch * outputs];
        net.Predict(x, y, batch);
        double[] p = net.Parameters.ToArray();
        int w1 = Offset(net, "layers.0.weight"), b1 = Offset(net, "layers.0.bias"), w2 = Offset(net, "layers.2.weight"), b2 = Offset(net, "layers.2.bias");
        for (int s = 0; s < batch; s++)
        {
            double[] hidden = new double[t * u];
            for (int step = 0; step < t; step++)
                for (int j = 0; j < u; j++)
                {
                    double z = p[b1 + j];
                    for (int k = 0; k < f; k++) z += p[w1 + j * f + k] * x[s * t * f + step * f + k];
                    hidden[step * u + j] = Math.Tanh(z);
                }
            for (int o = 0; o < outputs; o++)
            {
                double z = p[b2 + o];
                for (int k = 0; k < t * u; k++) z += p[w2 + o * t * u + k] * hidden[k];
                Assert.Equal(z, y[s * outputs + o], 12);
            }
        }
        Assert.Equal(new[] { 4, 3 }, GcSequenceDense.ParameterTensors.Single(x => x.Name == "layers.0.weight").Shape);
    }

    [Fact]
    public void SummaryShowsTimeAndFeatures()
    {
        Assert.Contains("(None, 5, 3)", GcSequenceDense.Summary);
        Assert.Contains("(None, 5, 4)", GcSequenceDense.Summary);
        Assert.Contains("(None, 20)", GcSequenceDense.Summary);
        Assert.Contains("(None, 3, 1)", GcSequenceOut.Summary);
        Assert.Equal(15, GcSequenceDense.InputSize);
        Assert.Equal(3, GcSequenceOut.OutputSize);
    }

    private static int Offset<TNet>(TNet net, string name) where TNet : INetwork<double>
        => net.ParameterTensors.Single(t => t.Name == name).Offset;
}

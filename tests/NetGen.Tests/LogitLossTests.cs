using System;
using System.Linq;
using NetGen.Data;
using NetGen.Tests.Networks;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests;

/// <summary>Issue 17 item 1: a Linear output with CrossEntropy or BCE is read as logits, as PyTorch's losses do.</summary>
public class LogitLossTests
{
    private static readonly float[] ReproInput = { 1, -1, 1, -1 };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void IssueReproGivesAFiniteLossForEveryTargetEqualToPyTorchs(int target)
    {
        var net = new LogitRepro();
        float[] t = new float[3];
        t[target] = 1;
        float loss = net.ComputeLoss(ReproInput, t, 1);
        Assert.True(float.IsFinite(loss), $"target {target}: loss {loss}");
        // Predict returns the logits z; the loss is CrossEntropyLoss's log Σ e^z − z_target.
        float[] z = new float[3];
        net.Predict(ReproInput, z);
        Assert.NotEqual(1.0, z.Sum(v => (double)v), 3); // not probabilities
        double expected = Math.Log(z.Sum(v => Math.Exp(v))) - z[target];
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void IssueReproTrainsWithTrainerFit()
    {
        // Three classes, each a noisy copy of a prototype input.
        float[][] prototypes = { new float[] { 1, -1, 1, -1 }, new float[] { -1, 1, -1, 1 }, new float[] { 1, 1, -1, -1 } };
        var rng = Numerics.SplitMix64.FromSeed(5);
        int count = 60;
        float[] x = new float[count * 4], t = new float[count * 3];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < 4; j++) x[i * 4 + j] = prototypes[i % 3][j] + 0.2f * (float)(2 * rng.NextDouble() - 1);
            t[i * 3 + i % 3] = 1;
        }
        var net = new LogitRepro();
        float before = net.ComputeLoss(x, t, count);
        History history = Trainer.Fit(net, new Dataset(x, t, count, 4, 3), new TrainingOptions { Epochs = 20, BatchSize = 10, Seed = 1 });
        Assert.False(history.StoppedOnNonFiniteLoss, history.StopReason);
        Assert.Equal(20, history.Epochs.Count);
        float after = net.ComputeLoss(x, t, count);
        Assert.True(after < before / 4, $"loss {before} → {after}");
        float[] z = new float[3];
        for (int i = 0; i < 3; i++)
        {
            net.Predict(prototypes[i], z);
            Assert.Equal(i, Array.IndexOf(z, z.Max()));
        }
    }

    [Fact]
    public void HugeLogitsGiveFiniteLossAndGradients()
    {
        var net = new GcLogitCrossEntropy();
        net.Parameters.Fill(0);
        // The last layer's bias makes the logits ±1e4.
        ParameterTensor bias = GcLogitCrossEntropy.ParameterTensors.Single(p => p.Name == "layers.1.bias");
        net.Parameters[bias.Offset] = 1e4;
        net.Parameters[bias.Offset + 1] = -1e4;
        double loss = net.ComputeGradients(new double[] { 0.1, 0.2, 0.3 }, new double[] { 0, 1, 0 }, 1);
        Assert.Equal(2e4, loss, 6);
        Assert.All(net.Gradients.ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void CrossEntropyFromLogitsGradientMatchesFiniteDifferences()
    {
        foreach (int batch in new[] { 1, 3 })
        {
            var net = new GcLogitCrossEntropy(batch);
            GradientCheck.Parameters(net, GradientCheck.Random(batch * 3, 10 + batch), GradientCheck.Targets(batch, 3, Loss.CrossEntropy, 20 + batch), batch);
            var wide = new GcLogitCrossEntropy17(batch);
            GradientCheck.Parameters(wide, GradientCheck.Random(batch * 3, 30 + batch), GradientCheck.Targets(batch, 17, Loss.CrossEntropy, 40 + batch), batch);
        }
    }

    [Fact]
    public void BinaryCrossEntropyFromLogitsGradientMatchesFiniteDifferencesAndPyTorchsFormula()
    {
        foreach (int batch in new[] { 1, 3, 17 })
        {
            var net = new GcLogitBinaryCrossEntropy(batch);
            double[] x = GradientCheck.Random(batch * 17, 50 + batch), t = GradientCheck.Targets(batch, 1, Loss.BinaryCrossEntropy, 60 + batch);
            GradientCheck.Parameters(net, x, t, batch);
            // BCEWithLogitsLoss: mean of max(z, 0) − z·t + log(1 + e^−|z|) over the logits Predict returns.
            double[] z = new double[batch];
            net.Predict(x, z, batch);
            double expected = z.Select((v, i) => Math.Max(v, 0) - v * t[i] + Math.Log(1 + Math.Exp(-Math.Abs(v)))).Average();
            Assert.Equal(expected, net.ComputeLoss(x, t, batch), 12);
        }
    }

    [Fact]
    public void ProbabilityCrossEntropyOnNegativeOutputsIsFiniteNotNaN()
    {
        // Tanh outputs can be negative: log y is undefined there and counts as the −100 floor (NETGEN100 says so).
        var net = new TanhCrossEntropy();
        double[] x = { 0.5, -0.25, 1 };
        double[] y = new double[3];
        net.Predict(x, y);
        for (int target = 0; target < 3; target++)
        {
            double[] t = new double[3];
            t[target] = 1;
            double loss = net.ComputeLoss(x, t, 1);
            Assert.True(double.IsFinite(loss), $"target {target}: output {y[target]}, loss {loss}");
            Assert.Equal(y[target] > 0 ? -Math.Max(Math.Log(y[target]), -100) : 100, loss, 9);
        }
        Assert.Contains(y, v => v <= 0);
    }
}

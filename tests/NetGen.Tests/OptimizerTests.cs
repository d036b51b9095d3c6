using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>A few steps of each optimizer against torch.optim's update formulas computed here by hand.</summary>
public class OptimizerTests
{
    private const double WeightDecay = 0.01;

    private static void Run<TNet>(Action<double[], double[], int> expectedUpdate) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        const int batch = 4;
        double[] x = GradientCheck.Random(batch * net.InputSize, 21);
        double[] t = GradientCheck.Random(batch * net.OutputSize, 22);
        double[] w = net.Parameters.ToArray();
        for (int step = 1; step <= 4; step++)
        {
            net.ComputeGradients(x, t, batch);
            double[] g = net.Gradients.ToArray();
            expectedUpdate(w, g, step);
            net.TrainStep(x, t, batch);
            for (int i = 0; i < w.Length; i++)
                Assert.True(Math.Abs(w[i] - net.Parameters[i]) <= 1e-12 * (1 + Math.Abs(w[i])), $"{typeof(TNet).Name} step {step} parameter {i}: expected {w[i]:R}, got {net.Parameters[i]:R}");
        }
        Assert.Equal(4, net.OptimizerStep);
    }

    [Fact]
    public void Sgd() => Run<OptSgd>((w, g, _) =>
    {
        for (int i = 0; i < w.Length; i++) w[i] -= 0.1 * (g[i] + WeightDecay * w[i]);
    });

    [Fact]
    public void Momentum()
    {
        double[]? v = null;
        Run<OptMomentum>((w, g, _) =>
        {
            v ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double gi = g[i] + WeightDecay * w[i];
                v[i] = 0.8 * v[i] + gi;      // torch: buf = momentum·buf + g (buf = g at the first step)
                w[i] -= 0.1 * v[i];
            }
        });
    }

    [Fact]
    public void RmsProp()
    {
        double[]? s = null;
        Run<OptRmsProp>((w, g, _) =>
        {
            s ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double gi = g[i] + WeightDecay * w[i];
                s[i] = 0.9 * s[i] + 0.1 * gi * gi;
                w[i] -= 0.01 * gi / (Math.Sqrt(s[i]) + 1e-6);
            }
        });
    }

    [Fact]
    public void Adam()
    {
        double[]? m = null, v = null;
        Run<OptAdam>((w, g, step) =>
        {
            m ??= new double[w.Length];
            v ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double gi = g[i] + WeightDecay * w[i];
                m[i] = 0.8 * m[i] + 0.2 * gi;
                v[i] = 0.95 * v[i] + 0.05 * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(0.8, step)), vHat = v[i] / (1 - Math.Pow(0.95, step));
                w[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-6);
            }
        });
    }

    [Fact]
    public void DefaultLearningRatesFollowTheContract()
    {
        Assert.Equal(0.01, new GcLinear().LearningRate, 12);     // Sgd default
        Assert.Equal(0.001, new DigitClassifier().LearningRate, 12);
        Assert.Equal(0.1, new OptSgd().LearningRate, 6);
    }
}

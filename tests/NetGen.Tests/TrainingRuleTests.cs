using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>AdamW (decoupled decay on matrices only) and ClipNorm through TrainStep, against their formulas by hand.</summary>
public class TrainingRuleTests
{
    /// <summary>torch.optim.AdamW on one value: w·(1 − lr·λ), then the Adam step with bias corrections.</summary>
    private static void AdamW(double[] w, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps, Func<int, double> decay, int step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            double wi = w[i] * (1 - lr * decay(i));
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.Pow(b1, step)), vHat = v[i] / (1 - Math.Pow(b2, step));
            w[i] = wi - lr * mHat / (Math.Sqrt(vHat) + eps);
        }
    }

    /// <summary>λ for flat index i: the declared decay on tensors of two or more dimensions, 0 on biases and norms.</summary>
    private static Func<int, double> MatricesOnly<TNet>(TNet net, double lambda) where TNet : INetwork<double>
        => i => net.ParameterTensors.Last(t => t.Offset <= i).Shape.Length >= 2 ? lambda : 0;

    private static void CheckAdamW<TNet>(double lr, double lambda, double beta2) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        var reference = new TNet();
        int n = net.ParameterCount;
        double[] w = reference.Parameters.ToArray(), m = new double[n], v = new double[n];
        double[] x = GradientCheck.Random(4 * net.InputSize, 1), t = GradientCheck.Random(4 * net.OutputSize, 2);
        for (int step = 1; step <= 4; step++)
        {
            // The gradient at the current parameters (both copies hold the same w), then the update by hand.
            w.CopyTo(reference.Parameters);
            reference.ComputeGradients(x, t, 4);
            double[] g = reference.Gradients.ToArray();
            AdamW(w, g, m, v, lr, 0.9, beta2, 1e-8, MatricesOnly(net, lambda), step);
            net.TrainStep(x, t, 4);
            for (int i = 0; i < n; i++) Assert.Equal(w[i], net.Parameters[i], 12);
        }
        // Decay on the vectors too (biases, LayerNorm's weight of ones) would have given other values: the rule is observable.
        var everything = new TNet();
        double[] w2 = everything.Parameters.ToArray(), m2 = new double[n], v2 = new double[n];
        everything.ComputeGradients(x, t, 4);
        AdamW(w2, everything.Gradients.ToArray(), m2, v2, lr, 0.9, beta2, 1e-8, _ => lambda, 1);
        var once = new TNet();
        once.TrainStep(x, t, 4);
        double largest = once.ParameterTensors.Where(p => p.Shape.Length == 1)
            .SelectMany(p => Enumerable.Range(p.Offset, p.Shape[0])).Max(i => Math.Abs(w2[i] - once.Parameters[i]));
        Assert.True(largest > 1e-7, $"decaying the vectors changes them by at most {largest}");
    }

    [Fact] public void AdamWIsTorchsFormulaWithDecayOnMatricesOnly() => CheckAdamW<AdamWNet>(0.05, 0.3, 0.99);

    [Fact] public void AdamWDecaysBy0_01UnlessTold() => CheckAdamW<AdamWDefaultNet>(0.001, 0.01, 0.999);

    [Fact]
    public void ClipNormScalesTheGradientByHand()
    {
        var net = new ClipNet();
        var reference = new ClipNet();
        double[] x = GradientCheck.Random(3 * ClipNet.InputSize, 5, 3), t = GradientCheck.Random(3 * ClipNet.OutputSize, 6, 4);
        for (int step = 0; step < 3; step++)
        {
            net.Parameters.CopyTo(reference.Parameters);
            double[] w = reference.Parameters.ToArray();
            reference.ComputeGradients(x, t, 3);
            double[] g = reference.Gradients.ToArray();
            // ‖g‖₂ over every parameter; w −= lr·g·min(1, c/(‖g‖ + 1e-6)).
            double norm = Math.Sqrt(g.Sum(v => v * v));
            Assert.True(norm > 0.25, $"the test needs a gradient norm above the clip, got {norm}");
            double scale = Math.Min(1, 0.25 / (norm + 1e-6));
            net.TrainStep(x, t, 3);
            for (int i = 0; i < w.Length; i++) Assert.Equal(w[i] - 0.1 * g[i] * scale, net.Parameters[i], 12);
            // The clipped gradient is what Gradients holds after the step (clip_grad_norm_ works in place).
            Assert.Equal(0.25, Math.Sqrt(net.Gradients.ToArray().Sum(v => v * v)), 5);
        }
    }
}

using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>AdamW against torch.optim.AdamW's update written out by hand; gradient clipping; warm-up + cosine schedule.</summary>
public class OptimizerAndScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void AdamWFollowsTorchOverSeveralSteps(int n)
    {
        double lr = 1e-2, beta1 = 0.9, beta2 = 0.99, eps = 1e-8, lambda = 0.1;
        double[] w = FiniteDifferences.Random(n, 1), m = new double[n], v = new double[n];
        double[] we = (double[])w.Clone(), me = new double[n], ve = new double[n];
        float[] wf = FiniteDifferences.ToFloat(w), mf = new float[n], vf = new float[n];
        for (int step = 1; step <= 5; step++)
        {
            double[] g = FiniteDifferences.Random(n, 10 + step);
            Optimizers.AdamW<double>(w, g, m, v, lr, beta1, beta2, eps, lambda, step);
            Optimizers.AdamW<float>(wf, FiniteDifferences.ToFloat(g), mf, vf, (float)lr, (float)beta1, (float)beta2, (float)eps, (float)lambda, step);
            for (int i = 0; i < n; i++)
            {
                // torch.optim.AdamW, one parameter: decay first, then Adam with bias correction, ε outside √.
                we[i] *= 1 - lr * lambda;
                me[i] = beta1 * me[i] + (1 - beta1) * g[i];
                ve[i] = beta2 * ve[i] + (1 - beta2) * g[i] * g[i];
                double mHat = me[i] / (1 - Math.Pow(beta1, step)), vHat = ve[i] / (1 - Math.Pow(beta2, step));
                we[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
                Assert.True(Math.Abs(w[i] - we[i]) <= 1e-15 * (1 + Math.Abs(we[i])), $"step {step} w[{i}] = {w[i]:R}, expected {we[i]:R}");
                Assert.Equal(me[i], m[i], 15);
                Assert.True(Math.Abs(wf[i] - we[i]) <= 1e-6 * (1 + Math.Abs(we[i])), $"float step {step} w[{i}]");
            }
        }
    }

    [Fact]
    public void AdamWWithoutDecayIsAdam()
    {
        double[] w = FiniteDifferences.Random(33, 2), w2 = (double[])w.Clone(), g = FiniteDifferences.Random(33, 3);
        double[] m = new double[33], v = new double[33], m2 = new double[33], v2 = new double[33];
        Optimizers.AdamW<double>(w, g, m, v, 1e-3, 0.9, 0.999, 1e-8, 0, 1);
        Optimizers.Adam<double>(w2, g, m2, v2, 1e-3, 0.9, 0.999, 1e-8, 0, 1);
        Assert.Equal(w2, w);
    }

    [Fact]
    public void ClippingScalesTheGlobalNormAsClipGradNorm()
    {
        double[] g = [3, 4];
        Assert.Equal(5.0, GradientClipping.ClipNorm<double>(g, 1.0));
        // clip_grad_norm_: g·maxNorm/(‖g‖ + 1e-6).
        Assert.Equal(3 / (5 + 1e-6), g[0], 15);
        Assert.Equal(4 / (5 + 1e-6), g[1], 15);
        double[] small = [0.3, 0.4];
        Assert.Equal(0.5, GradientClipping.ClipNorm<double>(small, 1.0), 15);
        Assert.Equal([0.3, 0.4], small);
    }

    [Fact]
    public void WarmupCosineMatchesNanoGptAtKeySteps()
    {
        // The ShakespeareGpt configuration: 100 warm-up steps to 1e-3, cosine to 1e-4 at step 2000.
        var s = new Training.WarmupCosineSchedule(100, 2000, 1e-3, 1e-4);
        Assert.Equal(1e-3 * 1 / 101, s.RateAt(0), 1e-18);
        Assert.Equal(1e-3 * 50 / 101, s.RateAt(49), 1e-18);
        Assert.Equal(1e-3 * 100 / 101, s.RateAt(99), 1e-18);
        Assert.Equal(1e-3, s.RateAt(100), 1e-18);                    // the peak
        Assert.Equal(1e-4 + 0.5 * 9e-4, s.RateAt(1050), 1e-17);      // half way: cos(π/2) = 0
        Assert.Equal(1e-4 + 0.5 * (1 + Math.Cos(Math.PI * 0.25)) * 9e-4, s.RateAt(575), 1e-17);
        Assert.Equal(1e-4, s.RateAt(2000), 1e-18);
        Assert.Equal(1e-4, s.RateAt(5000), 1e-18);
        for (int t = 101; t <= 2000; t++) Assert.True(s.RateAt(t) <= s.RateAt(t - 1), $"non-increasing after the warm-up at {t}");
        // As an epoch schedule through LearningRateScheduler, the peak is the initial rate.
        Assert.Equal(0.5 * 3 / 101, s.RateAt(2, 0.5), 1e-18);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Training.WarmupCosineSchedule(10, 10, 1, 0));
    }
}

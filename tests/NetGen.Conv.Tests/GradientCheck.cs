using System;
using NetGen;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>The composition API a generated network has besides <see cref="INetwork{T}"/>.</summary>
internal delegate void ForwardPass(ReadOnlySpan<double> inputs, Span<double> outputs, int batchSize);
internal delegate void BackwardPass(ReadOnlySpan<double> outputGradient, int batchSize);

/// <summary>
/// Central-difference gradient checks in double precision, with torch.autograd.gradcheck's
/// defaults: step 1e-6, |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|.
/// </summary>
internal static class GradientCheck
{
    public const double Step = 1e-6, AbsoluteTolerance = 1e-5, RelativeTolerance = 1e-3;

    /// <summary>Random inputs and targets for a batch (targets one-hot-ish softmax rows for CrossEntropy, values otherwise).</summary>
    public static (double[] X, double[] T) Batch(INetwork<double> net, int batch, int seed, bool probabilities = false)
    {
        double[] x = Reference.Random(batch * net.InputSize, seed);
        double[] t = Reference.Random(batch * net.OutputSize, seed + 1);
        if (probabilities)
            for (int b = 0; b < batch; b++)
            {
                double sum = 0;
                for (int o = 0; o < net.OutputSize; o++) sum += t[b * net.OutputSize + o] = Math.Abs(t[b * net.OutputSize + o]);
                for (int o = 0; o < net.OutputSize; o++) t[b * net.OutputSize + o] /= sum;
            }
        return (x, t);
    }

    /// <summary>Moves every parameter a little off its initial value, so zero biases and equal slopes are tested too.</summary>
    public static void Jitter(INetwork<double> net, int seed)
    {
        double[] noise = Reference.Random(net.ParameterCount, seed, 0.1);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += noise[i];
    }

    /// <summary>d(loss)/d(parameters) from ComputeGradients against central differences of ComputeLoss.</summary>
    public static void Parameters(INetwork<double> net, double[] x, double[] t, int batch)
    {
        net.ComputeGradients(x, t, batch);
        double[] analytic = net.Gradients.ToArray();
        Span<double> p = net.Parameters;
        Assert.Equal(net.ParameterCount, analytic.Length);
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + Step;
            double plus = net.ComputeLoss(x, t, batch);
            p[i] = saved - Step;
            double minus = net.ComputeLoss(x, t, batch);
            p[i] = saved;
            Compare(analytic[i], (plus - minus) / (2 * Step), () => $"parameter {i} ({TensorOf(net, i)})");
        }
    }

    /// <summary>d(Σ g·y)/d(x) from Forward + Backward(g) + InputGradients against central differences of Predict.</summary>
    public static void Inputs(INetwork<double> net, ForwardPass forward, BackwardPass backward, Func<double[]> inputGradients, double[] x, int batch, int seed)
    {
        double[] g = Reference.Random(batch * net.OutputSize, seed);
        var y = new double[batch * net.OutputSize];
        forward(x, y, batch);
        backward(g, batch);
        double[] analytic = inputGradients();
        Assert.Equal(x.Length, analytic.Length);
        double[] probe = (double[])x.Clone();
        for (int i = 0; i < probe.Length; i++)
        {
            probe[i] = x[i] + Step;
            double plus = Dot(net, probe, g, batch);
            probe[i] = x[i] - Step;
            double minus = Dot(net, probe, g, batch);
            probe[i] = x[i];
            Compare(analytic[i], (plus - minus) / (2 * Step), () => $"input {i}");
        }
    }

    private static double Dot(INetwork<double> net, double[] x, double[] g, int batch)
    {
        var y = new double[g.Length];
        net.Predict(x, y, batch);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += g[i] * y[i];
        return s;
    }

    private static void Compare(double analytic, double numeric, Func<string> what)
    {
        if (!(Math.Abs(analytic - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric)))
            Assert.Fail($"{what()}: analytic {analytic:R}, numeric {numeric:R}");
    }

    private static string TensorOf(INetwork<double> net, int index)
    {
        foreach (ParameterTensor t in net.ParameterTensors)
            if (index >= t.Offset && index < t.Offset + t.Length) return $"{t.Name}[{index - t.Offset}]";
        return "?";
    }
}

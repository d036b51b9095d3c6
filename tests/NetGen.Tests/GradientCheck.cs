using System;
using System.Linq;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Tests;

/// <summary>Central finite differences in double precision, with torch.autograd.gradcheck's tolerances.</summary>
internal static class GradientCheck
{
    public const double Step = 1e-6, AbsoluteTolerance = 1e-5, RelativeTolerance = 1e-3;

    /// <summary>Random values in [−1, 1) from a seed.</summary>
    public static double[] Random(int count, int seed, double scale = 1.0)
    {
        var rng = SplitMix64.FromSeed(seed);
        return Enumerable.Range(0, count).Select(_ => (2 * rng.NextDouble() - 1) * scale).ToArray();
    }

    /// <summary>Targets that suit the loss: one-hot rows for cross entropy, 0/1 for BCE, values for MSE.</summary>
    public static double[] Targets(int batch, int outputs, Loss loss, int seed)
    {
        var rng = SplitMix64.FromSeed(seed);
        var t = new double[batch * outputs];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outputs; o++)
                t[b * outputs + o] = loss switch
                {
                    Loss.CrossEntropy => 0,
                    Loss.BinaryCrossEntropy => rng.NextDouble() < 0.5 ? 0 : 1,
                    _ => 2 * rng.NextDouble() - 1,
                };
        if (loss == Loss.CrossEntropy)
            for (int b = 0; b < batch; b++) t[b * outputs + (int)(rng.NextUInt64() % (ulong)outputs)] = 1;
        return t;
    }

    public static void AssertClose(double numeric, double analytic, string what)
    {
        double error = Math.Abs(numeric - analytic);
        Assert.True(error <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric),
            $"{what}: finite difference {numeric:R}, analytic {analytic:R}, error {error:E2}");
    }

    /// <summary>Names the parameter tensor that holds flat index <paramref name="i"/>.</summary>
    public static string TensorOf<TNet>(TNet net, int i) where TNet : INetwork<double>
    {
        ParameterTensor t = net.ParameterTensors.Last(t => t.Offset <= i);
        return $"{t.Name}[{i - t.Offset}]";
    }

    /// <summary>Checks d(loss)/d(parameters) from ComputeGradients against differences of ComputeLoss.</summary>
    public static void Parameters<TNet>(TNet net, double[] x, double[] t, int batch) where TNet : INetwork<double>
    {
        double loss = net.ComputeGradients(x, t, batch);
        Assert.True(double.IsFinite(loss));
        double[] analytic = net.Gradients.ToArray();
        Assert.Contains(analytic, g => g != 0);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double original = net.Parameters[i];
            net.Parameters[i] = original + Step;
            double plus = net.ComputeLoss(x, t, batch);
            net.Parameters[i] = original - Step;
            double minus = net.ComputeLoss(x, t, batch);
            net.Parameters[i] = original;
            AssertClose((plus - minus) / (2 * Step), analytic[i], typeof(TNet).Name + " " + TensorOf(net, i));
        }
    }

    /// <summary>
    /// Checks the layers' backward pass alone, dropout included: L = Σ r ⊙ Forward(x) with the dropout
    /// stream rewound for every evaluation; Backward(r) gives d(L)/d(parameters) and d(L)/d(x).
    /// </summary>
    public static void ThroughBackward<TNet>(TNet net, double[] x, int batch, int seed) where TNet : INetwork<double>, IComposable
    {
        int outputs = net.OutputSize;
        double[] r = Random(batch * outputs, seed);
        double[] y = new double[batch * outputs];
        ulong state = net.RandomState;
        double Objective(double[] input)
        {
            net.RandomState = state;
            net.Forward(input, y, batch);
            return y.Zip(r, (a, b) => a * b).Sum();
        }
        Objective(x);
        net.Backward(r, batch);
        double[] parameterGradients = net.Gradients.ToArray();
        double[] inputGradients = net.InputGradients.ToArray();
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double original = net.Parameters[i];
            net.Parameters[i] = original + Step;
            double plus = Objective(x);
            net.Parameters[i] = original - Step;
            double minus = Objective(x);
            net.Parameters[i] = original;
            AssertClose((plus - minus) / (2 * Step), parameterGradients[i], typeof(TNet).Name + " " + TensorOf(net, i));
        }
        for (int i = 0; i < x.Length; i++)
        {
            double original = x[i];
            x[i] = original + Step;
            double plus = Objective(x);
            x[i] = original - Step;
            double minus = Objective(x);
            x[i] = original;
            AssertClose((plus - minus) / (2 * Step), inputGradients[i], $"{typeof(TNet).Name} input[{i}]");
        }
    }
}

/// <summary>
/// The two-argument Backward every generated network has (Forward, InputGradients and the accumulating
/// Backward are on <see cref="INetwork{T}"/> itself now).
/// </summary>
public interface IComposable
{
    void Backward(ReadOnlySpan<double> outputGradient, int batchSize);
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using NetGen.Trust.Tests.Cases;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Reference;
using Xunit;

namespace NetGen.Trust.Tests;

/// <summary>
/// Numerical stability: logits of ±1e4 into Softmax+CE and Sigmoid+BCE, targets exactly 0 and 1, and
/// zero gradients into Adam and RMSprop. Results must be finite and match the double reference.
/// </summary>
public sealed class StabilityTests
{
    private static CaseSpec Spec(string name, Loss loss, Optimizer optimizer, bool dbl, params LayerDesc[] layers) => new()
    {
        ClassName = name, InputSize = 2, Layers = layers, Loss = loss, Optimizer = optimizer, Double = dbl, Seed = 1, LearningRate = "0.01f", BatchSize = 2, Steps = 2,
    };

    private static readonly CaseSpec[] Specs =
    {
        Spec("SoftmaxCeF", Loss.CrossEntropy, Optimizer.Adam, false, new LayerDesc(LayerKind.Dense, 3, Activation: Activation.Softmax)),
        Spec("SoftmaxCeD", Loss.CrossEntropy, Optimizer.Adam, true, new LayerDesc(LayerKind.Dense, 3, Activation: Activation.Softmax)),
        Spec("SoftmaxLayerCeF", Loss.CrossEntropy, Optimizer.RmsProp, false, new LayerDesc(LayerKind.Dense, 3), new LayerDesc(LayerKind.Activation, Activation: Activation.Softmax)),
        Spec("SigmoidBceF", Loss.BinaryCrossEntropy, Optimizer.Adam, false, new LayerDesc(LayerKind.Dense, 3, Activation: Activation.Sigmoid)),
        Spec("SigmoidBceD", Loss.BinaryCrossEntropy, Optimizer.RmsProp, true, new LayerDesc(LayerKind.Dense, 3, Activation: Activation.Sigmoid)),
        Spec("SigmoidLayerBceD", Loss.BinaryCrossEntropy, Optimizer.Sgd, true, new LayerDesc(LayerKind.Dense, 3), new LayerDesc(LayerKind.Activation, Activation: Activation.Sigmoid)),
        Spec("ZeroGradAdamF", Loss.MeanSquaredError, Optimizer.Adam, false, new LayerDesc(LayerKind.Dense, 3)),
        Spec("ZeroGradAdamD", Loss.MeanSquaredError, Optimizer.Adam, true, new LayerDesc(LayerKind.Dense, 3)),
        Spec("ZeroGradRmsF", Loss.MeanSquaredError, Optimizer.RmsProp, false, new LayerDesc(LayerKind.Dense, 3)),
        Spec("ZeroGradRmsD", Loss.MeanSquaredError, Optimizer.RmsProp, true, new LayerDesc(LayerKind.Dense, 3)),
    };

    private static readonly Lazy<LoadedCases> s_loaded = new(() => CaseCompiler.CompileAndLoad(DifferentialSuite.Source(Specs, "TrustStability")
        + "[Network(Seed = 1)] [Input(8)] [Dense(16, Activation.ELU)] public partial class EluAtZero;\n"));

    /// <summary>ELU(0) = 0 and ELU(z) ≈ z for tiny z (PyTorch computes α·expm1(z)); with 16 units the float kernels take their vector path.</summary>
    [Fact]
    public void Float_ELU_is_exact_at_zero_and_accurate_near_it()
    {
        var net = (INetwork<float>)s_loaded.Value.Create("TrustStability.EluAtZero");
        net.Parameters.Clear();
        var y = new float[16];
        net.Predict(new float[8], y);
        Assert.All(y, v => Assert.Equal(0f, v));
        // z = -1e-6 in every unit: ELU(z) = expm1(-1e-6) ≈ -9.999995e-7.
        for (int u = 0; u < 16; u++) net.Parameters[16 * 8 + u] = -1e-6f;
        net.Predict(new float[8], y);
        Assert.All(y, v => Assert.True(Math.Abs(v - -9.999995e-7) < 1e-12, $"ELU(-1e-6) = {v:R}"));
    }

    public static TheoryData<string> Names => new(Specs.Select(s => s.ClassName));

    [Theory]
    [MemberData(nameof(Names))]
    public void Extreme_logits_and_zero_gradients_stay_finite_and_match(string name)
    {
        CaseSpec spec = Specs.First(s => s.ClassName == name);
        object net = s_loaded.Value.Create("TrustStability." + name);
        if (spec.Double) Run((INetwork<double>)net, spec, Tolerance.Double);
        else Run((INetwork<float>)net, spec, Tolerance.Single);
    }

    private static void Run<T>(INetwork<T> net, CaseSpec spec, Tolerance tol) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // W = 0, so the logits are the bias: ±1e4 (or, for the zero-gradient nets, exactly the targets).
        bool zeroGrad = spec.Loss == Loss.MeanSquaredError;
        double[] bias = zeroGrad ? new[] { 0.5, -0.25, 1.0 } : new[] { 1e4, -1e4, 0 };
        Span<T> p = net.Parameters;
        p.Clear();
        for (int u = 0; u < 3; u++) p[3 * 2 + u] = T.CreateTruncating(bias[u]);
        double[] x = { 1, -1, 0.5, 2 };
        double[] t = spec.Loss switch
        {
            Loss.CrossEntropy => new double[] { 0, 1, 0, 1, 0, 0 },  // the −1e4 class and the +1e4 class
            Loss.BinaryCrossEntropy => new double[] { 0, 1, 1, 1, 0, 0 }, // exactly 0 and 1 against ±1e4
            _ => bias.Concat(bias).ToArray(),
        };
        T[] xs = x.Select(T.CreateTruncating).ToArray(), ts = t.Select(T.CreateTruncating).ToArray();
        var tensors = spec.ExpectedTensors().Select(e => (e.Name, e.Offset, e.Shape.Aggregate(1, (a, b) => a * b))).ToList();

        for (int step = 0; step < 3; step++)
        {
            double[] start = net.Parameters.ToArray().Select(v => double.CreateTruncating(v)).ToArray();
            var reference = new ReferenceNetwork(spec, start);
            Evaluation e = reference.Evaluate(x, t, 2, gradients: true);
            Assert.False(e.NonFinite, "the reference itself is not finite");

            double loss = double.CreateTruncating(net.ComputeLoss(xs, ts, 2));
            Assert.True(double.IsFinite(loss), $"ComputeLoss is {loss} at step {step}");
            Comparison.CheckScalar($"ComputeLoss (step {step})", loss, e.Loss, tol, e.LossMagnitude);

            double[] state = net.OptimizerState.ToArray().Select(v => double.CreateTruncating(v)).ToArray();
            double trainLoss = double.CreateTruncating(net.TrainStep(xs, ts, 2));
            Comparison.CheckScalar($"TrainStep loss (step {step})", trainLoss, e.Loss, tol, e.LossMagnitude);
            double[] g = net.Gradients.ToArray().Select(v => double.CreateTruncating(v)).ToArray();
            Assert.All(g, v => Assert.True(double.IsFinite(v), $"a gradient is {v} at step {step}"));
            Comparison.Check($"Gradients (step {step})", g, e.Gradient!, tol, tensors, e.GradientMagnitude);
            if (zeroGrad) Assert.All(g, v => Assert.Equal(0.0, v));

            var optimizer = new ReferenceOptimizer(spec, spec.ParameterCount) { Step = step };
            state.CopyTo(optimizer.State, 0);
            double[] expected = (double[])start.Clone();
            optimizer.Update(expected, g);
            double[] after = net.Parameters.ToArray().Select(v => double.CreateTruncating(v)).ToArray();
            Assert.All(after, v => Assert.True(double.IsFinite(v), $"a parameter is {v} after step {step}"));
            Assert.All(net.OptimizerState.ToArray(), v => Assert.True(T.IsFinite(v), $"optimizer state is {v} after step {step}"));
            Comparison.Check($"Parameters (step {step})", after, expected, tol, tensors, start.Zip(expected, (s, n) => Math.Abs(s) + 2 * Math.Abs(n - s)).ToArray());
            if (zeroGrad) Assert.Equal(start, after); // a zero gradient moves nothing: 0/(√0 + ε) = 0

            var outputs = new T[6];
            net.Predict(xs, outputs, 2);
            Assert.All(outputs, v => Assert.True(T.IsFinite(v), $"an output is {v} at step {step}"));
        }
    }
}

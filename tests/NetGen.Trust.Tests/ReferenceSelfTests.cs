using System;
using System.Linq;
using NetGen.Trust.Tests.Cases;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>Checks the checker: the reference's gradients against central finite differences, and its optimizers against hand-worked steps.</summary>
public sealed class ReferenceSelfTests(ITestOutputHelper output)
{
    [Fact]
    public void Reference_gradients_match_finite_differences()
    {
        int checkedCases = 0, skipped = 0;
        for (int seed = 1; seed <= 300; seed++)
        {
            CaseSpec spec = CaseGenerator.Generate(seed, "Self");
            if (spec.IsPerceptron || spec.BatchSize > 16) continue;
            var r = new Random(seed);
            var p = new double[spec.ParameterCount];
            for (int i = 0; i < p.Length; i++) p[i] = (2 * r.NextDouble() - 1) * 0.8;
            var (x, t) = DifferentialRunner.Draw<double>(spec, 0, spec.BatchSize);
            var net = new ReferenceNetwork(spec, p) { KinkMargin = 1e-4 };
            Evaluation e = net.Evaluate(x, t, spec.BatchSize, gradients: true);
            if (e.Kink is not null || e.NonFinite) { skipped++; continue; }
            // Every parameter of small networks; 48 drawn ones (the rest copied from the analytic gradient) of large ones.
            var numeric = (double[])e.Gradient!.Clone();
            var indices = p.Length <= 200 ? Enumerable.Range(0, p.Length) : Enumerable.Range(0, 48).Select(_ => r.Next(p.Length)).Distinct();
            foreach (int i in indices)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(p[i]));
                double keep = net.Parameters[i];
                net.Parameters[i] = keep + h;
                double up = net.Evaluate(x, t, spec.BatchSize, false).Loss;
                net.Parameters[i] = keep - h;
                double down = net.Evaluate(x, t, spec.BatchSize, false).Loss;
                net.Parameters[i] = keep;
                numeric[i] = (up - down) / (2 * h);
            }
            try
            {
                Comparison.Check("finite differences", numeric, e.Gradient!, new Tolerance(1e-5, 1e-8, 0));
            }
            catch (Mismatch m)
            {
                Assert.Fail($"{spec.Reproducer()}\n{m.Message}");
            }
            checkedCases++;
        }
        output.WriteLine($"{checkedCases} reference gradients checked against finite differences, {skipped} skipped (near a kink)");
        Assert.True(checkedCases > 200);
    }

    [Fact]
    public void Reference_optimizers_take_the_torch_steps()
    {
        double[] Step(Optimizer o, string? wd = null, int steps = 1)
        {
            var spec = new CaseSpec { ClassName = "X", InputSize = 1, Layers = new[] { new LayerDesc(LayerKind.Dense, 1) }, Optimizer = o, LearningRate = "0.1f", WeightDecay = wd };
            var opt = new ReferenceOptimizer(spec, 2);
            double[] w = { 1.0, -2.0 };
            for (int s = 0; s < steps; s++) opt.Update(w, new[] { 0.5, 0.0 });
            return w;
        }
        Assert.Equal(new[] { 0.95, -2.0 }, Step(Optimizer.Sgd));
        Assert.Equal(new[] { 1 - 0.1 * (0.5 + 0.1 * 1), -2 - 0.1 * (0.1 * -2) }, Step(Optimizer.Sgd, "0.1f"));
        // Momentum: v1 = g, v2 = 0.9·g + g.
        Assert.Equal(1 - 0.1 * 0.5 - 0.1 * 0.95, Step(Optimizer.Momentum, steps: 2)[0], 15);
        // RMSprop: s = 0.01·g², step = lr·g/(√s + ε) = 0.1·0.5/(0.05 + 1e-8).
        Assert.Equal(1 - 0.1 * 0.5 / (0.05 + 1e-8), Step(Optimizer.RmsProp)[0], 15);
        // Adam's first step is lr·g/(|g| + ε) after bias correction; a zero gradient leaves w alone.
        Assert.Equal(1 - 0.1 * 0.5 / (0.5 + 1e-8), Step(Optimizer.Adam)[0], 15);
        Assert.Equal(-2.0, Step(Optimizer.Adam)[1]);
        Assert.Equal(-2.0, Step(Optimizer.RmsProp, steps: 3)[1]);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using NetGen.Trust.Tests.Cases;
using NetGen.Trust.Tests.Reference;

namespace NetGen.Trust.Tests.Harness;

public enum CaseOutcome
{
    Passed,
    Failed,
    /// <summary>No draw of inputs gave finite, kink-free values; the case is not counted.</summary>
    Exhausted,
}

public sealed record CaseResult(CaseSpec Spec, CaseOutcome Outcome, int Redraws, string? Failure);

/// <summary>
/// Runs one case against the reference: structure and layout, initial parameters, Predict (batch and
/// single), ComputeLoss, ComputeGradients, then a few TrainSteps. Double SGD and Momentum cases run the
/// reference's own trajectory next to the network's; float cases and Adam/RMSprop run in lockstep (the
/// reference restarts each step from the network's parameters and optimizer state, and checks the
/// update from the network's gradient), so rounding cannot be amplified by Adam or RMSprop into false
/// differences.
/// </summary>
public static class DifferentialRunner
{
    public const int MaxDraws = 8;

    /// <summary>Signals that the drawn data sits on a kink or gives non-finite values: draw again.</summary>
    private sealed class Redraw(string why) : Exception(why);

    public static CaseResult Run(CaseSpec spec, LoadedCases loaded, string ns = "TrustCases")
    {
        Func<object> create = () => loaded.Create($"{ns}.{spec.ClassName}");
        string? lastRedraw = null;
        for (int attempt = 0; attempt < MaxDraws; attempt++)
        {
            try
            {
                if (spec.Double) RunTyped<double>(spec, () => (INetwork<double>)create(), attempt, Tolerance.Double, kinkMargin: 1e-10, probabilityFloor: 1e-6);
                else RunTyped<float>(spec, () => (INetwork<float>)create(), attempt, Tolerance.Single, kinkMargin: 2e-5, probabilityFloor: 1e-3);
                return new CaseResult(spec, CaseOutcome.Passed, attempt, null);
            }
            catch (Redraw r)
            {
                lastRedraw = r.Message;
            }
            catch (Mismatch m)
            {
                return new CaseResult(spec, CaseOutcome.Failed, attempt, m.Message);
            }
            catch (Exception e)
            {
                Exception inner = e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;
                return new CaseResult(spec, CaseOutcome.Failed, attempt, $"threw {inner.GetType().Name}: {inner.Message}");
            }
        }
        return new CaseResult(spec, CaseOutcome.Exhausted, MaxDraws, lastRedraw);
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = new double[s.Length];
        for (int i = 0; i < s.Length; i++) d[i] = double.CreateTruncating(s[i]);
        return d;
    }

    private static T[] FromDouble<T>(double[] d) where T : unmanaged, IFloatingPointIeee754<T>
        => d.Select(T.CreateTruncating).ToArray();

    /// <summary>Inputs uniform in ±2 (sometimes ±6); targets fitting the loss (exact 0 and 1 included). Rounded to T.</summary>
    public static (double[] X, double[] T) Draw<T>(CaseSpec spec, int attempt, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new Random(unchecked(spec.DataSeed * 31 + attempt * 7919));
        int nIn = spec.InputSize, nOut = spec.OutputSize;
        double range = r.NextDouble() < 0.2 ? 6 : 2;
        var x = new double[batch * nIn];
        for (int i = 0; i < x.Length; i++) x[i] = (2 * r.NextDouble() - 1) * range;
        var t = new double[batch * nOut];
        bool hard = r.NextDouble() < 0.6;
        for (int b = 0; b < batch; b++)
        {
            Span<double> row = t.AsSpan(b * nOut, nOut);
            if (spec.IsPerceptron)
                for (int i = 0; i < nOut; i++) row[i] = r.Next(2);
            else if (spec.Loss == Loss.MeanSquaredError)
                for (int i = 0; i < nOut; i++) row[i] = 2 * r.NextDouble() - 1;
            else if (spec.Loss == Loss.BinaryCrossEntropy)
                for (int i = 0; i < nOut; i++) row[i] = hard ? r.Next(2) : r.NextDouble();
            else if (hard)
                row[r.Next(nOut)] = 1;
            else
            {
                double sum = 0;
                for (int i = 0; i < nOut; i++) sum += row[i] = r.NextDouble();
                for (int i = 0; i < nOut; i++) row[i] /= sum;
            }
        }
        // The reference reads exactly the values the network reads.
        return (ToDouble<T>(FromDouble<T>(x)), ToDouble<T>(FromDouble<T>(t)));
    }

    private static void RunTyped<T>(CaseSpec spec, Func<INetwork<T>> create, int attempt, Tolerance tol, double kinkMargin, double probabilityFloor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        INetwork<T> net = create();
        CheckStructure(spec, net, tol);
        var tensors = spec.ExpectedTensors().Select(t => (t.Name, t.Offset, t.Shape.Aggregate(1, (a, b) => a * b))).ToList();
        double[] p0 = ToDouble<T>(net.Parameters);
        CheckInitialization(spec, p0);

        int batch = spec.BatchSize;
        var (x, t) = Draw<T>(spec, attempt, batch);
        T[] xs = FromDouble<T>(x), ts = FromDouble<T>(t);

        var reference = new ReferenceNetwork(spec, p0) { KinkMargin = kinkMargin, ProbabilityFloor = probabilityFloor };
        Evaluation e0 = reference.Evaluate(x, t, batch, gradients: true);
        if (e0.NonFinite) throw new Redraw("non-finite");
        if (e0.Kink is not null) throw new Redraw(e0.Kink);

        // Inference: batch and single-sample Predict, ComputeLoss; none of them may touch the parameters.
        var outputs = new T[batch * spec.OutputSize];
        net.Predict(xs, outputs, batch);
        Comparison.Check("Predict(batch) outputs", ToDouble<T>(outputs), e0.Outputs, tol, magnitude: e0.OutputMagnitude);
        var one = new T[spec.OutputSize];
        net.Predict(xs.AsSpan(0, spec.InputSize), one);
        Comparison.Check("Predict(sample 0) outputs", ToDouble<T>(one), e0.Outputs.AsSpan(0, spec.OutputSize), tol, magnitude: e0.OutputMagnitude[..spec.OutputSize]);
        T loss = net.ComputeLoss(xs, ts, batch);
        Comparison.CheckScalar("ComputeLoss", double.CreateTruncating(loss), e0.Loss, tol, e0.LossMagnitude);
        Comparison.Check("Parameters after Predict/ComputeLoss (must be unchanged)", ToDouble<T>(net.Parameters), p0, Tolerance.Double with { Relative = 0, Absolute = 0 }, tensors);

        CheckWrongSizes(spec, net, xs, ts);

        if (spec.IsPerceptron)
        {
            CheckPerceptronRule(spec, net, x, xs, ts, p0, e0, tol, tensors);
            return;
        }
        if (spec.HasActiveDropout)
            return; // dropout masks are the network's own; training is not comparable.

        // Gradients.
        T gl = net.ComputeGradients(xs, ts, batch);
        Comparison.CheckScalar("ComputeGradients loss", double.CreateTruncating(gl), e0.Loss, tol, e0.LossMagnitude);
        Comparison.Check("Gradients", ToDouble<T>(net.Gradients), e0.Gradient!, tol, tensors, e0.GradientMagnitude);
        Comparison.Check("Parameters after ComputeGradients (must be unchanged)", ToDouble<T>(net.Parameters), p0, Tolerance.Double with { Relative = 0, Absolute = 0 }, tensors);

        // Training.
        int slots = ReferenceOptimizer.Slots(spec.Optimizer);
        var stateSegments = Enumerable.Range(0, slots).SelectMany(s => tensors.Select(t => ($"state{s}:{t.Name}", t.Offset + s * spec.ParameterCount, t.Item3))).ToList();
        double[] refParams = (double[])p0.Clone();
        // Adam and RMSprop divide by √v + ε: for a gradient far below ε they multiply its rounding by lr/ε
        // (1e7 with the defaults), so a free-running reference drifts from a correct network. They run in
        // lockstep, like every float case; SGD and Momentum in double follow the reference's own trajectory.
        bool lockstep = !spec.Double || spec.Optimizer is Optimizer.Adam or Optimizer.RmsProp;
        var refOptimizer = new ReferenceOptimizer(spec, spec.ParameterCount);
        for (int step = 0; step < spec.Steps; step++)
        {
            string at = $"step {step + 1}";
            double[] start;
            if (!lockstep)
                start = refParams;
            else
            {
                // Lockstep: restart from the network's own parameters and optimizer state.
                start = ToDouble<T>(net.Parameters);
                refOptimizer = new ReferenceOptimizer(spec, spec.ParameterCount) { Step = step };
                ToDouble<T>(net.OptimizerState).CopyTo(refOptimizer.State, 0);
            }
            var stepRef = new ReferenceNetwork(spec, start) { KinkMargin = kinkMargin, ProbabilityFloor = probabilityFloor };
            Evaluation e = stepRef.Evaluate(x, t, batch, gradients: true);
            if (e.NonFinite) throw new Redraw("non-finite at " + at);
            if (e.Kink is not null) throw new Redraw(e.Kink + " at " + at);

            T stepLoss = net.TrainStep(xs, ts, batch);
            Comparison.CheckScalar($"TrainStep loss ({at})", double.CreateTruncating(stepLoss), e.Loss, tol, e.LossMagnitude);
            double[] netGradient = ToDouble<T>(net.Gradients);
            Comparison.Check($"Gradients ({at})", netGradient, e.Gradient!, tol, tensors, e.GradientMagnitude);

            double[] expected = (double[])start.Clone();
            refOptimizer.Update(expected, lockstep ? netGradient : e.Gradient!);
            if (!lockstep) refParams = expected;
            // Rounding in an update is relative to the parameter and the step it takes.
            var updateMagnitude = new double[expected.Length];
            for (int i = 0; i < expected.Length; i++) updateMagnitude[i] = Math.Abs(start[i]) + 2 * Math.Abs(expected[i] - start[i]);
            Comparison.Check($"Parameters after {spec.Optimizer} update ({at})", ToDouble<T>(net.Parameters), expected, tol, tensors, updateMagnitude);
            if (net.OptimizerStep != step + 1) throw new Mismatch($"OptimizerStep after {at}: got {net.OptimizerStep}, expected {step + 1}");
            if (slots > 0)
                Comparison.Check($"OptimizerState ({at})", ToDouble<T>(net.OptimizerState), refOptimizer.State, tol, stateSegments);
        }
    }

    /// <summary>DESIGN.md §3: runtime input of the wrong size throws ArgumentException naming the expected size.</summary>
    private static void CheckWrongSizes<T>(CaseSpec spec, INetwork<T> net, T[] xs, T[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = spec.BatchSize;
        void Expect(string what, int expected, Action call)
        {
            try
            {
                call();
            }
            catch (ArgumentException e)
            {
                if (!e.Message.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                    throw new Mismatch($"{what}: the ArgumentException does not name the expected size {expected}: \"{e.Message}\"");
                return;
            }
            throw new Mismatch($"{what}: no ArgumentException");
        }
        var output = new T[batch * spec.OutputSize];
        Expect("Predict with one input value too few", batch * spec.InputSize, () => net.Predict(xs.AsSpan(0, batch * spec.InputSize - 1), output, batch));
        Expect("Predict(sample) with a short output", spec.OutputSize, () => net.Predict(xs.AsSpan(0, spec.InputSize), new T[spec.OutputSize - 1]));
        Expect("ComputeLoss with one target too few", batch * spec.OutputSize, () => net.ComputeLoss(xs, ts.AsSpan(0, ts.Length - 1), batch));
        Expect("TrainStep with one target too many", batch * spec.OutputSize, () => net.TrainStep(xs, ts.Concat(new[] { T.Zero }).ToArray(), batch));
    }

    private static void CheckStructure<T>(CaseSpec spec, INetwork<T> net, Tolerance tol) where T : unmanaged, IFloatingPointIeee754<T>
    {
        void Eq(string what, object actual, object expected)
        {
            if (!Equals(actual, expected)) throw new Mismatch($"{what}: got {actual}, expected {expected}");
        }
        Eq("InputSize", net.InputSize, spec.InputSize);
        Eq("OutputSize", net.OutputSize, spec.OutputSize);
        Eq("ParameterCount", net.ParameterCount, spec.ParameterCount);
        Eq("Parameters.Length", net.Parameters.Length, spec.ParameterCount);
        Eq("Gradients.Length", net.Gradients.Length, spec.ParameterCount);
        Eq("OptimizerStateSlots", net.OptimizerStateSlots, ReferenceOptimizer.Slots(spec.Optimizer));
        Eq("OptimizerState.Length", net.OptimizerState.Length, ReferenceOptimizer.Slots(spec.Optimizer) * spec.ParameterCount);
        Eq("OptimizerStep", net.OptimizerStep, 0L);
        Comparison.CheckScalar("LearningRate", net.LearningRate, spec.LearningRateValue, tol with { LossFloor = 0 });
        var expected = spec.ExpectedTensors();
        var actual = net.ParameterTensors;
        Eq("ParameterTensors.Count", actual.Count, expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Eq($"ParameterTensors[{i}].Name", actual[i].Name, expected[i].Name);
            Eq($"ParameterTensors[{i}].Offset ({expected[i].Name})", actual[i].Offset, expected[i].Offset);
            Eq($"ParameterTensors[{i}].Shape ({expected[i].Name})", string.Join("x", actual[i].Shape), string.Join("x", expected[i].Shape));
        }
    }

    /// <summary>Biases zero, PReLU slopes 0.25, weights inside the He or Glorot uniform bound and not constant.</summary>
    private static void CheckInitialization(CaseSpec spec, double[] p)
    {
        int[] sizes = spec.Sizes();
        foreach (var (name, offset, shape, layer) in spec.ExpectedTensors())
        {
            int length = shape.Aggregate(1, (a, b) => a * b);
            var values = p.AsSpan(offset, length);
            LayerDesc l = spec.Layers[layer];
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                foreach (double v in values) if (v != 0) throw new Mismatch($"initial {name}: {v}, expected 0 (biases start at zero)");
            }
            else if (name.EndsWith(".prelu.weight", StringComparison.Ordinal) || l.Kind == LayerKind.Activation)
            {
                foreach (double v in values) if (Math.Abs(v - 0.25) > 1e-7) throw new Mismatch($"initial {name}: {v}, expected 0.25 (PReLU slopes start at 0.25)");
            }
            else
            {
                // Dense/Maxout [out, in]; Conv2D [filters, channels, k, k]: fanIn = channels·k², fanOut = filters·k² (PyTorch's).
                int receptive = shape.Skip(2).Aggregate(1, (a, b) => a * b);
                int fanIn = shape[1] * receptive, fanOut = shape[0] * receptive;
                double he = Math.Sqrt(6.0 / fanIn), glorot = Math.Sqrt(6.0 / (fanIn + fanOut));
                // Dense with a non-ReLU activation must use Glorot; elsewhere either bound is defensible.
                bool nextRelu = layer + 1 < spec.Layers.Count && spec.Layers[layer + 1] is { Kind: LayerKind.Activation, Activation: Activation.ReLU or Activation.LeakyReLU or Activation.PReLU or Activation.ELU };
                bool glorotOnly = l.Kind is LayerKind.Dense or LayerKind.Conv2D && !nextRelu && l.Activation is not (Activation.ReLU or Activation.LeakyReLU or Activation.PReLU or Activation.ELU or Activation.Linear);
                double bound = (glorotOnly ? glorot : Math.Max(he, glorot)) * (1 + 1e-6);
                foreach (double v in values)
                    if (!(Math.Abs(v) <= bound)) throw new Mismatch($"initial {name}: {v} outside ±{bound:G6} ({(glorotOnly ? "Glorot" : "He")} uniform, fanIn {fanIn}, fanOut {fanOut})");
                if (length >= 4 && values.ToArray().Distinct().Count() == 1) throw new Mismatch($"initial {name}: all {length} weights are {values[0]}");
            }
        }
    }

    /// <summary>Perceptron rule with SGD and batch 1: w ← w + lr·(t − y)·x, b ← b + lr·(t − y).</summary>
    private static void CheckPerceptronRule<T>(CaseSpec spec, INetwork<T> net, double[] x, T[] xs, T[] ts, double[] p0, Evaluation e0, Tolerance tol,
        List<(string, int, int)> tensors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (spec.BatchSize != 1 || spec.Optimizer != Optimizer.Sgd) return;
        net.TrainStep(xs, ts, 1);
        int units = spec.OutputSize, inputs = spec.InputSize;
        double lr = spec.LearningRateValue;
        double[] expected = (double[])p0.Clone();
        for (int u = 0; u < units; u++)
        {
            double err = double.CreateTruncating(ts[u]) - e0.Outputs[u];
            for (int i = 0; i < inputs; i++) expected[u * inputs + i] += lr * err * x[i];
            expected[units * inputs + u] += lr * err;
        }
        Comparison.Check("Parameters after a perceptron-rule step (w += lr·(t − y)·x)", ToDouble<T>(net.Parameters), expected, tol, tensors);
    }
}

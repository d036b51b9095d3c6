using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Trust.Tests.Harness;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>
/// Runs one <see cref="SequenceCase"/> against <see cref="ReferenceSequenceNetwork"/>: sizes and the parameter
/// layout (PyTorch's names), initialisation (recurrent tensors in U(−1/√H, 1/√H)), Predict (batch and one
/// sample), Step from ResetState, ComputeLoss, ComputeGradients and one SGD TrainStep (with ClipNorm's global-norm scaling when set).
/// Returns null when everything agrees, else what differed.
/// </summary>
public static class SequenceRunner
{
    /// <summary>Outputs and losses agree to ~1e-10 relative (double through both); gradients to 1e-6 (the reference's central differences).</summary>
    private const double ValueTolerance = 1e-9, GradientTolerance = 1e-6;

    public static string? Run(SequenceCase spec, LoadedCases loaded, string ns)
    {
        try
        {
            object net = loaded.Create($"{ns}.{spec.ClassName}");
            var steps = loaded.Type($"{ns}.{spec.ClassName}Steps")!.GetMethod("Run")!;
            RunCase(spec, net, input => (double[])steps.Invoke(null, new object[] { net, input })!);
            return null;
        }
        catch (Mismatch m)
        {
            return m.Message;
        }
        catch (Exception e)
        {
            Exception inner = e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;
            return $"threw {inner.GetType().Name}: {inner.Message}";
        }
    }

    private static void RunCase(SequenceCase spec, object net, Func<double[], double[]> stepThrough)
    {
        var state = (INetworkState<double>)net;
        CheckStructure(spec, state);
        double[] p0 = state.Parameters.ToArray();
        CheckInitialization(spec, p0);

        // Data: float steps in ±2 or ids in [0, vocabulary) (repeats certain with a small vocabulary); MSE targets in ±1, CE class ids.
        int batch = spec.BatchSize;
        var r = new Random(spec.DataSeed);
        double[] x = new double[batch * spec.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = spec.TokenInput ? r.Next(spec.Vocabulary) : 4 * r.NextDouble() - 2;
        int[] ids = x.Select(v => (int)v).ToArray();
        double[] t = spec.Loss == NetGen.Loss.MeanSquaredError ? Enumerable.Range(0, batch * spec.OutputSize).Select(_ => 2 * r.NextDouble() - 1).ToArray() : Array.Empty<double>();
        int[] labels = spec.Loss == NetGen.Loss.CrossEntropy ? Enumerable.Range(0, batch * spec.LabelsPerSample).Select(_ => r.Next(spec.Output.Width)).ToArray() : Array.Empty<int>();

        var reference = new ReferenceSequenceNetwork(spec, p0);
        double[] expected = Enumerable.Range(0, batch).SelectMany(b => reference.Forward(x.AsSpan(b * spec.InputSize, spec.InputSize))).ToArray();
        double expectedLoss = reference.Loss(x, t, labels, batch);
        double[] expectedGradient = reference.Gradient(x, t, labels, batch);

        // Inference: batch and one-sample Predict, ComputeLoss; none may change the parameters.
        var outputs = new double[batch * spec.OutputSize];
        var one = new double[spec.OutputSize];
        if (spec.TokenInput)
        {
            var tn = (ITokenNetwork<double>)net;
            tn.Predict(ids, outputs, batch);
            tn.Predict(ids.AsSpan(0, spec.InputSize), one);
        }
        else
        {
            var fn = (INetwork<double>)net;
            fn.Predict(x, outputs, batch);
            fn.Predict(x.AsSpan(0, spec.InputSize), one);
        }
        Close("Predict(batch) outputs", outputs, expected, ValueTolerance);
        Close("Predict(sample 0) outputs", one, expected.AsSpan(0, spec.OutputSize).ToArray(), ValueTolerance);
        Close("ComputeLoss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.Compute) }, new[] { expectedLoss }, ValueTolerance);
        Close("Parameters after Predict/ComputeLoss (must be unchanged)", state.Parameters.ToArray(), p0, 0);

        // Step over sample 0 from ResetState: each step's output is Predict's for that step (a sequence output), and
        // the last step's is Predict's output (a last-state output); then a second pass gives the same (the state was reset).
        double[] stepped = stepThrough(x[..spec.InputSize]);
        int width = spec.Output.Width;
        if (spec.Output.Steps > 0) Close("Step outputs (every step against Predict's rows)", stepped, expected[..spec.OutputSize], ValueTolerance);
        else Close("Step output at the last step against Predict", stepped[^width..], expected[..width], ValueTolerance);
        Close("Step outputs after ResetState (a second pass)", stepThrough(x[..spec.InputSize]), stepped, 0);

        // Backpropagation through time against the reference's finite differences.
        Close("ComputeGradients loss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.Gradients) }, new[] { expectedLoss }, ValueTolerance);
        Close("Gradients", state.Gradients.ToArray(), expectedGradient, GradientTolerance, spec);

        // One SGD step: p ← p − lr·g, g first scaled by min(1, c / (‖g‖ + 1e-6)) with ClipNorm c (clip_grad_norm_).
        double[] g = state.Gradients.ToArray();
        double scale = 1;
        if (spec.ClipNormValue is double c) scale = Math.Min(1, c / (Math.Sqrt(g.Sum(v => v * v)) + 1e-6));
        double lr = spec.LearningRateValue;
        Close("TrainStep loss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.TrainStep) }, new[] { expectedLoss }, ValueTolerance);
        Close($"Parameters after one SGD step{(spec.ClipNorm is null ? "" : $" with ClipNorm {spec.ClipNorm} (scale {scale:G6})")}",
            state.Parameters.ToArray(), p0.Select((p, i) => p - lr * scale * g[i]).ToArray(), ValueTolerance, spec);
    }

    /// <summary>Calls the member that fits the case: float or token input, float targets or class ids.</summary>
    private static double Loss(SequenceCase spec, object net, int[] ids, double[] x, double[] t, int[] labels, int batch, LossCall call)
        => LossCalls.Call(spec.Loss, spec.TokenInput, net, ids, x, t, labels, batch, call);

    private static void CheckStructure(SequenceCase spec, INetworkState<double> net)
    {
        void Eq(string what, object actual, object expected)
        {
            if (!Equals(actual, expected)) throw new Mismatch($"{what}: got {actual}, expected {expected}");
        }
        Eq("InputSize", net.InputSize, spec.InputSize);
        Eq("OutputSize", net.OutputSize, spec.OutputSize);
        Eq("ParameterCount", net.ParameterCount, spec.ParameterCount);
        var expected = spec.ExpectedTensors();
        Eq("ParameterTensors.Count", net.ParameterTensors.Count, expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Eq($"ParameterTensors[{i}].Name", net.ParameterTensors[i].Name, expected[i].Name);
            Eq($"ParameterTensors[{i}].Offset ({expected[i].Name})", net.ParameterTensors[i].Offset, expected[i].Offset);
            Eq($"ParameterTensors[{i}].Shape ({expected[i].Name})", string.Join("x", net.ParameterTensors[i].Shape), string.Join("x", expected[i].Shape));
        }
        if (spec.Loss == NetGen.Loss.CrossEntropy)
        {
            int perSample = net is IClassIndexTargets<int, double> ti ? ti.LabelsPerSample : ((IClassIndexTargets<double, double>)net).LabelsPerSample;
            Eq("LabelsPerSample", perSample, spec.LabelsPerSample);
        }
    }

    /// <summary>Recurrent tensors (weights and biases) inside U(−1/√H, 1/√H) as PyTorch draws them; no tensor of 4 or more values constant.</summary>
    private static void CheckInitialization(SequenceCase spec, double[] p)
    {
        foreach (var (name, offset, shape, layer) in spec.ExpectedTensors())
        {
            double[] values = p.AsSpan(offset, shape.Aggregate(1, (a, b) => a * b)).ToArray();
            if (values.Any(v => !double.IsFinite(v))) throw new Mismatch($"initial {name}: not finite");
            SequenceLayer l = spec.Layers[layer];
            if (l.IsRecurrent)
            {
                double bound = 1 / Math.Sqrt(l.Units) * (1 + 1e-12);
                if (values.FirstOrDefault(v => Math.Abs(v) > bound) is var bad && Math.Abs(bad) > bound)
                    throw new Mismatch($"initial {name}: {bad} outside ±1/√{l.Units} = ±{bound:G6}");
            }
            bool isBias = name.EndsWith(".bias", StringComparison.Ordinal);
            if (!isBias && values.Length >= 4 && values.Distinct().Count() == 1) throw new Mismatch($"initial {name}: all {values.Length} values are {values[0]}");
        }
    }

    /// <summary>|actual − expected| ≤ tol·(1 + |expected|) element by element; the first miss names its tensor.</summary>
    private static void Close(string what, double[] actual, double[] expected, double tol, SequenceCase? spec = null)
    {
        if (actual.Length != expected.Length) throw new Mismatch($"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            if (Math.Abs(actual[i] - expected[i]) <= tol * (1 + Math.Abs(expected[i]))) continue;
            string where = $"[{i}]";
            if (spec is not null)
                foreach (var (name, offset, shape, _) in spec.ExpectedTensors())
                    if (i >= offset && i < offset + shape.Aggregate(1, (a, b) => a * b)) where = $"{name}[{i - offset}]";
            throw new Mismatch($"{what}: {where} got {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}

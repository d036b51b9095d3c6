using System;
using System.Linq;
using System.Reflection;
using NetGen.Trust.Tests.Harness;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>
/// Runs one <see cref="AttentionCase"/> against <see cref="ReferenceAttentionNetwork"/>: sizes and the parameter layout
/// (PyTorch's names), initialisation bounds, Predict (batch and one sample), Step with the key/value cache from
/// ResetState against the reference on every prefix (causal stacks), MaxSteps, ComputeLoss, ComputeGradients, and one
/// AdamW TrainStep (ClipNorm's scaling, decay on matrices only, m and v). Returns null when everything agrees, else what differed.
/// </summary>
public static class AttentionRunner
{
    /// <summary>Outputs and losses agree to ~1e-9 relative (double through both); gradients to 1e-6 (the reference's central differences).</summary>
    private const double ValueTolerance = 1e-9, GradientTolerance = 1e-6;

    public static string? Run(AttentionCase spec, LoadedCases loaded, string ns)
    {
        try
        {
            object net = loaded.Create($"{ns}.{spec.ClassName}");
            Type? steps = loaded.Type($"{ns}.{spec.ClassName}Steps");
            bool hasStep = net.GetType().GetMethod("ResetState") is not null;
            if (hasStep != spec.CanStep) throw new Mismatch($"ResetState/Step generated: {hasStep}, expected {spec.CanStep} (every attention layer causal, no pooling over time)");
            RunCase(spec, net, steps);
            return null;
        }
        catch (Mismatch m)
        {
            return m.Message;
        }
        catch (Exception e)
        {
            Exception inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            return $"threw {inner.GetType().Name}: {inner.Message}";
        }
    }

    private static void RunCase(AttentionCase spec, object net, Type? steps)
    {
        var state = (INetworkState<double>)net;
        CheckStructure(spec, state);
        double[] p0 = state.Parameters.ToArray();
        CheckInitialization(spec, p0);

        // Data: float steps in ±2 or ids in [0, vocabulary); MSE targets in ±1, CE class ids.
        int batch = spec.BatchSize;
        var r = new Random(spec.DataSeed);
        double[] x = new double[batch * spec.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = spec.TokenInput ? r.Next(spec.Vocabulary) : 4 * r.NextDouble() - 2;
        int[] ids = x.Select(v => (int)v).ToArray();
        double[] t = spec.Loss == NetGen.Loss.MeanSquaredError ? Enumerable.Range(0, batch * spec.OutputSize).Select(_ => 2 * r.NextDouble() - 1).ToArray() : Array.Empty<double>();
        int[] labels = spec.Loss == NetGen.Loss.CrossEntropy ? Enumerable.Range(0, batch * spec.LabelsPerSample).Select(_ => r.Next(spec.Output.Width)).ToArray() : Array.Empty<int>();

        var reference = new ReferenceAttentionNetwork(spec, p0);
        double[] expected = Enumerable.Range(0, batch).SelectMany(b => reference.Forward(x.AsSpan(b * spec.InputSize, spec.InputSize))).ToArray();
        double expectedLoss = reference.Loss(x, t, labels, batch);
        // With attention dropout the training pass uses the network's own masks: only inference is compared.
        double[] expectedGradient = spec.Drops ? Array.Empty<double>() : reference.Gradient(x, t, labels, batch);

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
        Close("Predict(sample 0) outputs", one, expected[..spec.OutputSize], ValueTolerance);
        Close("ComputeLoss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.Compute) }, new[] { expectedLoss }, ValueTolerance);
        Close("Parameters after Predict/ComputeLoss (must be unchanged)", state.Parameters.ToArray(), p0, 0);

        // Generation: Step over sample 0 from ResetState; step t's output is the reference's last row on the prefix of
        // t + 1 steps (the key/value cache against a from-scratch forward); a second pass repeats it bit for bit; one
        // step past MaxSteps (= timeSteps) throws InvalidOperationException.
        if (spec.CanStep)
        {
            MethodInfo run = steps!.GetMethod("Run")!, overrun = steps.GetMethod("Overrun")!;
            double[] stepped = (double[])run.Invoke(null, new object[] { net, x[..spec.InputSize] })!;
            int width = spec.Output.Width;
            double[] prefixes = Enumerable.Range(1, spec.TimeSteps).SelectMany(n => reference.Forward(x.AsSpan(0, spec.InputSize), n)[^width..]).ToArray();
            Close("Step outputs (step t against the reference on the prefix of t + 1 steps)", stepped, prefixes, ValueTolerance);
            Close("Step outputs after ResetState (a second pass)", (double[])run.Invoke(null, new object[] { net, x[..spec.InputSize] })!, stepped, 0);
            if (overrun.Invoke(null, new[] { net }) is var thrown && (string?)thrown != nameof(InvalidOperationException))
                throw new Mismatch($"Step past MaxSteps = {spec.TimeSteps}: got {thrown ?? "no exception"}, expected InvalidOperationException");
        }

        if (spec.Drops)
        {
            // Training draws masks from the network's generator; inference afterwards still matches (and draws nothing).
            ulong before = state.RandomState;
            Loss(spec, net, ids, x, t, labels, batch, LossCall.Gradients);
            if (state.RandomState == before) throw new Mismatch("ComputeGradients with attention dropout drew no mask from the network's generator");
            before = state.RandomState;
            Close("ComputeLoss after a dropout training pass", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.Compute) }, new[] { expectedLoss }, ValueTolerance);
            if (state.RandomState != before) throw new Mismatch("ComputeLoss drew from the dropout generator");
            return;
        }

        // Backpropagation against the reference's finite differences.
        Close("ComputeGradients loss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.Gradients) }, new[] { expectedLoss }, ValueTolerance);
        Close("Gradients", state.Gradients.ToArray(), expectedGradient, GradientTolerance, spec);

        // One AdamW step (lockstep: from the network's own clipped gradient g, as README's Adam cases):
        // g scaled by min(1, c / (‖g‖ + 1e-6)) with ClipNorm c; w ← w·(1 − lr·λ) for tensors of rank ≥ 2 only;
        // m = (1 − β₁)g, v = (1 − β₂)g²; w ← w − lr/(1 − β₁)·m/(√v/√(1 − β₂) + ε).
        double[] g0 = state.Gradients.ToArray();
        double scale = 1;
        if (spec.ClipNormValue is double c) scale = Math.Min(1, c / (Math.Sqrt(g0.Sum(v => v * v)) + 1e-6));
        Close("TrainStep loss", new[] { Loss(spec, net, ids, x, t, labels, batch, LossCall.TrainStep) }, new[] { expectedLoss }, ValueTolerance);
        Close($"Gradients after TrainStep{(spec.ClipNorm is null ? "" : $" (clipped to {spec.ClipNorm}: scale {scale:G6})")}", state.Gradients.ToArray(), g0.Select(v => v * scale).ToArray(), ValueTolerance, spec);
        if (state.OptimizerStep != 1) throw new Mismatch($"OptimizerStep after one TrainStep: {state.OptimizerStep}");
        double[] g = state.Gradients.ToArray();
        double lr = spec.LearningRateValue, b1 = spec.Beta1Value, b2 = spec.Beta2Value, eps = spec.EpsilonValue;
        double[] m = g.Select(v => (1 - b1) * v).ToArray(), s = g.Select(v => (1 - b2) * v * v).ToArray();
        bool[] decays = new bool[p0.Length];
        foreach (var (_, offset, shape, _) in spec.ExpectedTensors())
            for (int i = 0; i < shape.Aggregate(1, (a, b) => a * b); i++) decays[offset + i] = shape.Length >= 2;
        double[] updated = p0.Select((w, i) => w * (decays[i] ? 1 - lr * spec.WeightDecayValue : 1) - lr / (1 - b1) * m[i] / (Math.Sqrt(s[i]) / Math.Sqrt(1 - b2) + eps)).ToArray();
        Close("OptimizerState after one AdamW step (m then v)", state.OptimizerState.ToArray(), m.Concat(s).ToArray(), ValueTolerance);
        Close($"Parameters after one AdamW step (λ {spec.WeightDecayValue:G3} on matrices only)", state.Parameters.ToArray(), updated, ValueTolerance, spec);
    }

    /// <summary>Calls the member that fits the case: float or token input, float targets or class ids.</summary>
    private static double Loss(AttentionCase spec, object net, int[] ids, double[] x, double[] t, int[] labels, int batch, LossCall call)
        => LossCalls.Call(spec.Loss, spec.TokenInput, net, ids, x, t, labels, batch, call);

    private static void CheckStructure(AttentionCase spec, INetworkState<double> net)
    {
        void Eq(string what, object actual, object expected)
        {
            if (!Equals(actual, expected)) throw new Mismatch($"{what}: got {actual}, expected {expected}");
        }
        Eq("InputSize", net.InputSize, spec.InputSize);
        Eq("OutputSize", net.OutputSize, spec.OutputSize);
        Eq("ParameterCount", net.ParameterCount, spec.ParameterCount);
        Eq("OptimizerStateSlots (AdamW: m, v)", net.OptimizerStateSlots, 2);
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

    /// <summary>
    /// PyTorch's initialisation of each tensor: in_proj_weight inside Glorot's ±√(6/(E + 3E)), out_proj.weight inside
    /// ±1/√E, attention biases 0; linear1 (weight and bias) inside ±1/√E, linear2 inside ±1/√F; LayerNorm and norm1/norm2
    /// weight 1, bias 0; positional table N(0, 0.02) (|w| ≤ 0.02·6, and its spread near 0.02 when it has ≥ 48 values);
    /// embeddings N(0, 1) (|w| ≤ 6). No weight tensor of 4 or more values constant.
    /// </summary>
    private static void CheckInitialization(AttentionCase spec, double[] p)
    {
        var shapes = spec.Shapes();
        foreach (var (name, offset, shape, layer) in spec.ExpectedTensors())
        {
            double[] values = p.AsSpan(offset, shape.Aggregate(1, (a, b) => a * b)).ToArray();
            if (values.Any(v => !double.IsFinite(v))) throw new Mismatch($"initial {name}: not finite");
            AttentionLayer l = spec.Layers[layer];
            int e = shapes[layer].Width;
            string tensor = name[(spec.LayerName(layer).Length + 1)..];
            void Bound(double bound, string rule)
            {
                if (values.FirstOrDefault(v => Math.Abs(v) > bound * (1 + 1e-12)) is var bad && Math.Abs(bad) > bound * (1 + 1e-12))
                    throw new Mismatch($"initial {name}: {bad} outside {rule} = ±{bound:G6}");
            }
            void All(double value)
            {
                if (values.Any(v => v != value)) throw new Mismatch($"initial {name}: {values.First(v => v != value)}, expected all {value}");
            }
            switch (tensor)
            {
                case "in_proj_weight" or "self_attn.in_proj_weight": Bound(Math.Sqrt(6.0 / (4 * e)), $"Glorot ±√(6/(4·{e}))"); break;
                case "out_proj.weight" or "self_attn.out_proj.weight": Bound(1 / Math.Sqrt(e), $"±1/√{e}"); break;
                case "in_proj_bias" or "self_attn.in_proj_bias" or "out_proj.bias" or "self_attn.out_proj.bias" or "norm1.bias" or "norm2.bias": All(0); break;
                case "linear1.weight" or "linear1.bias": Bound(1 / Math.Sqrt(e), $"±1/√{e}"); break;
                case "linear2.weight" or "linear2.bias": Bound(1 / Math.Sqrt(l.Units), $"±1/√{l.Units}"); break;
                case "norm1.weight" or "norm2.weight": All(1); break;
            }
            if (l.Kind == AttentionLayerKind.LayerNorm) All(tensor == "weight" ? 1 : 0);
            if (l.Kind == AttentionLayerKind.Embedding) Bound(6, "N(0, 1) within 6σ");
            if (l.Kind == AttentionLayerKind.PositionalEmbedding)
            {
                Bound(0.12, "N(0, 0.02) within 6σ");
                double spread = Math.Sqrt(values.Average(v => v * v));
                if (values.Length >= 48 && (spread < 0.014 || spread > 0.026)) throw new Mismatch($"initial {name}: RMS {spread:G4} over {values.Length} values, expected about 0.02");
            }
            bool isBias = tensor.EndsWith("bias", StringComparison.Ordinal) || tensor.StartsWith("norm", StringComparison.Ordinal) || l.Kind == AttentionLayerKind.LayerNorm;
            if (!isBias && values.Length >= 4 && values.Distinct().Count() == 1) throw new Mismatch($"initial {name}: all {values.Length} values are {values[0]}");
        }
    }

    /// <summary>|actual − expected| ≤ tol·(1 + |expected|) element by element; the first miss names its tensor.</summary>
    private static void Close(string what, double[] actual, double[] expected, double tol, AttentionCase? spec = null)
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

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Harness;

/// <summary>
/// Makes a failing case smaller while it still fails: drops layers, shrinks sizes and the batch,
/// simplifies activations and settings. Each round's candidates compile together in one compilation.
/// </summary>
public static class Shrinker
{
    public static CaseResult Shrink(CaseResult failing, Action<string>? log = null, int maxRounds = 40, double maxSeconds = 90)
    {
        var watch = Stopwatch.StartNew();
        CaseResult best = failing;
        for (int round = 0; round < maxRounds && watch.Elapsed.TotalSeconds < maxSeconds; round++)
        {
            var candidates = Candidates(best.Spec).Where(IsValid).Select((c, i) => c with { ClassName = $"Shrink{round}_{i}" }).ToList();
            if (candidates.Count == 0) break;
            CaseResult? next = DifferentialSuite.RunMany(candidates, log, "TrustShrink" + round).FirstOrDefault(r => r.Outcome == CaseOutcome.Failed);
            if (next is null) break;
            best = next;
        }
        return best with { Spec = best.Spec with { ClassName = failing.Spec.ClassName } };
    }

    /// <summary>The rules of <see cref="CaseGenerator"/>: what the generator accepts and the reference can judge.</summary>
    public static bool IsValid(CaseSpec c)
    {
        if (c.Layers.Count == 0 || c.InputSize < 1 || c.BatchSize < 1 || c.Steps < 1) return false;
        if (c.Layers.Any(l => l.Kind is LayerKind.Dense or LayerKind.Maxout && l.Units < 1)) return false;
        if (c.Layers.Any(l => l.Kind == LayerKind.Maxout && l.Pieces < 1)) return false;
        for (int i = 0; i < c.Layers.Count - 1; i++)
            if (c.Layers[i].AppliedActivation == Activation.Softmax) return false;
        if (c.Layers.Any(l => l.AppliedActivation == Activation.BinaryStep) && !c.IsPerceptron) return false;
        if (c.Loss == Loss.CrossEntropy && c.OutputActivation is not (Activation.Softmax or Activation.Sigmoid)) return false;
        if (c.Loss == Loss.BinaryCrossEntropy && c.OutputActivation != Activation.Sigmoid && !(c.OutputActivation == Activation.Softmax && c.OutputSize >= 2)) return false;
        return true;
    }

    private static IEnumerable<CaseSpec> Candidates(CaseSpec c)
    {
        // Fewer layers.
        for (int i = 0; i < c.Layers.Count; i++)
            yield return c with { Layers = c.Layers.Where((_, j) => j != i).ToList() };
        // Smaller sizes.
        foreach (int n in Smaller(c.InputSize)) yield return c with { InputSize = n };
        for (int i = 0; i < c.Layers.Count; i++)
        {
            LayerDesc l = c.Layers[i];
            if (l.Kind is LayerKind.Dense or LayerKind.Maxout)
                foreach (int n in Smaller(l.Units)) yield return With(c, i, l with { Units = n });
            if (l.Kind == LayerKind.Maxout)
                foreach (int n in Smaller(l.Pieces)) yield return With(c, i, l with { Pieces = n });
            if (l.AppliedActivation is { } a && a != Activation.Linear && !(i == c.Layers.Count - 1 && c.Loss != Loss.MeanSquaredError))
            {
                yield return With(c, i, l with { Activation = Activation.Linear, Alpha = null });
                if (a != Activation.Tanh) yield return With(c, i, l with { Activation = Activation.Tanh, Alpha = null });
            }
            if (l.Alpha is not null) yield return With(c, i, l with { Alpha = null });
            if (l.Name is not null) yield return With(c, i, l with { Name = null });
            if (l.Kind == LayerKind.Dropout && l.Rate != "0f") yield return With(c, i, l with { Rate = "0f" });
        }
        foreach (int n in Smaller(c.BatchSize)) yield return c with { BatchSize = n };
        if (c.Steps > 1) yield return c with { Steps = c.Steps - 1 };
        // Simpler training settings.
        if (c.WeightDecay is not null) yield return c with { WeightDecay = null };
        if (c.Optimizer != Optimizer.Sgd) yield return c with { Optimizer = Optimizer.Sgd, Momentum = null, Beta1 = null, Beta2 = null, Epsilon = null, RmsDecay = null };
        if (c.LearningRate is not null) yield return c with { LearningRate = null };
        if (c.Momentum is not null) yield return c with { Momentum = null };
        if (c.Beta1 is not null) yield return c with { Beta1 = null };
        if (c.Beta2 is not null) yield return c with { Beta2 = null };
        if (c.Epsilon is not null) yield return c with { Epsilon = null };
        if (c.RmsDecay is not null) yield return c with { RmsDecay = null };
        if (c.Loss != Loss.MeanSquaredError) yield return c with { Loss = Loss.MeanSquaredError };
        if (!c.Double) yield return c with { Double = true };
        if (c.Seed != 0) yield return c with { Seed = 0 };
    }

    private static IEnumerable<int> Smaller(int n)
    {
        if (n > 1) yield return 1;
        if (n > 3) yield return n / 2;
        if (n > 2) yield return n - 1;
    }

    private static CaseSpec With(CaseSpec c, int i, LayerDesc l)
    {
        var layers = c.Layers.ToList();
        layers[i] = l;
        return c with { Layers = layers };
    }
}

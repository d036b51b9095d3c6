using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// The training additions of DESIGN.md §6 inside ApplyUpdate: gradient clipping (ClipNorm) and AdamW with
// weight decay on matrices only. ApplyUpdate is the one optimizer update; ApplyGradients calls it too.
internal sealed partial class NetworkEmitter
{
    /// <summary>With <c>ClipNorm</c> &gt; 0: g ← g·min(1, c/(‖g‖₂ + 1e-6)) over all gradients together, before the update.</summary>
    private void EmitGradientClipping()
    {
        double clip = _spec.Training.ClipNorm;
        if (!(clip > 0)) return;
        _w.Line($"// clip_grad_norm_: ‖g‖₂ over every parameter; when above {clip}, g ← g·{clip}/(‖g‖₂ + 1e-6)");
        _w.Line($"{EmitContext.Kernels}.GradientClipping.ClipNorm<{T}>(_gradients, {_ctx.Literal(clip)});");
    }

    /// <summary>
    /// torch.optim.AdamW over runs of adjacent tensors that share a decay: λ on tensors of two or more
    /// dimensions (weights, projections, embeddings), 0 on biases and normalisation weights (nanoGPT's groups).
    /// </summary>
    private void EmitAdamW()
    {
        TrainingSpec t = _spec.Training;
        string k = EmitContext.Kernels, lr = $"({T})_learningRate";
        _w.Line($"// AdamW: w ← w·(1 − lr·λ) (λ = {t.WeightDecay} on matrices, 0 on vectors); m = {t.Beta1}·m + (1 − {t.Beta1})·g;  v = {t.Beta2}·v + (1 − {t.Beta2})·g²;  w −= lr·m̂ / (√v̂ + {t.Epsilon})");
        foreach ((int offset, int length, bool decays, string names) in DecayRuns())
        {
            string decay = decays ? _ctx.Literal(t.WeightDecay) : _ctx.Literal(0);
            _w.Line($"// {names}: {(decays ? "decayed" : "not decayed")}");
            _w.Line($"{k}.Optimizers.AdamW<{T}>(new {Span}(_parameters, {offset}, {length}), new {ReadOnlySpan}(_gradients, {offset}, {length}),");
            _w.Line($"    new {Span}(_optimizerState, {offset}, {length}), new {Span}(_optimizerState, ParameterCount + {offset}, {length}),");
            _w.Line($"    {lr}, {_ctx.Literal(t.Beta1)}, {_ctx.Literal(t.Beta2)}, {_ctx.Literal(t.Epsilon)}, {decay}, _step);");
        }
    }

    /// <summary>Maximal runs of adjacent parameter tensors with the same decay rule (matrices: two or more dimensions).</summary>
    private IEnumerable<(int Offset, int Length, bool Decays, string Names)> DecayRuns()
    {
        var run = new List<TensorModel>();
        foreach (TensorModel tensor in Tensors.OrderBy(x => x.Offset))
        {
            if (run.Count > 0 && IsMatrix(run[0]) != IsMatrix(tensor))
            {
                yield return Run(run);
                run.Clear();
            }
            run.Add(tensor);
        }
        if (run.Count > 0) yield return Run(run);

        static bool IsMatrix(TensorModel t) => t.Shape.Count >= 2;
        static (int, int, bool, string) Run(List<TensorModel> r)
            => (r[0].Offset, r.Sum(x => x.Length), IsMatrix(r[0]), r.Count <= 3 ? string.Join(", ", r.Select(x => x.Name)) : $"{r[0].Name} … {r[r.Count - 1].Name} ({r.Count} tensors)");
    }
}

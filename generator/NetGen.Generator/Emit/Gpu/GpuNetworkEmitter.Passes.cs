using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

// The passes: forward, loss, backward and update, each a sequence of launches on one stream (no host
// round trip inside a step). Each returns how many launches a training step makes in it.
internal sealed partial class GpuNetworkEmitter
{
    private int EmitForwardPass(SourceWriter w)
    {
        int before = _ctx.LaunchCount;
        int offBranch = 0;
        if (_fused is not null)
        {
            w.Open("if (!training && !withLoss && UseFusedPredict)");
            w.Line("// Predict: every layer in one launch, the activations kept in shared memory (the fused small-MLP kernel)");
            _ctx.Launch(w, _fused);
            w.Line("return;");
            w.Close();
            w.Line();
            offBranch++;
        }
        for (int i = 0; i < _layers.Count; i++)
        {
            if (i > 0) w.Line();
            w.Line($"// ---- {_ctx.Plans[i].Spec.Name} ----");
            _layers[i].EmitForward(w);
            offBranch += _layers[i].LaunchesNotInTrainingStep;
        }
        return _ctx.LaunchCount - before - offBranch;
    }

    private int EmitLossPass(SourceWriter w)
    {
        int before = _ctx.LaunchCount;
        int outputs = _ctx.OutputSize;
        // Over a sequence output the cross entropies are per time step, as the CPU class's (PyTorch's): rows = n·T of
        // `classes` values, the mean over all rows; each sample's loss sums its steps. The element-wise losses need nothing more.
        int steps = _model.Last.Output.IsSequence ? _model.Last.Output.TimeSteps : 1, classes = outputs / steps;
        string lossRows = steps == 1 ? "n" : $"n * {steps}", perRow = $"1f / {(steps == 1 ? "n" : $"({lossRows})")}";
        void PerRow(SourceWriter k, System.Action<SourceWriter> row, System.Action<SourceWriter> gradient)
        {
            if (steps == 1)
            {
                k.Line($"int o = i * {outputs};");
                row(k);
                k.Line("sampleLoss[i] = loss;");
                gradient(k);
                return;
            }
            k.Line("float total = 0f;");
            k.Open($"for (int step = 0; step < {steps}; step++)");
            k.Line($"int o = (i * {steps} + step) * {classes};");
            row(k);
            k.Line("total += loss;");
            gradient(k);
            k.Close();
            k.Line("sampleLoss[i] = total;");
        }
        string y = _ctx.OutputOf(_layers.Count - 1);
        string dy = _ctx.OutputGradientOf(_layers.Count - 1);
        var parameters = new List<KernelParam> { KernelParam.Floats("y", y), KernelParam.Floats("t", "t") };
        string scale;
        System.Action<SourceWriter> body;
        string summary;
        if (IsFusedCrossEntropy)
        {
            w.Line("// L_b = Σᵢ tᵢ·(log Σⱼ e^zⱼ − zᵢ) from the logits z (log-sum-exp); y = softmax(z); dL/dz = (y·Σt − t) / n");
            parameters.Add(KernelParam.Floats("z", Last.PreActivation));
            parameters.Add(KernelParam.Floats("dz", Last.PreActivationGradient));
            scale = perRow;
            summary = "Softmax and cross entropy fused, from the logits: per-sample loss, y = softmax(z) and dL/dz.";
            body = k => PerRow(k, r =>
            {
                r.Line("float max = z[o];");
                r.Line($"for (int j = 1; j < {classes}; j++) max = global::System.MathF.Max(max, z[o + j]);");
                r.Line("float sum = 0f;");
                r.Line($"for (int j = 0; j < {classes}; j++) sum += global::System.MathF.Exp(z[o + j] - max);");
                r.Line("float logSumExp = max + global::System.MathF.Log(sum), inv = 1f / sum, loss = 0f, mass = 0f;");
                r.Line($"for (int j = 0; j < {classes}; j++) {{ loss += Kernels.LossTerms.SoftmaxCrossEntropy(logSumExp, z[o + j], t[o + j]); mass += t[o + j]; y[o + j] = global::System.MathF.Exp(z[o + j] - max) * inv; }}");
            }, r =>
            {
                r.Line($"var gradient = new Kernels.SoftmaxCrossEntropyGradientOperator<float>(mass, {perRow}); // the CPU kernel's operator");
                r.Line($"if (withGradient != 0) for (int j = 0; j < {classes}; j++) dz[o + j] = gradient.Invoke(y[o + j], t[o + j]);");
            });
        }
        else if (_model.LossFusion == LossFusion.CrossEntropyFromLogits)
        {
            w.Line("// The Linear outputs y are logits (PyTorch's CrossEntropyLoss): L_b = Σᵢ tᵢ·(log Σⱼ e^yⱼ − yᵢ); dL/dy = (softmax(y)·Σt − t) / n");
            parameters.Add(KernelParam.Floats("dz", dy));
            scale = perRow;
            summary = "Cross entropy from a Linear output's logits (softmax inside, log-sum-exp): per-sample loss and dL/dy.";
            body = k => PerRow(k, r =>
            {
                r.Line("float max = y[o];");
                r.Line($"for (int j = 1; j < {classes}; j++) max = global::System.MathF.Max(max, y[o + j]);");
                r.Line("float sum = 0f;");
                r.Line($"for (int j = 0; j < {classes}; j++) sum += global::System.MathF.Exp(y[o + j] - max);");
                r.Line("float logSumExp = max + global::System.MathF.Log(sum), inv = 1f / sum, loss = 0f, mass = 0f;");
                r.Line($"for (int j = 0; j < {classes}; j++) {{ loss += Kernels.LossTerms.SoftmaxCrossEntropy(logSumExp, y[o + j], t[o + j]); mass += t[o + j]; }}");
            }, r =>
            {
                r.Line($"var gradient = new Kernels.SoftmaxCrossEntropyGradientOperator<float>(mass, {perRow}); // the CPU kernel's operator");
                r.Line($"if (withGradient != 0) for (int j = 0; j < {classes}; j++) dz[o + j] = gradient.Invoke(global::System.MathF.Exp(y[o + j] - max) * inv, t[o + j]);");
            });
        }
        else if (_model.LossFusion == LossFusion.BinaryCrossEntropyFromLogits)
        {
            w.Line("// The Linear outputs y are logits (PyTorch's BCEWithLogitsLoss): L = mean of max(y, 0) − y·t + log(1 + e^−|y|); dL/dy = (σ(y) − t) / (n·outputs)");
            parameters.Add(KernelParam.Floats("dz", dy));
            scale = $"1f / (n * {outputs})";
            summary = "Binary cross entropy from a Linear output's logits: per-sample loss and dL/dy.";
            body = k =>
            {
                k.Line($"int o = i * {outputs};");
                k.Line("float loss = 0f;");
                k.Line($"var gradient = new Kernels.BinaryCrossEntropyWithLogitsGradientOperator<float>(n * {outputs}); // the CPU kernel's operator");
                k.Open($"for (int j = 0; j < {outputs}; j++)");
                k.Line("loss += Kernels.LossTerms.BinaryCrossEntropyWithLogits(y[o + j], t[o + j]);");
                k.Line("if (withGradient != 0) dz[o + j] = gradient.Invoke(1f / (1f + global::System.MathF.Exp(-y[o + j])), t[o + j]);");
                k.Close();
                k.Line("sampleLoss[i] = loss;");
            };
        }
        else if (IsFusedBinaryCrossEntropy)
        {
            w.Line("// L = mean of max(z, 0) − z·t + log(1 + e^−|z|) from the logits z; dL/dz = (σ(z) − t) / (n·outputs)");
            parameters.Add(KernelParam.Floats("z", Last.PreActivation));
            parameters.Add(KernelParam.Floats("dz", Last.PreActivationGradient));
            scale = $"1f / (n * {outputs})";
            summary = "Sigmoid and binary cross entropy fused, from the logits: per-sample loss and dL/dz.";
            body = k =>
            {
                k.Line($"int o = i * {outputs};");
                k.Line("float loss = 0f;");
                k.Line($"var gradient = new Kernels.BinaryCrossEntropyWithLogitsGradientOperator<float>(n * {outputs}); // the CPU kernel's operator");
                k.Open($"for (int j = 0; j < {outputs}; j++)");
                k.Line("loss += Kernels.LossTerms.BinaryCrossEntropyWithLogits(z[o + j], t[o + j]);");
                k.Line("if (withGradient != 0) dz[o + j] = gradient.Invoke(y[o + j], t[o + j]);");
                k.Close();
                k.Line("sampleLoss[i] = loss;");
            };
        }
        else
        {
            parameters.Add(KernelParam.Floats("dy", IsPerceptron ? Last.PreActivationGradient : dy));
            string gradient;
            switch (Training.Loss)
            {
                case LossKind.MeanSquaredError:
                    w.Line("// L = mean of (y − t)² over every value; dL/dy = 2·(y − t) / (n·outputs)");
                    scale = $"1f / (n * {outputs})";
                    summary = "Mean squared error: per-sample Σ (y − t)² and dL/dy.";
                    gradient = $"new Kernels.MeanSquaredErrorGradientOperator<float>(2f / (n * {outputs})).Invoke(y[o], t[o])";
                    body = k => k.Line("loss += Kernels.LossTerms.SquaredError(y[o], t[o]);");
                    break;
                case LossKind.BinaryCrossEntropy:
                    w.Line("// L = −mean of t·log y + (1 − t)·log(1 − y), logs clamped at −100; dL/dy = (y − t) / max(y·(1 − y), 1e-12) / (n·outputs)");
                    scale = $"1f / (n * {outputs})";
                    summary = "Binary cross entropy on probabilities: per-sample loss and dL/dy.";
                    gradient = $"new Kernels.BinaryCrossEntropyGradientOperator<float>(n * {outputs}, 1e-12f).Invoke(y[o], t[o])";
                    body = k => k.Line("loss += Kernels.LossTerms.BinaryCrossEntropy(y[o], t[o], (float)Kernels.LossTerms.LogFloor);");
                    break;
                default:
                    w.Line("// L = −(1/n)·Σ t·log y on probabilities (log clamped at −100); dL/dy = −t / max(y, 1e-12) / n");
                    scale = perRow;
                    summary = "Cross entropy on probabilities: per-sample loss and dL/dy.";
                    gradient = $"new Kernels.CrossEntropyGradientOperator<float>({lossRows}, 1e-12f).Invoke(y[o], t[o])";
                    body = k => k.Line("if (t[o] != 0f) loss += Kernels.LossTerms.CrossEntropy(y[o], t[o], (float)Kernels.LossTerms.LogFloor);");
                    break;
            }
            if (IsPerceptron)
            {
                w.Line("// The perceptron rule as a gradient: dz = −(t − y), so dW = −Σ (t − y)·xᵀ and db = −Σ (t − y)");
                gradient = "y[o] - t[o]";
            }
            System.Action<SourceWriter> perElement = body;
            string grad = gradient;
            body = k =>
            {
                k.Line("float loss = 0f;");
                k.Open($"for (int j = 0; j < {outputs}; j++)");
                k.Line($"int o = i * {outputs} + j;");
                perElement(k);
                k.Line($"if (withGradient != 0) dy[o] = {grad};");
                k.Close();
                k.Line("sampleLoss[i] = loss;");
            };
        }
        parameters.Add(KernelParam.Floats("sampleLoss", "_sampleLoss.View"));
        parameters.Add(new KernelParam("int", "withGradient", "withGradient ? 1 : 0"));
        _ctx.Launch(w, new ElementKernel("Loss", summary, parameters, "n", body));
        w.Line("// _loss[0] = the per-sample losses' sum, scaled to the mean: one group, a fixed order (no atomics)");
        w.Line($"_sum(new global::ILGPU.KernelConfig(new global::ILGPU.Index1D(1), new global::ILGPU.Index1D(_reductionGroup)), _sampleLoss.View, _loss.View, n, {scale});");
        return _ctx.LaunchCount - before + 1;
    }

    private int EmitBackwardPass(SourceWriter w)
    {
        int before = _ctx.LaunchCount;
        w.Line("// Split-k for the weight gradients: their depth is the batch, so a large batch is cut into slices of at");
        w.Line("// least WeightGradientSplitSamples samples (whole tiles), each slice a layer of groups of its own (tiled kernels only).");
        w.Line("_splits = _tiled ? global::System.Math.Clamp(n / global::System.Math.Max(1, WeightGradientSplitSamples), 1, MaxSplits) : 1;");
        w.Line("_splitChunk = ((n + _splits - 1) / _splits + Tile - 1) / Tile * Tile;");
        w.Line("_splits = (n + _splitChunk - 1) / _splitChunk;");
        w.Line("if (_splits == 1) _splitChunk = n;");
        w.Line();
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            if (i < _layers.Count - 1) w.Line();
            w.Line($"// ---- {_ctx.Plans[i].Spec.Name} ----");
            _layers[i].EmitBackward(w);
        }
        w.Line();
        w.Line("// g = Σ over the slices of the partial weight gradients, in slice order (no atomics)");
        // Gradients one thread sums over the whole batch (PReLU slopes, LayerNorm's γ and β, ...) are written whole, never split.
        var slopes = _layers.SelectMany(l => l.GradientsWrittenWhole()).ToList();
        w.Open("if (_splits > 1)");
        _ctx.Launch(w, new ElementKernel("ReduceGradients", "g = Σ over the batch slices of the partial weight and bias gradients (the gradients written whole are skipped).",
            new[] { KernelParam.Floats("partial", "_partialGradients.View"), KernelParam.Floats("g", GpuContext.Gradients), new KernelParam("int", "splits", "_splits") },
            "ParameterCount",
            k =>
            {
                foreach (var slope in slopes)
                    k.Line($"if (i >= {slope.Offset} && i < {slope.Offset + slope.Length}) return; // {slope.Name}");
                k.Line("float s = 0f;");
                k.Line("for (int split = 0; split < splits; split++) s += partial[split * ParameterCount + i];");
                k.Line("g[i] = s;");
            }) { TakesBatch = false });
        w.Close();
        return _ctx.LaunchCount - before;
    }

    private void EmitUpdatePass(SourceWriter w)
    {
        TrainingSpec t = Training;
        string wd = _ctx.F(t.WeightDecay);
        var parameters = new List<KernelParam> { KernelParam.Floats("w", GpuContext.Parameters), KernelParam.Floats("g", GpuContext.Gradients), KernelParam.Floats("state", "_optimizerState.View"), new("float", "lr", "(float)_learningRate") };
        System.Action<SourceWriter> body;
        string summary;
        w.Line("_step++;");
        int n = ParameterCount;
        switch (t.Optimizer)
        {
            case OptimizerKind.Sgd:
                w.Line("// w −= lr·(g + λw)");
                summary = "SGD: w −= lr·(g + λw), by the CPU kernel's rule.";
                body = k => k.Line($"w[i] = new Kernels.SgdRule<float>(lr, {wd}).Step(w[i], g[i]);");
                break;
            case OptimizerKind.Momentum:
                w.Line($"// v = {t.Momentum}·v + g;  w −= lr·v");
                summary = "Momentum (torch.optim.SGD, dampening 0): v = μv + g; w −= lr·v.";
                body = k =>
                {
                    k.Line("float v = state[i];");
                    k.Line($"w[i] = new Kernels.MomentumRule<float>(lr, {_ctx.F(t.Momentum)}, {wd}).Step(w[i], g[i], ref v);");
                    k.Line("state[i] = v;");
                };
                break;
            case OptimizerKind.RmsProp:
                w.Line($"// s = {t.RmsDecay}·s + (1 − {t.RmsDecay})·g²;  w −= lr·g / (√s + {t.Epsilon})");
                summary = "RMSprop: s = ρs + (1 − ρ)g²; w −= lr·g / (√s + ε).";
                body = k =>
                {
                    k.Line("float s = state[i];");
                    k.Line($"w[i] = new Kernels.RmsPropRule<float>(lr, {_ctx.F(t.RmsDecay)}, {_ctx.F(t.Epsilon)}, {wd}).Step(w[i], g[i], ref s);");
                    k.Line("state[i] = s;");
                };
                break;
            case OptimizerKind.AdamW:
                summary = EmitAdamW(w, parameters, out body);
                break;
            default:
                w.Line($"// m = {t.Beta1}·m + (1 − {t.Beta1})·g;  v = {t.Beta2}·v + (1 − {t.Beta2})·g²;  w −= (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + {t.Epsilon})");
                w.Line("// The bias corrections are computed once, on the host, by the rule the CPU kernel uses.");
                parameters[3] = new KernelParam("Kernels.AdamRule<float>", "rule",
                    $"Kernels.AdamRule<float>.ForStep((float)_learningRate, {_ctx.F(t.Beta1)}, {_ctx.F(t.Beta2)}, {_ctx.F(t.Epsilon)}, {wd}, _step)");
                summary = "Adam by the CPU kernel's rule: m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; w −= stepSize·m / (√v / √(1 − β₂ᵗ) + ε); m and v are state[0..P) and state[P..2P).";
                body = k =>
                {
                    k.Line($"float m = state[i], v = state[{n} + i];");
                    k.Line("w[i] = rule.Step(w[i], g[i], ref m, ref v);");
                    k.Line($"state[i] = m;");
                    k.Line($"state[{n} + i] = v;");
                };
                break;
        }
        _ctx.Launch(w, new ElementKernel("Update", summary, parameters, "ParameterCount", body) { TakesBatch = false });
    }

    /// <summary>
    /// torch.optim.AdamW as the CPU class applies it: w ← w·(1 − lr·λ) on the parameter tensors of two or more
    /// dimensions only (the CPU emitter's DecayRuns rule), then Adam's step without coupled decay.
    /// </summary>
    private string EmitAdamW(SourceWriter w, List<KernelParam> parameters, out System.Action<SourceWriter> body)
    {
        TrainingSpec t = Training;
        int n = ParameterCount;
        // The decayed ranges: maximal runs of adjacent matrices (the tensors of two or more dimensions).
        var runs = new List<(int Begin, int End)>();
        foreach (TensorModel tensor in _model.Parameters.Where(x => x.Shape.Count >= 2).OrderBy(x => x.Offset))
        {
            if (runs.Count > 0 && runs[runs.Count - 1].End == tensor.Offset) runs[runs.Count - 1] = (runs[runs.Count - 1].Begin, tensor.Offset + tensor.Length);
            else runs.Add((tensor.Offset, tensor.Offset + tensor.Length));
        }
        w.Line($"// AdamW: w ← w·(1 − lr·{t.WeightDecay}) on matrices (not on biases or normalisation weights); then m = {t.Beta1}·m + (1 − {t.Beta1})·g;  v = {t.Beta2}·v + (1 − {t.Beta2})·g²;  w −= (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + {t.Epsilon})");
        w.Line("// The bias corrections and the shrink factor are computed once, on the host, as the CPU kernel computes them.");
        parameters[3] = new KernelParam("Kernels.AdamRule<float>", "rule",
            $"Kernels.AdamRule<float>.ForStep((float)_learningRate, {_ctx.F(t.Beta1)}, {_ctx.F(t.Beta2)}, {_ctx.F(t.Epsilon)}, 0f, _step)");
        parameters.Add(new KernelParam("float", "shrink", $"1f - (float)_learningRate * {_ctx.F(t.WeightDecay)}"));
        string decays = runs.Count == 0 ? "false" : string.Join(" || ", runs.Select(r => $"(i >= {r.Begin} && i < {r.End})"));
        body = k =>
        {
            k.Line($"bool decays = {decays}; // a matrix entry");
            k.Line("float m = state[i], v = state[" + n + " + i];");
            k.Line("w[i] = rule.Step(decays ? w[i] * shrink : w[i], g[i], ref m, ref v);");
            k.Line("state[i] = m;");
            k.Line($"state[{n} + i] = v;");
        };
        return "AdamW by the CPU kernel's rule: w ← w·shrink on matrices, then m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; w −= stepSize·m / (√v / √(1 − β₂ᵗ) + ε).";
    }
}

using System.Globalization;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// The passes: forward, loss, backward, the optimizer update and initialisation.
internal sealed partial class NetworkEmitter
{
    private void EmitForwardPass()
    {
        _w.Line("/// <summary>Runs every layer forward over <paramref name=\"n\"/> samples; <paramref name=\"training\"/> turns dropout on.</summary>");
        _w.Open($"private void RunForward({InputSpan} x, int n, bool training)");
        for (int i = 0; i < _layers.Count; i++)
        {
            if (i > 0) _w.Line();
            _w.Line($"// ---- {_ctx.Plans[i].Spec.Name}: {_layers[i].Describe()} ----");
            _layers[i].EmitForward(_w);
        }
        _w.Close();
        _w.Line();
    }

    private void EmitLoss()
    {
        string k = EmitContext.Kernels;
        string y = _ctx.OutputOf(_layers.Count - 1);
        string dy = _ctx.OutputGradientOf(_layers.Count - 1);
        LossKind loss = _spec.Training.Loss;

        _w.Line("/// <summary>The mean loss of the last forward pass against <paramref name=\"t\"/>.</summary>");
        _w.Open($"private {T} RunLoss({ReadOnlySpan} t, int n)");
        if (_model.LossFusion == LossFusion.SoftmaxCrossEntropy)
        {
            _w.Line("// L = (1/n)·Σ over samples of Σᵢ tᵢ·(log Σⱼ e^zⱼ − zᵢ), from the logits z (log-sum-exp: finite for any finite z)");
            _w.Line($"return {k}.Losses.SoftmaxCrossEntropy<{T}>({Last.PreActivation}, t, batch: {LossRows}, n: {Classes});");
        }
        else if (IsLossFused)
        {
            _w.Line("// L = mean of max(z, 0) − z·t + log(1 + e^−|z|), from the logits z (sigmoid and BCE fused)");
            _w.Line($"return {k}.Losses.BinaryCrossEntropyWithLogits<{T}>({Last.PreActivation}, t);");
        }
        else
        {
            switch (loss)
            {
                case LossKind.MeanSquaredError:
                    _w.Line("// L = mean of (y − t)² over every value");
                    _w.Line($"return {k}.Losses.MeanSquaredError<{T}>({y}, t);");
                    break;
                case LossKind.BinaryCrossEntropy:
                    _w.Line("// L = −mean of t·log y + (1 − t)·log(1 − y), logs clamped at −100");
                    _w.Line($"return {k}.Losses.BinaryCrossEntropy<{T}>({y}, t);");
                    break;
                default:
                    _w.Line("// L = −(1/n)·Σ t·log y, y read as probabilities (log clamped at −100)");
                    _w.Line($"return {k}.Losses.CrossEntropy<{T}>({y}, t, batch: {LossRows});");
                    break;
            }
        }
        _w.Close();
        _w.Line();

        if (IsPerceptron)
        {
            EmitPerceptronRule();
            return;
        }
        _w.Line("/// <summary>Writes d(loss)/d(output), or d(loss)/d(logits) when the loss is fused with the last activation.</summary>");
        _w.Open($"private void RunLossGradient({ReadOnlySpan} t, int n)");
        if (_model.LossFusion == LossFusion.SoftmaxCrossEntropy)
        {
            _w.Line("// dL/dz = (softmax(z)·Σt − t) / n");
            _w.Line($"{k}.Losses.SoftmaxCrossEntropyGradient<{T}>({y}, t, {Last.PreActivationGradient}, batch: {LossRows}, n: {Classes});");
        }
        else if (IsLossFused)
        {
            _w.Line("// dL/dz = (σ(z) − t) / (n·outputs)");
            _w.Line($"{k}.Losses.BinaryCrossEntropyWithLogitsGradient<{T}>({y}, t, {Last.PreActivationGradient});");
        }
        else
        {
            switch (loss)
            {
                case LossKind.MeanSquaredError:
                    _w.Line("// dL/dy = 2·(y − t) / (n·outputs)");
                    _w.Line($"{k}.Losses.MeanSquaredErrorGradient<{T}>({y}, t, {dy});");
                    break;
                case LossKind.BinaryCrossEntropy:
                    _w.Line("// dL/dy = (y − t) / (y·(1 − y)) / (n·outputs)");
                    _w.Line($"{k}.Losses.BinaryCrossEntropyGradient<{T}>({y}, t, {dy});");
                    break;
                default:
                    _w.Line("// dL/dy = −t / y / n");
                    _w.Line($"{k}.Losses.CrossEntropyGradient<{T}>({y}, t, {dy}, batch: {LossRows});");
                    break;
            }
        }
        _w.Close();
        _w.Line();
    }

    private void EmitPerceptronRule()
    {
        TensorModel weight = _ctx.Plans[0].Tensor(TensorRole.Weight), bias = _ctx.Plans[0].Tensor(TensorRole.Bias);
        _w.Line("/// <summary>Rosenblatt's rule as a gradient: dW = −Σ (t − y)·xᵀ, db = −Σ (t − y); with SGD and batch 1, w += lr·(t − y)·x.</summary>");
        _w.Open($"private void RunPerceptronRule({ReadOnlySpan} x, {ReadOnlySpan} t, int n)");
        _w.Line($"{EmitContext.Kernels}.Perceptron.Gradient<{T}>(x, {_ctx.OutputOf(0)}, t, {EmitContext.Grad(weight)}, {EmitContext.Grad(bias)}, batch: n, inputs: {_ctx.InputSize}, units: {_ctx.OutputSize});");
        _w.Close();
        _w.Line();
    }

    private void EmitBackwardPass()
    {
        string fusedParameter = IsLossFused ? ", bool lossFused" : "";
        _w.Line("/// <summary>");
        _w.Line("/// Runs every layer backward from d(loss)/d(output), overwriting the parameter gradients;");
        _w.Line("/// <paramref name=\"inputGradient\"/> also computes d(loss)/d(input)." + (IsLossFused ? " <paramref name=\"lossFused\"/>: the loss already wrote d(loss)/d(logits)." : ""));
        _w.Line("/// </summary>");
        _w.Open($"private void RunBackward({InputSpan} x, int n, bool inputGradient{fusedParameter})");
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            if (i < _layers.Count - 1) _w.Line();
            _w.Line($"// ---- {_ctx.Plans[i].Spec.Name}: {_layers[i].Describe()} ----");
            _layers[i].EmitBackward(_w, mayBeFused: IsLossFused && i == _layers.Count - 1);
        }
        _w.Close();
        _w.Line();
    }

    private void EmitUpdate()
    {
        TrainingSpec t = _spec.Training;
        string k = EmitContext.Kernels;
        string lr = $"({T})_learningRate";
        string wd = _ctx.Literal(t.WeightDecay);
        _w.Line("/// <summary>One optimizer step over every parameter (torch.optim's formulas" + (t.WeightDecay > 0 ? $", weight decay {t.WeightDecay}" : "") + ").</summary>");
        _w.Open("private void ApplyUpdate()");
        _w.Line("_step++;");
        switch (t.Optimizer)
        {
            case OptimizerKind.Sgd:
                _w.Line("// w −= lr·(g + λw)");
                _w.Line($"{k}.Optimizers.Sgd<{T}>(_parameters, _gradients, {lr}, {wd});");
                break;
            case OptimizerKind.Momentum:
                _w.Line($"// v = {t.Momentum}·v + g;  w −= lr·v");
                _w.Line($"{k}.Optimizers.Momentum<{T}>(_parameters, _gradients, _optimizerState, {lr}, {_ctx.Literal(t.Momentum)}, {wd});");
                break;
            case OptimizerKind.RmsProp:
                _w.Line($"// s = {t.RmsDecay}·s + (1 − {t.RmsDecay})·g²;  w −= lr·g / (√s + {t.Epsilon})");
                _w.Line($"{k}.Optimizers.RmsProp<{T}>(_parameters, _gradients, _optimizerState, {lr}, {_ctx.Literal(t.RmsDecay)}, {_ctx.Literal(t.Epsilon)}, {wd});");
                break;
            default:
                _w.Line($"// m = {t.Beta1}·m + (1 − {t.Beta1})·g;  v = {t.Beta2}·v + (1 − {t.Beta2})·g²;  w −= lr·m̂ / (√v̂ + {t.Epsilon})");
                _w.Line($"{k}.Optimizers.Adam<{T}>(_parameters, _gradients, new {Span}(_optimizerState, 0, ParameterCount), new {Span}(_optimizerState, ParameterCount, ParameterCount),");
                _w.Line($"    {lr}, {_ctx.Literal(t.Beta1)}, {_ctx.Literal(t.Beta2)}, {_ctx.Literal(t.Epsilon)}, {wd}, _step);");
                break;
        }
        _w.Close();
        _w.Line();
    }

    private void EmitInitialization()
    {
        _w.Line("/// <summary>Initialises the parameters from <paramref name=\"seed\"/> (He uniform before ReLU-family activations, Glorot uniform otherwise, biases zero) and clears the optimizer state.</summary>");
        _w.Open("public void InitializeParameters(int seed)");
        _w.Line($"var random = {EmitContext.Kernels}.SplitMix64.FromSeed(seed);");
        foreach (TensorModel t in _model.Layers.SelectMany(l => l.Tensors))
            TensorInitialization.Emit(_w, _ctx, t);
        _w.Line("global::System.Array.Clear(_gradients);");
        _w.Line("global::System.Array.Clear(_optimizerState);");
        _w.Line("_step = 0;");
        _w.Line("// Dropout masks come from a stream of their own, so they never shift the parameters' draws.");
        _w.Line($"_random = {EmitContext.Kernels}.SplitMix64.FromSeed(unchecked(seed * 31 + 7));");
        _w.Close();
        _w.Line();
    }

    private void EmitNonFiniteCheck()
    {
        string k = EmitContext.Kernels;
        _w.Line("/// <summary>Names the first layer whose parameters or output in the last pass hold a NaN or an infinity (then gradients, last layer first), or null.</summary>");
        _w.Open("public string? FindNonFiniteLayer()");
        _w.Line("int n = _lastBatch;");
        for (int i = 0; i < _layers.Count; i++)
        {
            LayerModel plan = _ctx.Plans[i];
            foreach (TensorModel t in plan.Tensors.Where(t => t.Trainable))
                _w.Line($"if (!{k}.Activations.AllFinite<{T}>({EmitContext.Param(t)})) return \"{plan.Spec.Name} (parameter {t.Name})\";");
            if (!plan.PassesInputThrough)
                _w.Line($"if (!{k}.Activations.AllFinite<{T}>({_ctx.OutputOf(i)})) return \"{plan.Spec.Name} (output)\";");
        }
        for (int i = _layers.Count - 1; i >= 0; i--)
            foreach (TensorModel t in _ctx.Plans[i].Tensors.Where(t => t.Trainable))
                _w.Line($"if (!{k}.Activations.AllFinite<{T}>({EmitContext.Grad(t)})) return \"{_ctx.Plans[i].Spec.Name} (gradient of {t.Name})\";");
        _w.Line("return null;");
        _w.Close();
        _w.Line();
    }

    private void EmitSummary()
    {
        _w.Line("/// <summary>A Keras-style table of the layers, their output shapes and parameter counts (computed at build time).</summary>");
        _w.Line("public const string Summary =");
        string[] lines = SummaryTable.Build(_model).Split('\n');
        for (int i = 0; i < lines.Length; i++)
            _w.Line("    \"" + lines[i].Replace("\\", "\\\\").Replace("\"", "\\\"") + (i < lines.Length - 1 ? "\\n\" +" : "\";"));
    }
}

using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// Class-index targets with CrossEntropy (DESIGN.md §6): one class id per sample, or per time step of a
// sequence output, as PyTorch's CrossEntropyLoss with class indices (averaged over batch × time).
internal sealed partial class NetworkEmitter
{
    /// <summary>CrossEntropy networks (not the perceptron) also take class ids.</summary>
    private bool HasClassIndexTargets => !IsPerceptron && _spec.Training.Loss == LossKind.CrossEntropy;

    private void EmitClassIndexTargets()
    {
        if (!HasClassIndexTargets) return;
        string labels = "global::System.ReadOnlySpan<int>";
        string iface = $"global::NetGen.IClassIndexTargets<{InputElement}, {T}>";
        int perSample = _model.Last.Output.TimeSteps;

        _w.Line($"/// <summary>Class ids per sample in the label overloads: {(perSample == 1 ? "one per sample" : $"one per time step ({perSample})")}.</summary>");
        _w.Line($"public const int LabelsPerSample = {perSample};");
        _w.Line("/// <summary>The number of classes: a label is in [0, ClassCount).</summary>");
        _w.Line($"public const int ClassCount = {Classes};");
        _w.Line($"int {iface}.LabelsPerSample => LabelsPerSample;");
        _w.Line($"int {iface}.ClassCount => ClassCount;");
        _w.Line();

        _w.Line("/// <summary>The mean cross entropy of a batch against class ids (LabelsPerSample per sample); dropout is off and the gradients are left as they are.</summary>");
        _w.Open($"public {T} ComputeLoss({InputSpan} inputs, {labels} labels, int batchSize)");
        _w.Line("CheckBatch(inputs.Length, batchSize, InputSize, \"input\", nameof(inputs));");
        _w.Line("CheckBatch(labels.Length, batchSize, LabelsPerSample, \"label\", nameof(labels));");
        _w.Line("EnsureCapacity(batchSize);");
        _w.Line("_trainingRows = 0;");
        _w.Line("_evaluationRows = batchSize;");
        _w.Line("RunForward(inputs, batchSize, training: false);");
        _w.Line("return RunLabelLoss(labels, batchSize);");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>Overwrites <see cref=\"Gradients\"/> with d(loss)/d(parameters) against class ids and returns the loss.</summary>");
        _w.Open($"public {T} ComputeGradients({InputSpan} inputs, {labels} labels, int batchSize)");
        _w.Line("CheckBatch(inputs.Length, batchSize, InputSize, \"input\", nameof(inputs));");
        _w.Line("CheckBatch(labels.Length, batchSize, LabelsPerSample, \"label\", nameof(labels));");
        _w.Line($"{EmitContext.Kernels}.ClassIndexLosses.CheckLabels(labels, batchSize * LabelsPerSample, ClassCount);");
        _w.Line("EnsureCapacity(batchSize);");
        _w.Line("_lastBatch = batchSize;");
        _w.Line("_trainingRows = batchSize;");
        _w.Line("_evaluationRows = 0;");
        _w.Line("RunForward(inputs, batchSize, training: true);");
        _w.Line($"{T} loss = RunLabelLoss(labels, batchSize);");
        _w.Line("RunLabelLossGradient(labels, batchSize);");
        _w.Line($"RunBackward(inputs, batchSize, inputGradient: false{(IsLossFused ? ", lossFused: true" : "")});");
        _w.Line("return loss;");
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>One training step against class ids: <see cref=\"ComputeGradients\"/>, then one optimizer update. Returns the loss before the update.</summary>");
        _w.Open($"public {T} TrainStep({InputSpan} inputs, {labels} labels, int batchSize)");
        _w.Line($"{T} loss = ComputeGradients(inputs, labels, batchSize);");
        _w.Line("ApplyUpdate();");
        _w.Line("return loss;");
        _w.Close();
        _w.Line();

        string k = EmitContext.Kernels;
        string y = _ctx.OutputOf(_layers.Count - 1);
        _w.Line("/// <summary>The mean cross entropy of the last forward pass against class ids, over batch × time rows.</summary>");
        _w.Open($"private {T} RunLabelLoss({labels} labels, int n)");
        if (_model.LossFusion == LossFusion.SoftmaxCrossEntropy)
        {
            _w.Line("// L = (1/rows)·Σ over rows r of (log Σⱼ e^z_rj − z_r,label_r), from the logits z (log-sum-exp)");
            _w.Line($"return {k}.ClassIndexLosses.SoftmaxCrossEntropy<{T}>({Last.PreActivation}, labels, rows: {LossRows}, classes: {Classes});");
        }
        else if (_model.LossFusion == LossFusion.CrossEntropyFromLogits)
        {
            _w.Line("// The Linear outputs are logits z (PyTorch's CrossEntropyLoss): L = (1/rows)·Σ over rows r of (log Σⱼ e^z_rj − z_r,label_r)");
            _w.Line($"return {k}.ClassIndexLosses.SoftmaxCrossEntropy<{T}>({y}, labels, rows: {LossRows}, classes: {Classes});");
        }
        else
        {
            _w.Line("// L = −(1/rows)·Σ over rows r of log y_r,label_r, y read as probabilities (log clamped at −100)");
            _w.Line($"return {k}.ClassIndexLosses.CrossEntropy<{T}>({y}, labels, rows: {LossRows}, classes: {Classes});");
        }
        _w.Close();
        _w.Line();

        _w.Line("/// <summary>Writes d(loss)/d(output) against class ids, or d(loss)/d(logits) when the loss is fused with Softmax.</summary>");
        _w.Open($"private void RunLabelLossGradient({labels} labels, int n)");
        if (_model.LossFusion == LossFusion.SoftmaxCrossEntropy)
        {
            _w.Line("// dL/dz = (softmax(z) − onehot(label)) / rows");
            _w.Line($"{k}.ClassIndexLosses.SoftmaxCrossEntropyGradient<{T}>({y}, labels, {Last.PreActivationGradient}, rows: {LossRows}, classes: {Classes});");
        }
        else if (_model.LossFusion == LossFusion.CrossEntropyFromLogits)
        {
            _w.Line("// dL/dz = (softmax(z) − onehot(label)) / rows, z the Linear outputs (logits)");
            _w.Line($"{k}.ClassIndexLosses.SoftmaxCrossEntropyGradientFromLogits<{T}>({y}, labels, {_ctx.OutputGradientOf(_layers.Count - 1)}, rows: {LossRows}, classes: {Classes});");
        }
        else
        {
            _w.Line("// dL/dy = −1 / (y·rows) at each row's label, 0 elsewhere");
            _w.Line($"{k}.ClassIndexLosses.CrossEntropyGradient<{T}>({y}, labels, {_ctx.OutputGradientOf(_layers.Count - 1)}, rows: {LossRows}, classes: {Classes});");
        }
        _w.Close();
        _w.Line();
    }
}

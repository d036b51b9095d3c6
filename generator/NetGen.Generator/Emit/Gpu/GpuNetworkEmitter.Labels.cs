using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

// Class-index targets on the runner (CrossEntropy networks, as the CPU class's IClassIndexTargets overloads): one class id
// per sample, or per time step of a sequence output. Each id is checked and written as a one-hot row into one host
// array (grown to the largest batch seen, then reused), which the float overloads upload: the cross entropy of a
// one-hot row is the class-index formula (log Σⱼ e^zⱼ − z_label, gradient softmax − one-hot), averaged over the same rows.
internal sealed partial class GpuNetworkEmitter
{
    /// <summary>CrossEntropy networks (not the perceptron) also take class ids, as their CPU class does.</summary>
    private bool HasClassIndexTargets => !IsPerceptron && Training.Loss == LossKind.CrossEntropy;

    private void EmitLabelOverloads()
    {
        int perSample = _model.Last.Output.TimeSteps, classes = _ctx.OutputSize / perSample;
        const string labels = "global::System.ReadOnlySpan<int> labels";
        _w.Line($"/// <summary>Class ids per sample in the label overloads: {(perSample == 1 ? "one per sample" : $"one per time step ({perSample})")}.</summary>");
        _w.Line($"public const int LabelsPerSample = {perSample};");
        _w.Line("/// <summary>The number of classes: a label is in [0, ClassCount).</summary>");
        _w.Line($"public const int ClassCount = {classes};");
        _w.Line("private float[] _labelStaging = global::System.Array.Empty<float>();");
        _w.Line();
        foreach (string input in IsTokenInput ? new[] { "float", "int" } : new[] { "float" })
        {
            string inputs = $"global::System.ReadOnlySpan<{input}> inputs";
            _w.Line("/// <summary>The mean cross entropy of a batch against class ids (LabelsPerSample per sample), as the CPU class's.</summary>");
            _w.Line($"public float ComputeLoss({inputs}, {labels}, int batchSize) => ComputeLoss(inputs, StageLabels(labels, batchSize), batchSize);");
            _w.Line("/// <summary>Overwrites the device gradients for a batch against class ids and returns its loss.</summary>");
            _w.Line($"public float ComputeGradients({inputs}, {labels}, int batchSize) => ComputeGradients(inputs, StageLabels(labels, batchSize), batchSize);");
            _w.Line("/// <summary>One training step against class ids; returns the loss before the update.</summary>");
            _w.Line($"public float TrainStep({inputs}, {labels}, int batchSize) => TrainStep(inputs, StageLabels(labels, batchSize), batchSize);");
        }
        _w.Line();
        _w.Line($"/// <summary>The ids as one-hot rows of {classes}, each checked to lie in [0, {classes}) (the CPU class's message).</summary>");
        _w.Open($"private global::System.ReadOnlySpan<float> StageLabels({labels}, int batchSize)");
        _w.Line("CheckBatch(labels.Length, batchSize, LabelsPerSample, \"label\", nameof(labels));");
        _w.Line("Kernels.ClassIndexLosses.CheckLabels(labels, labels.Length, ClassCount);");
        _w.Line("int length = labels.Length * ClassCount;");
        _w.Line("if (_labelStaging.Length < length) _labelStaging = new float[length];");
        _w.Line("global::System.Array.Clear(_labelStaging, 0, length);");
        _w.Line("for (int r = 0; r < labels.Length; r++) _labelStaging[r * ClassCount + labels[r]] = 1f;");
        _w.Line("return new global::System.ReadOnlySpan<float>(_labelStaging, 0, length);");
        _w.Close();
        _w.Line();
    }
}

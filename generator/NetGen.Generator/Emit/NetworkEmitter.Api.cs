using System.Linq;

namespace NetGen.Generator.Emit;

// The public members every generated network has (DESIGN.md §2) and the INetwork plumbing.
internal sealed partial class NetworkEmitter
{
    private void EmitPublicApi()
    {
        string output = _ctx.OutputOf(_layers.Count - 1);
        _w.Line("/// <summary>Every trainable parameter, one flat span in PyTorch's layout (see <see cref=\"ParameterTensors\"/>).</summary>");
        _w.Line($"public {Span} Parameters => _parameters;");
        _w.Line("/// <summary>d(loss)/d(parameters) from the last <see cref=\"ComputeGradients\"/> or <see cref=\"Backward(global::System.ReadOnlySpan{" + T + "}, int)\"/>, laid out as <see cref=\"Parameters\"/>.</summary>");
        _w.Line($"public {ReadOnlySpan} Gradients => _gradients;");
        _w.Line("/// <summary>The named tensors that make up <see cref=\"Parameters\"/>.</summary>");
        _w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::NetGen.ParameterTensor> ParameterTensors { get; } = new global::NetGen.ParameterTensor[]");
        _w.Line("{");
        _w.Indent();
        foreach (var t in Tensors) _w.Line($"new(\"{t.Name}\", {t.Offset}, new[] {{ {string.Join(", ", t.Shape)} }}),");
        _w.Unindent();
        _w.Line("};");
        _w.Line("/// <summary>The learning rate the next update uses (a schedule may change it).</summary>");
        _w.Line("public double LearningRate { get => _learningRate; set => _learningRate = value; }");
        _w.Line("/// <summary>The number of optimizer steps taken.</summary>");
        _w.Line("public long OptimizerStep { get => _step; set => _step = value; }");
        _w.Line("/// <summary>The optimizer state (" + (OptimizerSlots switch { 0 => "none for SGD", 1 => "one block of ParameterCount values", _ => "m then v, ParameterCount values each" }) + ").</summary>");
        _w.Line($"public {Span} OptimizerState => _optimizerState;");
        _w.Line("/// <summary>The state of the generator that draws dropout masks.</summary>");
        _w.Line("public ulong RandomState { get => _random.State; set => _random.State = value; }");
        _w.Line();

        EmitPredict("Runs one sample forward: <paramref name=\"output\"/> receives OutputSize values.", "input", "output", "1", "const int n = 1;", output);
        EmitPredict("Runs a row-major batch of <paramref name=\"batchSize\"/> samples forward.", "inputs", "outputs", "batchSize", "int n = batchSize;", output);
        _w.Line("/// <summary>The mean loss of a batch; dropout is off and the gradients are left as they are.</summary>");
        _w.Open($"public {T} ComputeLoss({InputSpan} inputs, {ReadOnlySpan} targets, int batchSize)");
        _w.Line("CheckBatch(inputs.Length, batchSize, InputSize, \"input\", nameof(inputs));");
        _w.Line("CheckBatch(targets.Length, batchSize, OutputSize, \"target\", nameof(targets));");
        _w.Line("EnsureCapacity(batchSize);");
        _w.Line("_trainingRows = 0;");
        _w.Line("_evaluationRows = batchSize;");
        _w.Line("RunForward(inputs, batchSize, training: false);");
        _w.Line("return RunLoss(targets, batchSize);");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>Overwrites <see cref=\"Gradients\"/> with d(loss)/d(parameters) for the batch and returns its loss.</summary>");
        _w.Open($"public {T} ComputeGradients({InputSpan} inputs, {ReadOnlySpan} targets, int batchSize)");
        _w.Line("CheckBatch(inputs.Length, batchSize, InputSize, \"input\", nameof(inputs));");
        _w.Line("CheckBatch(targets.Length, batchSize, OutputSize, \"target\", nameof(targets));");
        _w.Line("EnsureCapacity(batchSize);");
        _w.Line("_lastBatch = batchSize;");
        _w.Line("_trainingRows = batchSize;");
        _w.Line("_evaluationRows = 0;");
        _w.Line("RunForward(inputs, batchSize, training: true);");
        _w.Line($"{T} loss = RunLoss(targets, batchSize);");
        if (IsPerceptron)
        {
            _w.Line("RunPerceptronRule(inputs, targets, batchSize);");
        }
        else
        {
            _w.Line("RunLossGradient(targets, batchSize);");
            _w.Line($"RunBackward(inputs, batchSize, inputGradient: false{(IsLossFused ? ", lossFused: true" : "")});");
        }
        _w.Line("return loss;");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>One training step: <see cref=\"ComputeGradients\"/>, then one optimizer update. Returns the loss before the update.</summary>");
        _w.Open($"public {T} TrainStep({InputSpan} inputs, {ReadOnlySpan} targets, int batchSize)");
        _w.Line($"{T} loss = ComputeGradients(inputs, targets, batchSize);");
        _w.Line("ApplyUpdate();");
        _w.Line("return loss;");
        _w.Close();
        _w.Line();

        string iface = StateInterface;
        _w.Line($"int {iface}.InputSize => InputSize;");
        _w.Line($"int {iface}.OutputSize => OutputSize;");
        _w.Line($"int {iface}.ParameterCount => ParameterCount;");
        _w.Line($"int {iface}.OptimizerStateSlots => {OptimizerSlots};");
        _w.Line($"global::System.Collections.Generic.IReadOnlyList<global::NetGen.ParameterTensor> {iface}.ParameterTensors => ParameterTensors;");
        _w.Line();
    }

    /// <summary>One Predict overload: check both sizes, then run the layers forward without dropout on a pooled scratch set (thread-safe).</summary>
    private void EmitPredict(string summary, string input, string output, string batch, string samples, string lastOutput)
    {
        string parameters = batch == "1" ? $"{InputSpan} {input}, {Span} {output}" : $"{InputSpan} {input}, {Span} {output}, int batchSize";
        _w.Line($"/// <summary>{summary}</summary>");
        _w.Open($"public void Predict({parameters})");
        _w.Line($"CheckBatch({input}.Length, {batch}, InputSize, \"input\", nameof({input}));");
        _w.Line($"CheckBatch({output}.Length, {batch}, OutputSize, \"output\", nameof({output}));");
        _w.Line(samples);
        _w.Line("// A scratch set of this call's own (see RentInferenceScratch): concurrent calls never share buffers.");
        _w.Line($"{ScratchType} scratch = RentInferenceScratch();");
        _w.Line($"try {{ scratch.Predict({input}, {output}, n); }}");
        _w.Line("finally { ReturnInferenceScratch(scratch); }");
        _w.Close();
        _w.Line();
    }

    /// <summary>A property giving the first <paramref name="rowsField"/> rows of the output buffer: the outputs a pass left there.</summary>
    private void EmitKeptOutputs(string name, string rowsField, string summary, string output)
    {
        _w.Line($"/// <summary>{summary}</summary>");
        _w.Open($"public {ReadOnlySpan} {name}");
        _w.Open("get");
        _w.Line($"int n = {rowsField};");
        _w.Line($"return {output};");
        _w.Close();
        _w.Close();
        _w.Line();
    }

    /// <summary>Forward and Backward with a caller's gradient, so one network's gradient can flow into another's (GANs, heads).</summary>
    private void EmitComposition()
    {
        string output = _ctx.OutputOf(_layers.Count - 1);
        _w.Line("/// <summary>A training-mode forward pass (dropout on) that keeps what <see cref=\"Backward(global::System.ReadOnlySpan{" + T + "}, int)\"/> needs.</summary>");
        _w.Open($"public void Forward({InputSpan} inputs, {Span} outputs, int batchSize)");
        _w.Line("CheckBatch(inputs.Length, batchSize, InputSize, \"input\", nameof(inputs));");
        _w.Line("CheckBatch(outputs.Length, batchSize, OutputSize, \"output\", nameof(outputs));");
        _w.Line("int n = batchSize;");
        _w.Line("EnsureCapacity(n);");
        _w.Line("_lastBatch = n;");
        _w.Line("_trainingRows = n;");
        _w.Line("_evaluationRows = 0;");
        _w.Line("inputs.CopyTo(_x);");
        _w.Line($"{InputSpan} x = Rows(_x, n * InputSize);");
        _w.Line("RunForward(x, n, training: true);");
        _w.Line($"{output}.CopyTo(outputs);");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// The backward pass from a caller's d(loss)/d(outputs) for the batch of the last <see cref=\"Forward\"/>:");
        _w.Line("/// overwrites <see cref=\"Gradients\"/> and fills <see cref=\"InputGradients\"/>.");
        _w.Line("/// </summary>");
        _w.Open($"public void Backward({ReadOnlySpan} outputGradient, int batchSize)");
        _w.Line("if (batchSize != _lastBatch) throw new global::System.InvalidOperationException($\"Backward needs the batch of the last Forward ({_lastBatch} samples), but got {batchSize}.\");");
        _w.Line("CheckBatch(outputGradient.Length, batchSize, OutputSize, \"output gradient\", nameof(outputGradient));");
        _w.Line("int n = batchSize;");
        _w.Line($"outputGradient.CopyTo({_ctx.OutputGradientOf(_layers.Count - 1)});");
        _w.Line($"RunBackward(Rows(_x, n * InputSize), n, inputGradient: true{(IsLossFused ? ", lossFused: false" : "")});");
        _w.Close();
        _w.Line();
        EmitKeptOutputs("TrainingOutputs", "_trainingRows",
            "The outputs of the last training-mode forward pass (ComputeGradients, TrainStep or Forward: dropout on, the parameters before the update), row-major; empty after ComputeLoss.", output);
        EmitKeptOutputs("EvaluationOutputs", "_evaluationRows",
            "The outputs of the last ComputeLoss (inference mode: dropout off, running statistics), row-major; empty after a training-mode pass or Step. The trainer's validation metrics read them instead of running a second forward pass.", output);
        if (IsTokenInput) return; // token ids are not differentiable: no InputGradients
        _w.Line("/// <summary>d(loss)/d(inputs) from the last <see cref=\"Backward(global::System.ReadOnlySpan{" + T + "}, int)\"/>, row-major.</summary>");
        _w.Line($"public {ReadOnlySpan} InputGradients => Rows(_dx, _lastBatch * InputSize);");
        _w.Line();
    }

    private void EmitPlumbing()
    {
        _w.Line("/// <summary>Grows every buffer to hold <paramref name=\"n\"/> samples; smaller batches reuse them, so steady state allocates nothing.</summary>");
        _w.Open("private void EnsureCapacity(int n)");
        _w.Line("if (n <= _capacity) return;");
        _w.Line("_capacity = n;");
        _w.Line($"_x = new {InputElement}[n * InputSize];");
        _w.Line($"_dx = new {T}[n * InputSize];");
        foreach (BufferField b in _layers.SelectMany(l => l.Buffers()).Where(b => b.PerSample))
            _w.Line($"{b.Name} = new {b.Type}[n * {b.Size}];");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>The first <paramref name=\"count\"/> values of a buffer.</summary>");
        _w.Line("private static global::System.Span<TElement> Rows<TElement>(TElement[] buffer, int count) => new(buffer, 0, count);");
        _w.Line();
        _w.Line("/// <summary>Throws unless <paramref name=\"length\"/> is <paramref name=\"batchSize\"/> samples of <paramref name=\"size\"/> values.</summary>");
        _w.Open("private static void CheckBatch(int length, int batchSize, int size, string what, string parameter)");
        _w.Line("if (batchSize <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch size must be positive.\");");
        _w.Line("if (length != (long)batchSize * size)");
        _w.Line("    throw new global::System.ArgumentException($\"Expected {(long)batchSize * size} {what} values ({batchSize} samples of {size}), but got {length}.\", parameter);");
        _w.Close();
        _w.Line();
    }
}

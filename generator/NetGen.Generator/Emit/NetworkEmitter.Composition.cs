using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// Composition (DESIGN.md §6): one optimizer update from the current gradients, gradient accumulation
// across Backward calls, and the buffers (running statistics) exposed like the parameters.
internal sealed partial class NetworkEmitter
{
    private void EmitCompositionUpdates()
    {
        string iface = StateInterface;
        _w.Line("/// <summary>");
        _w.Line("/// One optimizer update from the current <see cref=\"Gradients\"/> (as left by <see cref=\"ComputeGradients\"/> or");
        _w.Line("/// <see cref=\"Backward(global::System.ReadOnlySpan{" + T + "}, int, bool)\"/>): <see cref=\"TrainStep\"/> is <see cref=\"ComputeGradients\"/> then this.");
        _w.Line("/// </summary>");
        _w.Line("public void ApplyGradients() => ApplyUpdate();");
        _w.Line();
        _w.Line($"private {T}[]? _gradientsBefore; // the gradients an accumulating Backward adds to (allocated on its first call)");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// <see cref=\"Backward(global::System.ReadOnlySpan{" + T + "}, int)\"/>, and with <paramref name=\"accumulate\"/> the new");
        _w.Line("/// d(loss)/d(parameters) is added to <see cref=\"Gradients\"/> instead of replacing them (a discriminator's real and");
        _w.Line("/// fake batches, one update). <see cref=\"InputGradients\"/> always holds this call's input gradient.");
        _w.Line("/// </summary>");
        _w.Open($"public void Backward({ReadOnlySpan} outputGradient, int batchSize, bool accumulate)");
        _w.Open("if (!accumulate)");
        _w.Line("Backward(outputGradient, batchSize);");
        _w.Line("return;");
        _w.Close();
        _w.Line($"_gradientsBefore ??= new {T}[ParameterCount];");
        _w.Line("_gradients.CopyTo(_gradientsBefore, 0);");
        _w.Line("Backward(outputGradient, batchSize);");
        _w.Line("// g ← g_this batch + g_before");
        _w.Line($"{EmitContext.Kernels}.Accumulation.Add<{T}>(_gradientsBefore, _gradients);");
        _w.Close();
        _w.Line();

        // The buffers: running statistics, not trained, named as PyTorch names them.
        bool any = _model.BufferCount > 0;
        _w.Line("/// <summary>The values that are not trained (running statistics), one flat span laid out as <see cref=\"BufferTensors\"/>" + (any ? "" : "; empty here") + ".</summary>");
        _w.Line($"public {Span} Buffers => {(any ? "_buffers" : $"{Span}.Empty")};");
        _w.Line("/// <summary>The named tensors that make up <see cref=\"Buffers\"/> (PyTorch's <c>running_mean</c>, <c>running_var</c>).</summary>");
        _w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::NetGen.ParameterTensor> BufferTensors { get; } = new global::NetGen.ParameterTensor[]");
        _w.Line("{");
        _w.Indent();
        foreach (TensorModel t in _model.Buffers) _w.Line($"new(\"{t.Name}\", {t.Offset}, new[] {{ {string.Join(", ", t.Shape)} }}),");
        _w.Unindent();
        _w.Line("};");
        _w.Line($"global::System.Collections.Generic.IReadOnlyList<global::NetGen.ParameterTensor> {iface}.BufferTensors => BufferTensors;");
        _w.Line();
    }
}

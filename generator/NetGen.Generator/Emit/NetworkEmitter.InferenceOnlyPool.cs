using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// Concurrent inference in the inference-only class (DESIGN.md §6, Concurrency): as in the trainable class, every
// Predict runs on a scratch set of its own from a small lock-free pool, so many threads may predict with one
// instance at once and get, bit for bit, what one thread gets. The weights are static constant data and the
// running statistics a static read-only array, so a scratch set needs nothing from the instance: the pool's first
// set is made with the instance (nothing is allocated after construction by one thread, or by a steady number of
// threads once each has had its set); a set is created only when every pooled set is in use.
internal sealed partial class NetworkEmitter
{
    /// <summary>The pool, its rent and return, the static buffers and the nested scratch type with the forward pass.</summary>
    private void EmitInferenceOnlyPool()
    {
        if (_model.BufferCount > 0)
        {
            _w.Line("/// <summary>The running statistics, copied once per process (the forward code takes spans; inference only reads them).</summary>");
            _w.Line($"private static readonly {T}[] _buffers = BufferData.ToArray();");
        }
        _w.Line("/// <summary>Pooled scratch sets; a slot holds null while its set is in use. The first is made with the instance.</summary>");
        _w.Line($"private readonly {ScratchType}?[] _inferencePool = NewInferencePool();");
        _w.Line();
        _w.Open($"private static {ScratchType}?[] NewInferencePool()");
        _w.Line($"var pool = new {ScratchType}?[global::System.Math.Clamp(2 * global::System.Environment.ProcessorCount, 4, 64)];");
        _w.Line($"pool[0] = new {ScratchType}();");
        _w.Line("return pool;");
        _w.Close();
        _w.Line();
        EmitScratchRentAndReturn($"new {ScratchType}()");
        _w.Line();

        // The scratch type: every buffer the forward pass uses, for ScratchBatch samples, and the forward pass itself
        // (the same layer emitters); the tensors it reads are the enclosing class's static views.
        _w.Line("/// <summary>The activations of one Predict in flight (ScratchBatch samples), and the forward pass over them.</summary>");
        _w.Open($"private sealed class {ScratchType}");
        foreach (BufferField b in _layers.SelectMany(l => l.Buffers()).Where(b => !b.StepOnly)) // no Step here: no generation state
            _w.Line(b.PerSample
                ? $"private readonly {b.Type}[] {b.Name} = new {b.Type}[ScratchBatch * {b.Size}]; // {b.Meaning}"
                : $"private readonly {b.Type}[] {b.Name} = new {b.Type}[{b.Size}]; // {b.Meaning} (one sample at a time)");
        _w.Line("/// <summary>Only the training branch of dropout draws from it; inference never does.</summary>");
        _w.Line($"private {EmitContext.Kernels}.SplitMix64 _random;");
        _w.Line();
        _w.Line("/// <summary>Runs <paramref name=\"n\"/> ≤ ScratchBatch samples forward (dropout off) and copies the output to <paramref name=\"output\"/>.</summary>");
        _w.Open($"public void Predict({InputSpan} x, {Span} output, int n)");
        _w.Line("RunForward(x, n, training: false);");
        _w.Line($"{_ctx.OutputOf(_layers.Count - 1)}.CopyTo(output);");
        _w.Close();
        _w.Line();
        EmitForwardPass();
        _w.Close();
        _w.Line();
    }
}

using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// Concurrent inference (DESIGN.md §6, Concurrency): Predict runs on a scratch set of its own, so many
// threads may predict with one instance at once and get, bit for bit, what one thread gets. The
// scratch sets live in a small lock-free pool: taken with Interlocked.Exchange, put back with
// CompareExchange, created only when every pooled set is in use, and reused, so a single thread (or a
// steady number of threads) allocates nothing after its first call. Training calls keep the instance's
// own buffers and stay single-threaded by contract.
internal sealed partial class NetworkEmitter
{
    /// <summary>The nested scratch type every Predict runs on.</summary>
    private const string ScratchType = "InferenceScratch";

    private void EmitInferenceScratch()
    {
        _w.Line("// ---- Concurrent inference: a pool of scratch sets, one per Predict in flight ----");
        _w.Line("/// <summary>Pooled scratch sets; a slot holds null while its set is in use (or before one was needed).</summary>");
        _w.Line($"private readonly {ScratchType}?[] _inferencePool = new {ScratchType}?[global::System.Math.Clamp(2 * global::System.Environment.ProcessorCount, 4, 64)];");
        _w.Line();
        EmitScratchRentAndReturn($"new {ScratchType}(this)");
        _w.Line();

        // The scratch type: the buffers the forward pass uses (not the gradients'), and the same forward pass
        // (emitted by the same layer emitters), reading the parameters through the network it belongs to.
        // Which buffers that is, the layer emitters say (BackwardOnly marks the gradient buffers, StepOnly generation's state).
        BufferField[] used = _layers.SelectMany(l => l.Buffers()).Where(b => !b.BackwardOnly && !b.StepOnly).ToArray();
        _w.Line("/// <summary>The activations one Predict needs, and the forward pass over them (the parameters are the network's, read only).</summary>");
        _w.Open($"private sealed class {ScratchType}");
        _w.Line($"private readonly {_spec.ClassName} _network;");
        _w.Line("private int _capacity;");
        foreach (BufferField b in used)
            _w.Line(b.PerSample
                ? $"private {b.Type}[] {b.Name} = global::System.Array.Empty<{b.Type}>(); // {b.Meaning}"
                : $"private readonly {b.Type}[] {b.Name} = new {b.Type}[{b.Size}]; // {b.Meaning} (one sample at a time)");
        _w.Line();
        _w.Line($"public {ScratchType}({_spec.ClassName} network) => _network = network;");
        _w.Line();
        _w.Line("// The network's tensors, read through it (views over its parameter and buffer arrays).");
        foreach (TensorModel t in _model.Layers.SelectMany(l => l.Tensors))
            _w.Line($"private {Span} {EmitContext.Param(t)} => _network.{EmitContext.Param(t)};");
        _w.Line("// The flat arrays themselves, for kernels that take a layer's whole slice (TransformerBlock).");
        _w.Line($"private {T}[] _parameters => _network._parameters;");
        if (_model.BufferCount > 0) _w.Line($"private {T}[] _buffers => _network._buffers;");
        _w.Line("/// <summary>Only the training branch of dropout draws from it; inference never does.</summary>");
        _w.Line($"private ref {EmitContext.Kernels}.SplitMix64 _random => ref _network._random;");
        _w.Line();
        _w.Line("/// <summary>Runs <paramref name=\"n\"/> samples forward (dropout off) and copies the output to <paramref name=\"output\"/>.</summary>");
        _w.Open($"public void Predict({InputSpan} x, {Span} output, int n)");
        _w.Line("EnsureCapacity(n);");
        _w.Line("RunForward(x, n, training: false);");
        _w.Line($"{_ctx.OutputOf(_layers.Count - 1)}.CopyTo(output);");
        _w.Close();
        _w.Line();
        _w.Open("private void EnsureCapacity(int n)");
        _w.Line("if (n <= _capacity) return;");
        _w.Line("_capacity = n;");
        foreach (BufferField b in used.Where(b => b.PerSample))
            _w.Line($"{b.Name} = new {b.Type}[n * {b.Size}];");
        _w.Close();
        _w.Line();
        EmitForwardPass();
        _w.Close();
        _w.Line();
    }

    /// <summary>
    /// The pool's two operations, shared by the trainable and the inference-only class: Rent takes a pooled scratch set
    /// lock-free, or makes one with <paramref name="newScratch"/> when all are in use; Return puts it back in an empty slot.
    /// </summary>
    private void EmitScratchRentAndReturn(string newScratch)
    {
        _w.Line("/// <summary>Takes a pooled scratch set, or creates one when every pooled set is in use (lock-free).</summary>");
        _w.Open($"private {ScratchType} RentInferenceScratch()");
        _w.Line($"{ScratchType}?[] pool = _inferencePool;");
        _w.Open("for (int i = 0; i < pool.Length; i++)");
        _w.Line("if (global::System.Threading.Volatile.Read(ref pool[i]) is null) continue;");
        _w.Line($"{ScratchType}? scratch = global::System.Threading.Interlocked.Exchange(ref pool[i], null);");
        _w.Line("if (scratch is not null) return scratch;");
        _w.Close();
        _w.Line($"return {newScratch};");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>Puts a scratch set back in the first empty slot; with none empty it is left to the collector.</summary>");
        _w.Open($"private void ReturnInferenceScratch({ScratchType} scratch)");
        _w.Line($"{ScratchType}?[] pool = _inferencePool;");
        _w.Line("for (int i = 0; i < pool.Length; i++)");
        _w.Line("    if (global::System.Threading.Interlocked.CompareExchange(ref pool[i], scratch, null) is null) return;");
        _w.Close();
    }
}

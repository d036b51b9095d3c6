using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Embedding on the GPU. The runner's input holds the token ids as floats (exact up to 2²⁴; the host
/// overloads check each is an integer in [0, vocabulary), as the CPU class does). Forward: one thread per
/// output value gathers its table entry. Backward: one thread per table entry sums dy over the positions
/// holding its id, positions in order, so the scatter-add is deterministic (no float atomics) and adds in
/// the CPU kernel's order. Cost O(vocabulary·dimensions·positions): right for the small vocabularies the
/// tests and examples use, not for a large one (a sort by id would be).
/// </summary>
internal sealed class GpuEmbeddingEmitter : GpuLayerEmitter
{
    private readonly EmbeddingSpec _embedding;

    public GpuEmbeddingEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _embedding = (EmbeddingSpec)layer.Spec;

    private TensorModel Table => Layer.Tensor(TensorRole.Embedding);
    private int Steps => Layer.Input.TimeSteps;
    private int Dims => _embedding.Dimensions;
    private int Vocabulary => _embedding.Vocabulary;

    /// <summary>The table's gradient: one thread per entry sums over the whole batch.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole() => new[] { Table };

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[s, t] = W{I}[ids[s, t]]   (W{I}: {Vocabulary}×{Dims}; an id outside [0, {Vocabulary}) gives a row of zeros on the device: the host overloads reject it first)");
        Ctx.Launch(w, new ElementKernel($"{L}EmbeddingGather", "y[p, d] = W[id(p), d], the id read from the float input.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("y", Ctx.OutputOf(I)) },
            $"n * {Layer.OutputSize}",
            ew =>
            {
                ew.Line($"int id = (int)x[i / {Dims}];");
                ew.Line($"y[i] = id >= 0 && id < {Vocabulary} ? p[{Table.Offset} + id * {Dims} + i % {Dims}] : 0f;");
            }));
    }

    public override void EmitBackward(SourceWriter w)
    {
        w.Line($"// dW{I}[v, d] = Σ over positions p (in order) with ids[p] = v of dy{I}[p, d]   (one thread per table entry: deterministic, no atomics)");
        Ctx.Launch(w, new ElementKernel($"{L}EmbeddingScatter", "dW[v, d] = Σ over the positions p holding id v of dy[p, d], positions in order.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("g", GpuContext.Gradients) },
            Table.Length.ToString(),
            ew =>
            {
                ew.Line($"int v = i / {Dims}, d = i % {Dims};");
                ew.Line("float sum = 0f;");
                ew.Line($"for (int q = 0; q < n * {Steps}; q++) if ((int)x[q] == v) sum += dy[q * {Dims} + d];");
                ew.Line($"g[{Table.Offset} + i] = sum;");
            }));
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// PositionalEmbedding on the GPU: y = x + P[t] one thread per value; dP[t] = Σ_b dy[b, t] one thread per
/// table entry (the batch in order, written whole; rows t ≥ timeSteps 0), dx = dy copied when wanted.
/// </summary>
internal sealed class GpuPositionalEmbeddingEmitter : GpuLayerEmitter
{
    private readonly PositionalEmbeddingSpec _positional;

    public GpuPositionalEmbeddingEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _positional = (PositionalEmbeddingSpec)layer.Spec;

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private TensorModel Table => Layer.Tensor(TensorRole.Positional);

    /// <summary>The table's gradient: one thread per entry sums over the whole batch.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole() => new[] { Table };

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[b, t] = x{I}[b, t] + P{I}[t]   (P{I}: {_positional.MaxLength}×{Width}, rows 0..{Steps - 1} used)");
        Ctx.Launch(w, new ElementKernel($"{L}AddPositions", "y[b, t, d] = x[b, t, d] + P[t, d].",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("y", Ctx.OutputOf(I)) },
            $"n * {Layer.OutputSize}",
            ew => ew.Line($"y[i] = x[i] + p[{Table.Offset} + i % {Layer.OutputSize}];")));
    }

    public override void EmitBackward(SourceWriter w)
    {
        string dy = Ctx.OutputGradientOf(I);
        w.Line($"// dP{I}[t] = Σ over the batch of dy{I}[b, t] (rows {Steps}..{_positional.MaxLength - 1}: 0)   (one thread per table entry; written whole)");
        Ctx.Launch(w, new ElementKernel($"{L}PositionGradient", "dP[t, d] = Σ_b dy[b, t, d] for t < timeSteps, else 0.",
            new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("g", GpuContext.Gradients) },
            Table.Length.ToString(),
            ew =>
            {
                ew.Line("float sum = 0f;");
                ew.Line($"if (i < {Layer.OutputSize}) for (int b = 0; b < n; b++) sum += dy[b * {Layer.OutputSize} + i];");
                ew.Line($"g[{Table.Offset} + i] = sum;");
            }));
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = dy{I}");
        Ctx.Launch(w, new ElementKernel($"{L}PassGradient", "dx = dy.",
            new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Layer.OutputSize}", ew => ew.Line("dx[i] = dy[i];")));
    }
}

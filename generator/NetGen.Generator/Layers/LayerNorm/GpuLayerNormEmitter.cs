using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// LayerNorm over a vector, or over each time step of a sequence (rows = batch × steps), on the GPU: forward one thread per row (two passes, μ then Σ(x − μ)², as
/// the CPU kernel), keeping μ and rstd; backward dγ = Σ_b dy ⊙ x̂ and dβ = Σ_b dy with one thread per
/// feature looping over the rows (written whole, no atomics), and dx one thread per row. The element
/// steps are the runtime's <c>LayerNormMath</c>.
/// </summary>
internal sealed class GpuLayerNormEmitter : GpuLayerEmitter
{
    private readonly LayerNormSpec _norm;

    public GpuLayerNormEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _norm = (LayerNormSpec)layer.Spec;

    private int Width => Layer.Input.Features;
    private TensorModel Scale => Layer.Tensor(TensorRole.Scale);
    private TensorModel Shift => Layer.Tensor(TensorRole.Shift);
    private string Eps => Ctx.F(_norm.Epsilon);
    private int Steps => Layer.Input.TimeSteps;
    /// <summary>The rows normalised one by one: <c>n</c>, or <c>n * t</c> on a sequence.</summary>
    private string Rows => EmitContext.RowsOf(Layer.Input);

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        yield return new DeviceBuffer($"_mean{I}", Steps, "float", $"{_norm.Name} mean of each {(Layer.Input.IsSequence ? "row" : "sample")}");
        yield return new DeviceBuffer($"_rstd{I}", Steps, "float", $"{_norm.Name} 1/√(σ² + ε) of each {(Layer.Input.IsSequence ? "row" : "sample")}");
    }

    /// <summary>γ and β: one thread per feature sums over the whole batch.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole() => new[] { Scale, Shift };

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I} = (x{I} − μ)/√(σ² + {_norm.Epsilon.ToString("R", CultureInfo.InvariantCulture)})·γ + β over the {Width} values of each sample (σ² biased, two passes)");
        Ctx.Launch(w, new ElementKernel($"{L}LayerNorm", "y = (x − μ)·rstd ⊙ γ + β per sample; μ and rstd kept.",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("y", Ctx.OutputOf(I)),
                    KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("rstd", $"_rstd{I}.View") },
            Rows,
            ew =>
            {
                ew.Line($"int o = i * {Width};");
                ew.Line("// μ = Σx / width; σ² = Σ(x − μ)² / width");
                ew.Line("float sum = 0f;");
                ew.Line($"for (int j = 0; j < {Width}; j++) sum += x[o + j];");
                ew.Line($"float mu = sum / {Width}f, squares = 0f;");
                ew.Line($"for (int j = 0; j < {Width}; j++) {{ float c = x[o + j] - mu; squares += c * c; }}");
                ew.Line($"float s = 1f / global::System.MathF.Sqrt(squares / {Width}f + {Eps});");
                ew.Line("mean[i] = mu;");
                ew.Line("rstd[i] = s;");
                ew.Line($"for (int j = 0; j < {Width}; j++) y[o + j] = Kernels.LayerNormMath.Normalised(x[o + j], mu, s) * p[{Scale.Offset} + j] + p[{Shift.Offset} + j];");
            }));
    }

    public override void EmitBackward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), dy = Ctx.OutputGradientOf(I);
        w.Line($"// dγ{I} = Σ_b dy{I} ⊙ x̂;  dβ{I} = Σ_b dy{I}   (one thread per feature; written whole, not split over the batch)");
        Ctx.Launch(w, new ElementKernel($"{L}LayerNormParameterGradient", "dγ = Σ over the batch of dy ⊙ x̂, dβ = Σ of dy.",
            new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("x", x), KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("rstd", $"_rstd{I}.View"), KernelParam.Floats("g", GpuContext.Gradients) },
            Width.ToString(),
            ew =>
            {
                ew.Line("float dScale = 0f, dShift = 0f;");
                ew.Open($"for (int b = 0; b < {Rows}; b++)");
                ew.Line($"int o = b * {Width} + i;");
                ew.Line("dScale += dy[o] * Kernels.LayerNormMath.Normalised(x[o], mean[b], rstd[b]);");
                ew.Line("dShift += dy[o];");
                ew.Close();
                ew.Line($"g[{Scale.Offset} + i] = dScale;");
                ew.Line($"g[{Shift.Offset} + i] = dShift;");
            }));
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy{I} ⊙ γ, per sample");
        Ctx.Launch(w, new ElementKernel($"{L}LayerNormInputGradient", "dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ γ.",
            new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters),
                    KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("rstd", $"_rstd{I}.View"), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            Rows,
            ew =>
            {
                ew.Line($"int o = i * {Width};");
                ew.Line("float mu = mean[i], s = rstd[i], sumG = 0f, sumGXhat = 0f;");
                ew.Open($"for (int j = 0; j < {Width}; j++)");
                ew.Line($"float g = dy[o + j] * p[{Scale.Offset} + j];");
                ew.Line("sumG += g;");
                ew.Line("sumGXhat += g * Kernels.LayerNormMath.Normalised(x[o + j], mu, s);");
                ew.Close();
                ew.Line($"float meanG = sumG / {Width}f, meanGXhat = sumGXhat / {Width}f;");
                ew.Line($"for (int j = 0; j < {Width}; j++) dx[o + j] = Kernels.LayerNormMath.InputGradient(dy[o + j], p[{Scale.Offset} + j], Kernels.LayerNormMath.Normalised(x[o + j], mu, s), meanG, meanGXhat, s);");
            }));
    }
}

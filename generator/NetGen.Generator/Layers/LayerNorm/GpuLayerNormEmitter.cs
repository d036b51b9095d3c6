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
        Ctx.Launch(w, ForwardKernel($"{L}LayerNorm", Ctx.InputOf(I), Ctx.OutputOf(I), $"_mean{I}.View", $"_rstd{I}.View", Scale.Offset, Shift.Offset, Width, Rows, Eps));
    }

    public override void EmitBackward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), dy = Ctx.OutputGradientOf(I);
        w.Line($"// dγ{I} = Σ_b dy{I} ⊙ x̂;  dβ{I} = Σ_b dy{I}   (one thread per feature; written whole, not split over the batch)");
        Ctx.Launch(w, ParameterGradientKernel($"{L}LayerNormParameterGradient", dy, x, $"_mean{I}.View", $"_rstd{I}.View", Scale.Offset, Shift.Offset, Width, Rows));
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy{I} ⊙ γ, per sample");
        Ctx.Launch(w, InputGradientKernel($"{L}LayerNormInputGradient", dy, x, $"_mean{I}.View", $"_rstd{I}.View", Scale.Offset, Ctx.InputGradientOf(I), Width, Rows, residual: null));
    }

    /// <summary>y = (x − μ)·rstd ⊙ γ + β, one thread per row of <paramref name="width"/> values (two passes); μ and rstd kept.</summary>
    internal static ElementKernel ForwardKernel(string name, string x, string y, string mean, string rstd, int scale, int shift, int width, string rows, string eps)
        => new(name, "y = (x − μ)·rstd ⊙ γ + β per sample; μ and rstd kept.",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("y", y),
                    KernelParam.Floats("mean", mean), KernelParam.Floats("rstd", rstd) },
            rows,
            ew =>
            {
                ew.Line($"int o = i * {width};");
                ew.Line("// μ = Σx / width; σ² = Σ(x − μ)² / width");
                ew.Line("float sum = 0f;");
                ew.Line($"for (int j = 0; j < {width}; j++) sum += x[o + j];");
                ew.Line($"float mu = sum / {width}f, squares = 0f;");
                ew.Line($"for (int j = 0; j < {width}; j++) {{ float c = x[o + j] - mu; squares += c * c; }}");
                ew.Line($"float s = 1f / global::System.MathF.Sqrt(squares / {width}f + {eps});");
                ew.Line("mean[i] = mu;");
                ew.Line("rstd[i] = s;");
                ew.Line($"for (int j = 0; j < {width}; j++) y[o + j] = Kernels.LayerNormMath.Normalised(x[o + j], mu, s) * p[{scale} + j] + p[{shift} + j];");
            });

    /// <summary>dγ = Σ over the rows of dy ⊙ x̂ and dβ = Σ of dy, one thread per feature (written whole, no atomics).</summary>
    internal static ElementKernel ParameterGradientKernel(string name, string dy, string x, string mean, string rstd, int scale, int shift, int width, string rows)
        => new(name, "dγ = Σ over the batch of dy ⊙ x̂, dβ = Σ of dy.",
            new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("x", x), KernelParam.Floats("mean", mean), KernelParam.Floats("rstd", rstd), KernelParam.Floats("g", GpuContext.Gradients) },
            width.ToString(),
            ew =>
            {
                ew.Line("float dScale = 0f, dShift = 0f;");
                ew.Open($"for (int b = 0; b < {rows}; b++)");
                ew.Line($"int o = b * {width} + i;");
                ew.Line("dScale += dy[o] * Kernels.LayerNormMath.Normalised(x[o], mean[b], rstd[b]);");
                ew.Line("dShift += dy[o];");
                ew.Close();
                ew.Line($"g[{scale} + i] = dScale;");
                ew.Line($"g[{shift} + i] = dShift;");
            });

    /// <summary>dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ γ, one thread per row; plus <paramref name="residual"/> when given (a skip connection's gradient).</summary>
    internal static ElementKernel InputGradientKernel(string name, string dy, string x, string mean, string rstd, int scale, string dx, int width, string rows, string? residual)
    {
        var parameters = new List<KernelParam> { KernelParam.Floats("dy", dy), KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters),
                    KernelParam.Floats("mean", mean), KernelParam.Floats("rstd", rstd), KernelParam.Floats("dx", dx) };
        if (residual is not null) parameters.Add(KernelParam.Floats("residual", residual));
        return new(name, residual is null ? "dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ γ." : "dx = residual + rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ γ.",
            parameters,
            rows,
            ew =>
            {
                ew.Line($"int o = i * {width};");
                ew.Line("float mu = mean[i], s = rstd[i], sumG = 0f, sumGXhat = 0f;");
                ew.Open($"for (int j = 0; j < {width}; j++)");
                ew.Line($"float g = dy[o + j] * p[{scale} + j];");
                ew.Line("sumG += g;");
                ew.Line("sumGXhat += g * Kernels.LayerNormMath.Normalised(x[o + j], mu, s);");
                ew.Close();
                ew.Line($"float meanG = sumG / {width}f, meanGXhat = sumGXhat / {width}f;");
                string value = $"Kernels.LayerNormMath.InputGradient(dy[o + j], p[{scale} + j], Kernels.LayerNormMath.Normalised(x[o + j], mu, s), meanG, meanGXhat, s)";
                ew.Line($"for (int j = 0; j < {width}; j++) dx[o + j] = {(residual is null ? value : $"residual[o + j] + {value}")};");
            });
    }
}

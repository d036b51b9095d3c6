using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// BatchNorm on the GPU, laid out as the runtime's kernel: [batch, channels, spatial], spatial 1 for vectors
/// and h·w for images. Training: one thread per channel sums its batch statistics (two passes, as the CPU
/// kernel) and moves the running statistics in the runner's buffer array, then one thread per element
/// normalises. Inference: one thread per element from the running statistics. Backward: one thread per
/// channel writes dweight and dbias whole (no atomics, a fixed order), then one thread per element dx.
/// The element steps are the runtime's <c>BatchNormMath</c>.
/// </summary>
internal sealed class GpuBatchNormEmitter : GpuLayerEmitter
{
    public GpuBatchNormEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) { }

    private bool IsImage => Layer.Input.Kind == ShapeKind.Image;
    private int Channels => Layer.InputShape[0];
    private int Spatial => IsImage ? Layer.InputShape[1] * Layer.InputShape[2] : 1;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel RunningMean => Layer.Tensor(TensorRole.RunningMean);
    private TensorModel RunningVar => Layer.Tensor(TensorRole.RunningVar);
    private string Eps => Ctx.F(1e-5);
    private string Momentum => Ctx.F(0.1);

    /// <summary>The channel of element i of a [batch, channels, spatial] tensor.</summary>
    private string ChannelOf(string i) => Spatial == 1 ? $"{i} % {Channels}" : $"({i} / {Spatial}) % {Channels}";

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        yield return new DeviceBuffer($"_mean{I}", Channels, "float", $"{Layer.Spec.Name} batch mean per channel", PerSample: false);
        yield return new DeviceBuffer($"_invStd{I}", Channels, "float", $"{Layer.Spec.Name} 1/√(σ² + ε) per channel of the batch", PerSample: false);
    }

    /// <summary>dweight and dbias: one thread per channel sums over the whole batch.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole() => new[] { Weight, Bias };

    /// <summary>The inference kernel is not launched by a training step.</summary>
    public override int LaunchesNotInTrainingStep => 1;

    public override void EmitForward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), y = Ctx.OutputOf(I);
        int c = Channels, s = Spatial;
        w.Open("if (training)");
        w.Line($"if ((long)n * {s} < 2) throw new global::System.ArgumentException($\"Batch normalisation in training mode needs more than one value per channel, but got batch {{n}} × {s} position(s) = {{(long)n * {s}}}; train with a batch of at least 2.\", \"inputs\");");
        w.Line($"// μ, σ² (biased) over the n·{s} values of each channel, invStd = 1/√(σ² + 1e-5); running ← 0.9·running + 0.1·(μ, σ²·m/(m − 1))");
        Ctx.Launch(w, new ElementKernel($"{L}BatchStatistics", "Per channel: μ = Σx/m, σ² = Σx·(x − μ)/m (the CPU kernel's two passes), invStd = 1/√(σ² + ε); the running statistics move toward μ and the unbiased σ².",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("invStd", $"_invStd{I}.View"), KernelParam.Floats("buffers", GpuContext.NetworkBuffers) },
            c.ToString(),
            ew =>
            {
                ew.Line($"float m = n * {s}, inverseCount = 1f / m, sum = 0f;");
                ew.Line("// μ = (1/m)·Σ x over the channel's values, plane by plane");
                ew.Open("for (int b = 0; b < n; b++)");
                ew.Line($"int o = (b * {c} + i) * {s};");
                ew.Line("float plane = 0f;");
                ew.Line($"for (int j = 0; j < {s}; j++) plane += x[o + j];");
                ew.Line("sum += plane;");
                ew.Close();
                ew.Line("float mu = sum * inverseCount, squares = 0f;");
                ew.Line("// σ² = (1/m)·Σ x·(x − μ), the CPU kernel's second pass");
                ew.Open("for (int b = 0; b < n; b++)");
                ew.Line($"int o = (b * {c} + i) * {s};");
                ew.Line("float plane = 0f;");
                ew.Line($"for (int j = 0; j < {s}; j++) plane += x[o + j] * (x[o + j] - mu);");
                ew.Line("squares += plane;");
                ew.Close();
                ew.Line("float variance = squares * inverseCount;");
                ew.Line($"buffers[{RunningMean.Offset} + i] = Kernels.BatchNormMath.RunningAverage(buffers[{RunningMean.Offset} + i], mu, {Momentum});");
                ew.Line($"buffers[{RunningVar.Offset} + i] = Kernels.BatchNormMath.RunningAverage(buffers[{RunningVar.Offset} + i], variance * (m / (m - 1f)), {Momentum});");
                ew.Line("mean[i] = mu;");
                ew.Line($"invStd[i] = 1f / global::System.MathF.Sqrt(variance + {Eps});");
            }));
        w.Line($"// y{I} = (x − μ)·(weight·invStd) + bias per element");
        Ctx.Launch(w, new ElementKernel($"{L}BatchNormalize", "y = (x − μ)·(weight·invStd) + bias with the batch's statistics.",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("invStd", $"_invStd{I}.View"), KernelParam.Floats("y", y) },
            $"n * {Layer.InputSize}",
            ew =>
            {
                ew.Line($"int c = {ChannelOf("i")};");
                ew.Line($"y[i] = Kernels.BatchNormMath.Affine(x[i], mean[c], p[{Weight.Offset} + c] * invStd[c], p[{Bias.Offset} + c]);");
            }));
        w.Close();
        w.Open("else");
        w.Line($"// y{I} = (x − running_mean)·weight/√(running_var + 1e-5) + bias per element");
        Ctx.Launch(w, new ElementKernel($"{L}BatchNormInference", "y = (x − running_mean)·weight/√(running_var + ε) + bias.",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("buffers", GpuContext.NetworkBuffers), KernelParam.Floats("y", y) },
            $"n * {Layer.InputSize}",
            ew =>
            {
                ew.Line($"int c = {ChannelOf("i")};");
                ew.Line($"float scale = p[{Weight.Offset} + c] * (1f / global::System.MathF.Sqrt(buffers[{RunningVar.Offset} + c] + {Eps}));");
                ew.Line($"y[i] = Kernels.BatchNormMath.Affine(x[i], buffers[{RunningMean.Offset} + c], scale, p[{Bias.Offset} + c]);");
            }));
        w.Close();
    }

    public override void EmitBackward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), dy = Ctx.OutputGradientOf(I);
        int c = Channels, s = Spatial;
        w.Line($"// dbias{I} = Σ dy{I};  dweight{I} = invStd·Σ dy{I}·(x − μ) = Σ dy{I}·x̂   (one thread per channel; written whole, not split over the batch)");
        Ctx.Launch(w, new ElementKernel($"{L}BatchNormParameterGradient", "Per channel: dbias = Σ dy, dweight = invStd·Σ dy·(x − μ).",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("dy", dy), KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("invStd", $"_invStd{I}.View"), KernelParam.Floats("g", GpuContext.Gradients) },
            c.ToString(),
            ew =>
            {
                ew.Line("float mu = mean[i], dShift = 0f, dCentered = 0f;");
                ew.Open("for (int b = 0; b < n; b++)");
                ew.Line($"int o = (b * {c} + i) * {s};");
                ew.Line("float plane = 0f, centered = 0f;");
                ew.Line($"for (int j = 0; j < {s}; j++) {{ plane += dy[o + j]; centered += dy[o + j] * (x[o + j] - mu); }}");
                ew.Line("dShift += plane;");
                ew.Line("dCentered += centered;");
                ew.Close();
                ew.Line($"g[{Weight.Offset} + i] = dCentered * invStd[i];");
                ew.Line($"g[{Bias.Offset} + i] = dShift;");
            }));
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = k·dy{I} + (x − μ)·u + v, k = weight·invStd, u = −k·invStd·dweight/m, v = −k·dbias/m   (m = n·{s})");
        Ctx.Launch(w, new ElementKernel($"{L}BatchNormInputGradient", "dx = k·dy + (x − μ)·u + v with k = weight·invStd, u = −k·invStd·dweight/m, v = −k·dbias/m.",
            new[] { KernelParam.Floats("x", x), KernelParam.Floats("dy", dy), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("mean", $"_mean{I}.View"), KernelParam.Floats("invStd", $"_invStd{I}.View"), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Layer.InputSize}",
            ew =>
            {
                ew.Line($"int c = {ChannelOf("i")};");
                ew.Line($"float inverseCount = 1f / (n * {s}), istd = invStd[c], k = p[{Weight.Offset} + c] * istd;");
                ew.Line($"float u = -(k * istd * g[{Weight.Offset} + c] * inverseCount), v = -(k * g[{Bias.Offset} + c] * inverseCount);");
                ew.Line("dx[i] = Kernels.BatchNormMath.InputGradient(x[i], dy[i], mean[c], k, u, v);");
            }));
    }
}

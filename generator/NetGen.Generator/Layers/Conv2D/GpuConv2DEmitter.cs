using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Conv2D on the GPU as three implicit products (no im2col buffer: each operand element is gathered
/// from the image where the product reads it), each a <see cref="ProductKernel"/>, tiled on GPUs:
/// forward z[(b, p), f] = Σ_r cols_b[r, p]·W[f, r] + b[f] with y = f(z) in the epilogue;
/// dW[f, r] = Σ_(b, p) dz[b, f, p]·cols_b[r, p] with db as one more column read as 1;
/// dx[(b, q), c] = Σ_(f, ky, kx) dz[b, f, at q] · W[f, c, ky, kx] (the transposed convolution).
/// Sizes are PyTorch's ⌊(n + 2p − k)/s⌋ + 1; the activation is element-wise or PReLU per filter.
/// </summary>
internal sealed class GpuConv2DEmitter : GpuLayerEmitter
{
    private readonly Conv2DSpec _conv;

    public GpuConv2DEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _conv = (Conv2DSpec)layer.Spec;

    private int Channels => Layer.InputShape[0];
    private int Height => Layer.InputShape[1];
    private int Width => Layer.InputShape[2];
    private int OutHeight => Layer.OutputShape[1];
    private int OutWidth => Layer.OutputShape[2];
    private int Filters => _conv.Filters;
    private int Kernel => _conv.KernelSize;
    private int KernelArea => Kernel * Kernel;
    private int PatchSize => Channels * KernelArea;
    private int Positions => OutHeight * OutWidth;
    private int Plane => Height * Width;
    private ActivationSpec Act => _conv.Activation;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    private string Z => Act.IsNonLinear ? $"_z{I}.View" : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? $"_dz{I}.View" : Ctx.OutputGradientOf(I);

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        if (!Act.IsNonLinear) yield break;
        yield return new DeviceBuffer($"_z{I}", Layer.OutputSize, "float", $"{_conv.Name} pre-activation");
        yield return new DeviceBuffer($"_dz{I}", Layer.OutputSize, "float", $"d(loss)/d({_conv.Name} pre-activation)");
    }

    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    /// <summary>cols_b[r, p]: the input value that patch row r (c, ky, kx) meets at output position p, 0 in the padding.</summary>
    private string Patch => Ctx.Function(new DeviceFunction($"{L}Patch",
        $"cols_b[r, p] of {_conv.Name}: x[b, c, oy·{_conv.Stride} − {_conv.Padding} + ky, ox·{_conv.Stride} − {_conv.Padding} + kx] for r = (c, ky, kx), p = (oy, ox); 0 in the zero padding.",
        "float " + $"{L}Patch(global::ILGPU.ArrayView<float> x, int b, int p, int r)",
        w =>
        {
            w.Line($"int c = r / {KernelArea}, ky = r % {KernelArea} / {Kernel}, kx = r % {Kernel};");
            w.Line($"int iy = p / {OutWidth} * {_conv.Stride} - {_conv.Padding} + ky, ix = p % {OutWidth} * {_conv.Stride} - {_conv.Padding} + kx;");
            w.Line($"return iy >= 0 && iy < {Height} && ix >= 0 && ix < {Width} ? x[b * {Layer.InputSize} + (c * {Height} + iy) * {Width} + ix] : 0f;");
        }));

    /// <summary>dz[b, f, oy, ox] for the output (oy, ox) that meets input position q through kernel tap (ky, kx), 0 when none does.</summary>
    private string OutputGradientAt => Ctx.Function(new DeviceFunction($"{L}OutputGradientAt",
        $"For input position q = (iy, ix) of {_conv.Name} and k = (f, ky, kx): dz[b, f, oy, ox] where oy·{_conv.Stride} − {_conv.Padding} + ky = iy and ox·{_conv.Stride} − {_conv.Padding} + kx = ix, or 0 when no output does.",
        "float " + $"{L}OutputGradientAt(global::ILGPU.ArrayView<float> dz, int b, int q, int k)",
        w =>
        {
            w.Line($"int f = k / {KernelArea}, ky = k % {KernelArea} / {Kernel}, kx = k % {Kernel};");
            w.Line($"int ty = q / {Width} + {_conv.Padding} - ky, tx = q % {Width} + {_conv.Padding} - kx;");
            w.Line($"if (ty < 0 || tx < 0 || ty % {_conv.Stride} != 0 || tx % {_conv.Stride} != 0) return 0f;");
            w.Line($"int oy = ty / {_conv.Stride}, ox = tx / {_conv.Stride};");
            w.Line($"return oy < {OutHeight} && ox < {OutWidth} ? dz[b * {Layer.OutputSize} + f * {Positions} + oy * {OutWidth} + ox] : 0f;");
        }));

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I}[b, f, p] = b{I}[f] + Σ_r W{I}[f, r]·cols_b[r, p], y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}   (W{I}: [{Filters}, {Channels}, {Kernel}, {Kernel}]; one product over the rows (b, p), im2col read in place)");
        string patch = Patch;
        var parameters = new List<KernelParam> { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters) };
        if (Act.IsNonLinear) parameters.Add(KernelParam.Floats("z", Z));
        if (Act.Kind != ActivationKind.Softmax) parameters.Add(KernelParam.Floats("y", Ctx.OutputOf(I)));
        Ctx.Launch(w, new ProductKernel($"{L}Forward", $"z = W ⋆ x + b, y = {Xml(ActivationFormulas.Formula(Act, "z"))} ({Channels}×{Height}×{Width} → {Filters}×{OutHeight}×{OutWidth}).",
            parameters, $"n * {Positions}", Filters, PatchSize.ToString(),
            (r, k) => $"{patch}(x, {r} / {Positions}, {r} % {Positions}, {k})", true,
            (k, c) => $"p[{Weight.Offset} + {c} * {PatchSize} + {k}]", true,
            ew =>
            {
                ew.Line($"int o = row / {Positions} * {Layer.OutputSize} + col * {Positions} + row % {Positions};");
                ew.Line($"float v = s + p[{Bias.Offset} + col];");
                ChannelEpilogue(ew, Act, Slope, "col");
            }));
        EmitChannelSoftmax(w, Act, Z);
    }

    /// <summary>The softmax row kernel is skipped in a training step when the fused loss computes softmax itself.</summary>
    public override int LaunchesNotInTrainingStep => Act.Kind == ActivationKind.Softmax && IsLast && Ctx.LastDerivativeWrittenByLoss ? 1 : 0;

    public override void EmitBackward(SourceWriter w)
    {
        EmitChannelActivationBackward(w, Act, Slope, Z, DZ, Positions);
        EmitWeightGradient(w);
        EmitInputGradient(w);
    }

    /// <summary>dW[f, r] = Σ over (b, p) of dz[b, f, p]·cols_b[r, p]; column r = patch size is read as 1, giving db. Split-k over the batch as Dense's.</summary>
    private void EmitWeightGradient(SourceWriter w)
    {
        string patch = Patch;
        w.Line($"// dW{I}[f, r] = Σ_(b, p) dz{I}[b, f, p]·cols_b[r, p] and db{I}[f] = Σ_(b, p) dz{I}[b, f, p]: one product over [{Filters}, {PatchSize} + 1], depth n·{Positions}");
        Ctx.Launch(w, new ProductKernel($"{L}WeightGradient", $"dW = Σ_(b, p) dz·colsᵀ ({Filters}×{PatchSize}), db = Σ dz.",
            new[] { KernelParam.Floats("dz", DZ), KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", $"_splitChunk * {Positions}") },
            Filters.ToString(), PatchSize + 1, $"n * {Positions}",
            (r, k) => $"dz[{k} / {Positions} * {Layer.OutputSize} + {r} * {Positions} + {k} % {Positions}]", false,
            (k, c) => $"({c} < {PatchSize} ? {patch}(x, {k} / {Positions}, {k} % {Positions}, {c}) : 1f)", true,
            ew =>
            {
                ew.Line($"int o = col < {PatchSize} ? {Weight.Offset} + row * {PatchSize} + col : {Bias.Offset} + row;");
                ew.Line($"if (chunk >= n * {Positions}) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true });
    }

    /// <summary>dx[b, c, q] = Σ over (f, ky, kx) of W[f, c, ky, kx]·dz[b, f, the output that meets q through (ky, kx)].</summary>
    private void EmitInputGradient(SourceWriter w)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        string gather = OutputGradientAt;
        w.Line($"// dx{I}[b, c, q] = Σ_(f, ky, kx) W{I}[f, c, ky, kx]·dz{I}[b, f, (q + pad − (ky, kx)) / stride]: one product over [n·{Plane}, {Channels}], depth {Filters * KernelArea}");
        Ctx.Launch(w, new ProductKernel($"{L}InputGradient", "dx = the transposed convolution of dz with W.",
            new[] { KernelParam.Floats("dz", DZ), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Plane}", Channels, (Filters * KernelArea).ToString(),
            (r, k) => $"{gather}(dz, {r} / {Plane}, {r} % {Plane}, {k})", true,
            (k, c) => $"p[{Weight.Offset} + {k} / {KernelArea} * {PatchSize} + {c} * {KernelArea} + {k} % {KernelArea}]", true,
            ew => ew.Line($"dx[row / {Plane} * {Layer.InputSize} + col * {Plane} + row % {Plane}] = s;")));
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// ConvTranspose2D on the GPU (W [channels, filters, k, k], out = (in − 1)·s − 2p + k + outputPadding):
/// three implicit products as Conv2D's, the roles of the two images swapped. Forward, each output value
/// gathers the inputs that reach it: z[(b, q), f] = b[f] + Σ_(c, ky, kx) x[b, c, (q + p − (ky, kx)) / s]·W[c, f, ky, kx];
/// dx is an ordinary convolution of dz with W; dW[c, (f, ky, kx)] = Σ_(b, input positions) x·dz at the tap.
/// db (its depth is the output positions, not the input's) is one thread per filter over the whole batch.
/// </summary>
internal sealed class GpuConvTranspose2DEmitter : GpuLayerEmitter
{
    private readonly ConvTranspose2DSpec _conv;

    public GpuConvTranspose2DEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _conv = (ConvTranspose2DSpec)layer.Spec;

    private int Channels => Layer.InputShape[0];
    private int Height => Layer.InputShape[1];
    private int Width => Layer.InputShape[2];
    private int OutHeight => Layer.OutputShape[1];
    private int OutWidth => Layer.OutputShape[2];
    private int Filters => _conv.Filters;
    private int Kernel => _conv.KernelSize;
    private int KernelArea => Kernel * Kernel;
    private int Taps => Filters * KernelArea;
    private int Plane => Height * Width;
    private int OutPlane => OutHeight * OutWidth;
    private int Stride => _conv.Stride;
    private int Pad => _conv.Padding;
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

    /// <summary>The bias gradient is one thread per filter over the whole batch, as are PReLU's slopes.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole()
    {
        yield return Bias;
        if (Slope is not null) yield return Slope;
    }

    /// <summary>x[b, c, iy, ix] that reaches output position q through tap k = (c, ky, kx): iy·s − p + ky = oy; 0 when none does.</summary>
    private string InputAt => Ctx.Function(new DeviceFunction($"{L}InputAt",
        $"For output position q = (oy, ox) of {_conv.Name} and k = (c, ky, kx): x[b, c, iy, ix] where iy·{Stride} − {Pad} + ky = oy and ix·{Stride} − {Pad} + kx = ox, or 0.",
        "float " + $"{L}InputAt(global::ILGPU.ArrayView<float> x, int b, int q, int k)",
        w =>
        {
            w.Line($"int c = k / {KernelArea}, ky = k % {KernelArea} / {Kernel}, kx = k % {Kernel};");
            w.Line($"int ty = q / {OutWidth} + {Pad} - ky, tx = q % {OutWidth} + {Pad} - kx;");
            w.Line($"if (ty < 0 || tx < 0 || ty % {Stride} != 0 || tx % {Stride} != 0) return 0f;");
            w.Line($"int iy = ty / {Stride}, ix = tx / {Stride};");
            w.Line($"return iy < {Height} && ix < {Width} ? x[b * {Layer.InputSize} + (c * {Height} + iy) * {Width} + ix] : 0f;");
        }));

    /// <summary>dz[b, f, iy·s − p + ky, ix·s − p + kx] for input position q = (iy, ix) and tap k = (f, ky, kx); 0 outside the output.</summary>
    private string OutputGradientAt => Ctx.Function(new DeviceFunction($"{L}OutputGradientAt",
        $"For input position q = (iy, ix) of {_conv.Name} and k = (f, ky, kx): dz[b, f, iy·{Stride} − {Pad} + ky, ix·{Stride} − {Pad} + kx], or 0 outside the output.",
        "float " + $"{L}OutputGradientAt(global::ILGPU.ArrayView<float> dz, int b, int q, int k)",
        w =>
        {
            w.Line($"int f = k / {KernelArea}, ky = k % {KernelArea} / {Kernel}, kx = k % {Kernel};");
            w.Line($"int oy = q / {Width} * {Stride} - {Pad} + ky, ox = q % {Width} * {Stride} - {Pad} + kx;");
            w.Line($"return oy >= 0 && oy < {OutHeight} && ox >= 0 && ox < {OutWidth} ? dz[b * {Layer.OutputSize} + f * {OutPlane} + oy * {OutWidth} + ox] : 0f;");
        }));

    /// <summary>The softmax row kernel is skipped in a training step when the fused loss computes softmax itself.</summary>
    public override int LaunchesNotInTrainingStep => Act.Kind == ActivationKind.Softmax && IsLast && Ctx.LastDerivativeWrittenByLoss ? 1 : 0;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I}[b, f, q] = b{I}[f] + Σ_(c, ky, kx) W{I}[c, f, ky, kx]·x{I}[b, c, (q + {Pad} − (ky, kx)) / {Stride}], y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}   (W{I}: [{Channels}, {Filters}, {Kernel}, {Kernel}])");
        string gather = InputAt;
        var parameters = new List<KernelParam> { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters) };
        if (Act.IsNonLinear) parameters.Add(KernelParam.Floats("z", Z));
        if (Act.Kind != ActivationKind.Softmax) parameters.Add(KernelParam.Floats("y", Ctx.OutputOf(I)));
        Ctx.Launch(w, new ProductKernel($"{L}Forward", $"z = the transposed convolution of x with W, + b ({Channels}×{Height}×{Width} → {Filters}×{OutHeight}×{OutWidth}).",
            parameters, $"n * {OutPlane}", Filters, (Channels * KernelArea).ToString(),
            (r, k) => $"{gather}(x, {r} / {OutPlane}, {r} % {OutPlane}, {k})", true,
            (k, c) => $"p[{Weight.Offset} + {k} / {KernelArea} * {Taps} + {c} * {KernelArea} + {k} % {KernelArea}]", true,
            ew =>
            {
                ew.Line($"int o = row / {OutPlane} * {Layer.OutputSize} + col * {OutPlane} + row % {OutPlane};");
                ew.Line($"float v = s + p[{Bias.Offset} + col];");
                ChannelEpilogue(ew, Act, Slope, "col");
            }));
        EmitChannelSoftmax(w, Act, Z);
    }

    public override void EmitBackward(SourceWriter w)
    {
        EmitChannelActivationBackward(w, Act, Slope, Z, DZ, OutPlane);
        string gather = OutputGradientAt;

        w.Line($"// db{I}[f] = Σ over the batch and the output positions of dz{I}[b, f]   (one thread per filter)");
        Ctx.Launch(w, new ElementKernel($"{L}BiasGradient", "db = Σ over samples and positions of dz, one thread per filter.",
            new[] { KernelParam.Floats("dz", DZ), KernelParam.Floats("g", GpuContext.Gradients) }, Filters.ToString(),
            ew =>
            {
                ew.Line("float sum = 0f;");
                ew.Line($"for (int b = 0; b < n; b++) for (int q = 0; q < {OutPlane}; q++) sum += dz[b * {Layer.OutputSize} + i * {OutPlane} + q];");
                ew.Line($"g[{Bias.Offset} + i] = sum;");
            }));

        w.Line($"// dW{I}[c, (f, ky, kx)] = Σ_(b, iy, ix) x{I}[b, c, iy, ix]·dz{I}[b, f, iy·{Stride} − {Pad} + ky, ix·{Stride} − {Pad} + kx]: one product over [{Channels}, {Taps}], depth n·{Plane}");
        Ctx.Launch(w, new ProductKernel($"{L}WeightGradient", $"dW = Σ_(b, input positions) x·dz at each tap ({Channels}×{Taps}).",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("dz", DZ), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", $"_splitChunk * {Plane}") },
            Channels.ToString(), Taps, $"n * {Plane}",
            (r, k) => $"x[{k} / {Plane} * {Layer.InputSize} + {r} * {Plane} + {k} % {Plane}]", false,
            (k, c) => $"{gather}(dz, {k} / {Plane}, {k} % {Plane}, {c})", true,
            ew =>
            {
                ew.Line($"int o = {Weight.Offset} + row * {Taps} + col;");
                ew.Line($"if (chunk >= n * {Plane}) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true });

        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I}[b, c, q] = Σ_(f, ky, kx) W{I}[c, f, ky, kx]·dz{I}[b, f, q·{Stride} − {Pad} + (ky, kx)]: one product over [n·{Plane}, {Channels}], depth {Taps}");
        Ctx.Launch(w, new ProductKernel($"{L}InputGradient", "dx = the convolution of dz with W.",
            new[] { KernelParam.Floats("dz", DZ), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Plane}", Channels, Taps.ToString(),
            (r, k) => $"{gather}(dz, {r} / {Plane}, {r} % {Plane}, {k})", true,
            (k, c) => $"p[{Weight.Offset} + {c} * {Taps} + {k}]", true,
            ew => ew.Line($"dx[row / {Plane} * {Layer.InputSize} + col * {Plane} + row % {Plane}] = s;")));
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// The kernels and launches of one layer kind on the GPU. Forward launches see <c>x</c>, <c>n</c>
/// and <c>training</c>; backward launches see <c>x</c> and <c>n</c>. Each kind has one subclass.
/// </summary>
internal abstract class GpuLayerEmitter
{
    protected GpuLayerEmitter(GpuContext ctx, LayerModel layer)
    {
        Ctx = ctx;
        Layer = layer;
    }

    protected GpuContext Ctx { get; }
    /// <summary>The analysed layer: shapes, tensors (by role), facts.</summary>
    public LayerModel Layer { get; }
    protected int I => Layer.Index;
    protected string L => $"L{Layer.Index}";
    protected bool IsLast => I == Ctx.Plans.Count - 1;

    /// <summary>
    /// Rows of the layer's products per sample: 1, or the time steps for a kind that applies at every step
    /// of a sequence (Dense): its products then run over <see cref="ProductRows"/> = n·t rows of <see cref="RowInputs"/> values.
    /// </summary>
    protected int RowsPerSample => Layer.Input.IsSequence && LayerKinds.Of(Layer.Spec).AppliesPerTimeStep ? Layer.Input.TimeSteps : 1;
    /// <summary>The product rows: <c>n</c>, or <c>n * t</c> on a sequence.</summary>
    protected string ProductRows => RowsPerSample == 1 ? "n" : $"n * {RowsPerSample}";
    /// <summary>Input values per product row.</summary>
    protected int RowInputs => Layer.InputSize / RowsPerSample;

    /// <summary>The device buffers this layer owns; by default its output and the gradient of its output.</summary>
    public virtual IEnumerable<DeviceBuffer> Buffers()
    {
        yield return new DeviceBuffer($"_y{I}", Layer.OutputSize, "float", $"{Layer.Spec.Name} output");
        yield return new DeviceBuffer($"_dy{I}", Layer.OutputSize, "float", $"d(loss)/d({Layer.Spec.Name} output)");
    }

    /// <summary>The logits for a fused loss: the input of the final activation.</summary>
    public virtual string PreActivation => Ctx.InputOf(I);

    /// <summary>Where the fused loss writes d(loss)/d(<see cref="PreActivation"/>).</summary>
    public virtual string PreActivationGradient => Ctx.InputGradientOf(I);

    /// <summary>Writes the forward launches.</summary>
    public abstract void EmitForward(SourceWriter w);

    /// <summary>Writes the backward launches: the parameter gradients and, when needed, d(loss)/d(input).</summary>
    public abstract void EmitBackward(SourceWriter w);

    /// <summary>
    /// Launches written in <see cref="EmitForward"/> that a training step does not make (a copy outside
    /// training, a softmax the fused loss replaces); the runner subtracts them from its launch count.
    /// </summary>
    public virtual int LaunchesNotInTrainingStep => 0;

    /// <summary>Whether this layer's last activation derivative can be applied in the next layer's dx product epilogue.</summary>
    public virtual bool DerivativeFusable => false;

    /// <summary>Whether this layer's dx product applies its producer's derivative when that one is <see cref="DerivativeFusable"/> (Dense, Maxout).</summary>
    public virtual bool FusesProducerDerivative => false;

    /// <summary>
    /// z = x·Wᵀ + b over <paramref name="rows"/> output columns, then <paramref name="epilogue"/> with
    /// <c>o</c> (the output index) and <c>v</c> (the value) in scope.
    /// </summary>
    protected ProductKernel LinearForward(string summary, int rows, TensorModel weight, TensorModel bias, IReadOnlyList<KernelParam> outputs, Action<SourceWriter> epilogue)
    {
        int inputs = RowInputs;
        var parameters = new List<KernelParam> { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters) };
        parameters.AddRange(outputs);
        return new ProductKernel($"{L}Forward", summary, parameters, ProductRows, rows, inputs.ToString(),
            (r, k) => $"x[{r} * {inputs} + {k}]", false,
            (k, c) => $"p[{weight.Offset} + {c} * {inputs} + {k}]", true,
            w =>
            {
                w.Line($"int o = row * {rows} + col;");
                w.Line($"float v = s + p[{bias.Offset} + col];");
                epilogue(w);
            });
    }

    /// <summary>
    /// dW = dzᵀ·x and db = Σ over the batch of dz in one product: column <c>inputs</c> of x is read as 1,
    /// so the last column of the result is the bias gradient.
    /// </summary>
    protected void EmitWeightGradient(SourceWriter w, string dz, int rows, TensorModel weight, TensorModel bias)
    {
        int inputs = RowInputs;
        // On a sequence the depth is n·t rows and a slice of the batch is chunk·t rows.
        string chunk = RowsPerSample == 1 ? "_splitChunk" : $"_splitChunk * {RowsPerSample}";
        w.Line($"// dW{I} = dz{I}ᵀ·x{I} and db{I} = Σ over the batch of dz{I}: one product over [{rows}, {inputs} + 1], x's extra column read as 1;");
        w.Line("// with split-k (large batches, tiled) each slice of the batch writes partial sums that ReduceGradients adds up");
        Ctx.Launch(w, new ProductKernel($"{L}WeightGradient", $"dW = dzᵀ·x ({rows}×{inputs}), db = Σ_b dz.",
            new[] { KernelParam.Floats("dz", dz), KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", chunk) },
            rows.ToString(), inputs + 1, ProductRows,
            (r, k) => $"dz[{k} * {rows} + {r}]", true,
            (k, c) => $"({c} < {inputs} ? x[{k} * {inputs} + {c}] : 1f)", false,
            ew =>
            {
                ew.Line($"int o = col < {inputs} ? {weight.Offset} + row * {inputs} + col : {bias.Offset} + row;");
                ew.Line($"if (chunk >= {ProductRows}) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true });
    }

    /// <summary>
    /// dx = dz·W. When the layer before is a Dense layer with an element-wise activation, the
    /// epilogue multiplies by that layer's f'(z, y) and writes its dz directly (one launch fewer).
    /// </summary>
    protected void EmitInputGradient(SourceWriter w, string dz, int rows, TensorModel weight)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        int inputs = RowInputs;
        var parameters = new List<KernelParam> { KernelParam.Floats("dz", dz), KernelParam.Floats("p", GpuContext.Parameters) };
        int producer = Ctx.Producer(I);
        bool fused = producer >= 0 && Ctx.DerivativeWrittenByNext.Contains(producer);
        Action<SourceWriter> epilogue;
        if (fused)
        {
            ActivationSpec activation = Ctx.Plans[producer].Activation!;
            w.Line($"// dz{producer} = (dz{I}·W{I}) ⊙ f'(z{producer}): layer {producer}'s activation derivative fused into this product's epilogue");
            parameters.Add(KernelParam.Floats("zPrevious", $"_z{producer}.View"));
            parameters.Add(KernelParam.Floats("yPrevious", Ctx.OutputOf(producer)));
            parameters.Add(KernelParam.Floats("dzPrevious", $"_dz{producer}.View"));
            epilogue = ew =>
            {
                ew.Line($"int o = row * {inputs} + col;");
                ew.Line($"dzPrevious[o] = s * {GpuActivations.Derivative(activation, Ctx, "zPrevious[o]", "yPrevious[o]")};");
            };
        }
        else
        {
            w.Line($"// dx{I} = dz{I}·W{I}");
            parameters.Add(KernelParam.Floats("dx", Ctx.InputGradientOf(I)));
            epilogue = ew => ew.Line($"dx[row * {inputs} + col] = s;");
        }
        Ctx.Launch(w, new ProductKernel($"{L}InputGradient", fused ? $"dz{producer} = (dz·W) ⊙ f'(z{producer})." : "dx = dz·W.",
            parameters, ProductRows, inputs, rows.ToString(),
            (r, k) => $"dz[{r} * {rows} + {k}]", false,
            (k, c) => $"p[{weight.Offset} + {k} * {inputs} + {c}]", false,
            epilogue));
    }

    /// <summary>
    /// PReLU backward over <paramref name="slopes"/> slopes, each covering <paramref name="span"/>
    /// consecutive values of a row of <paramref name="size"/>: dz = dy·(1 or slope) and
    /// d(slope) = Σ over z ≤ 0 of dy·z, one thread per slope looping over the batch (no atomics).
    /// </summary>
    protected ElementKernel PReLUBackward(string name, string z, string dy, string dz, TensorModel slope, int size, int span)
        => new(name, "PReLU backward: dz = dy·(1 if z > 0 else slope); d(slope) = Σ over z ≤ 0 of dy·z.",
            new[] { KernelParam.Floats("z", z), KernelParam.Floats("dy", dy), KernelParam.Floats("dz", dz), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("g", GpuContext.Gradients) },
            slope.Length.ToString(),
            w =>
            {
                w.Line($"float a = p[{slope.Offset} + i], sum = 0f;");
                w.Open("for (int b = 0; b < n; b++)");
                w.Open($"for (int s = 0; s < {span}; s++)");
                w.Line($"int o = b * {size} + i * {span} + s;");
                w.Line("float v = z[o];");
                w.Line("dz[o] = Kernels.PReLUMath.InputGradient(v, a, dy[o]);");
                w.Line("if (!Kernels.PReLUMath.IsPositive(v)) sum += Kernels.PReLUMath.SlopeGradient(v, dy[o]);");
                w.Close();
                w.Close();
                w.Line($"g[{slope.Offset} + i] = sum;");
            });

    /// <summary>
    /// Parameter tensors whose gradient one thread writes whole (a sum over the whole batch, never split):
    /// the split-k reduction leaves them alone. By default the PReLU slopes.
    /// </summary>
    public virtual IEnumerable<TensorModel> GradientsWrittenWhole()
    {
        if (Layer.TryTensor(TensorRole.Slope) is { } slope) yield return slope;
    }

    /// <summary>
    /// An image layer's product epilogue (Conv2D, ConvTranspose2D): from v = z at <c>o</c> writes z and
    /// y = f(z) (PReLU with the slope of filter <paramref name="filter"/>; softmax leaves y to a row kernel).
    /// </summary>
    protected void ChannelEpilogue(SourceWriter ew, ActivationSpec act, TensorModel? slope, string filter)
    {
        switch (act.Kind)
        {
            case ActivationKind.Linear:
                ew.Line("y[o] = v;");
                break;
            case ActivationKind.Softmax:
                ew.Line("z[o] = v; // softmax over the whole sample: a row kernel (or the fused loss) follows");
                break;
            case ActivationKind.PReLU:
                ew.Line("z[o] = v;");
                ew.Line($"y[o] = Kernels.PReLUMath.Forward(v, p[{slope!.Offset} + {filter}]);");
                break;
            default:
                ew.Line("z[o] = v;");
                ew.Line($"y[o] = {GpuActivations.Invoke(act, Ctx, "v")};");
                break;
        }
    }

    /// <summary>The softmax row kernel after an image layer's product (skipped in training when the loss computes it).</summary>
    protected void EmitChannelSoftmax(SourceWriter w, ActivationSpec act, string z)
    {
        if (act.Kind != ActivationKind.Softmax) return;
        bool guarded = IsLast && Ctx.LastDerivativeWrittenByLoss; // fused softmax + cross entropy
        if (guarded) w.Open("if (!withLoss) // the fused loss computes softmax itself");
        w.Line($"// y{I} = softmax(z{I}) over each whole sample, as the CPU class");
        Ctx.Launch(w, SoftmaxForward($"{L}Softmax", z, Ctx.OutputOf(I), Layer.OutputSize));
        if (guarded) w.Close();
    }

    /// <summary>dz = dy ⊙ f'(z) for an image layer (PReLU: one slope per filter over planes of <paramref name="plane"/> values).</summary>
    protected void EmitChannelActivationBackward(SourceWriter w, ActivationSpec act, TensorModel? slope, string z, string dz, int plane)
    {
        if (IsLast && Ctx.LastDerivativeWrittenByLoss) w.Line($"// dz{I}: written by the fused loss");
        else if (act.Kind == ActivationKind.Softmax)
        {
            w.Line($"// dz{I} = y{I} ⊙ (dy{I} − Σ y{I}·dy{I}) per sample");
            Ctx.Launch(w, SoftmaxBackward($"{L}SoftmaxBackward", Ctx.OutputOf(I), Ctx.OutputGradientOf(I), dz, Layer.OutputSize));
        }
        else if (act.Kind == ActivationKind.PReLU)
        {
            w.Line($"// dz{I} = dy{I}·(1 or slope[f]); d(slopes{I})[f] = Σ over z ≤ 0 in filter f of dy{I}·z{I}");
            Ctx.Launch(w, PReLUBackward($"{L}PReLUBackward", z, Ctx.OutputGradientOf(I), dz, slope!, Layer.OutputSize, plane));
        }
        else if (act.IsNonLinear)
        {
            w.Line($"// dz{I} = dy{I} ⊙ f'(z{I})");
            Ctx.Launch(w, new ElementKernel($"{L}ActivationBackward", $"dz = dy ⊙ f'(z), f = {act.Kind}.",
                new[] { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("z", z), KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("dz", dz) },
                $"n * {Layer.OutputSize}",
                ew => ew.Line($"dz[i] = dy[i] * {GpuActivations.Derivative(act, Ctx, "z[i]", "y[i]")};")));
        }
    }

    /// <summary>Row-wise softmax forward, stabilised by each row's maximum; <paramref name="rows"/>: n, or n·t at every step of a sequence.</summary>
    protected ElementKernel SoftmaxForward(string name, string z, string y, int size, string rows = "n")
        => new(name, "y = softmax(z) per sample, stabilised by the row's maximum.",
            new[] { KernelParam.Floats("z", z), KernelParam.Floats("y", y) }, rows,
            w =>
            {
                w.Line($"int o = i * {size};");
                w.Line("float max = z[o];");
                w.Line($"for (int j = 1; j < {size}; j++) max = global::System.MathF.Max(max, z[o + j]);");
                w.Line("float sum = 0f;");
                w.Line($"for (int j = 0; j < {size}; j++) {{ float e = global::System.MathF.Exp(z[o + j] - max); y[o + j] = e; sum += e; }}");
                w.Line("float inv = 1f / sum;");
                w.Line($"for (int j = 0; j < {size}; j++) y[o + j] *= inv;");
            });

    /// <summary>Softmax backward through its Jacobian: dz = y ⊙ (dy − Σⱼ yⱼ·dyⱼ), row by row.</summary>
    protected ElementKernel SoftmaxBackward(string name, string y, string dy, string dz, int size, string rows = "n")
        => new(name, "dz = y ⊙ (dy − Σⱼ yⱼ·dyⱼ) per sample (softmax's Jacobian).",
            new[] { KernelParam.Floats("y", y), KernelParam.Floats("dy", dy), KernelParam.Floats("dz", dz) }, rows,
            w =>
            {
                w.Line($"int o = i * {size};");
                w.Line("float dot = 0f;");
                w.Line($"for (int j = 0; j < {size}; j++) dot += y[o + j] * dy[o + j];");
                w.Line($"for (int j = 0; j < {size}; j++) dz[o + j] = Kernels.SoftmaxMath.InputGradient(y[o + j], dy[o + j], dot);");
            });
}

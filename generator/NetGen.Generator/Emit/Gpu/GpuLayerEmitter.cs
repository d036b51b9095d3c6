using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// The kernels and launches of one layer kind on the GPU. Forward launches see <c>x</c>, <c>n</c>
/// and <c>training</c>; backward launches see <c>x</c> and <c>n</c>. Each kind has one subclass.
/// </summary>
internal abstract class GpuLayerEmitter
{
    protected GpuLayerEmitter(GpuContext ctx, LayerPlan plan)
    {
        Ctx = ctx;
        Plan = plan;
    }

    protected GpuContext Ctx { get; }
    public LayerPlan Plan { get; }
    protected int I => Plan.Index;
    protected string L => $"L{Plan.Index}";
    protected bool IsLast => I == Ctx.Plans.Count - 1;

    /// <summary>The device buffers this layer owns; by default its output and the gradient of its output.</summary>
    public virtual IEnumerable<DeviceBuffer> Buffers()
    {
        yield return new DeviceBuffer($"_y{I}", Plan.OutputSize, "float", $"{Plan.Spec.Name} output");
        yield return new DeviceBuffer($"_dy{I}", Plan.OutputSize, "float", $"d(loss)/d({Plan.Spec.Name} output)");
    }

    /// <summary>The activation applied last in this layer, if any (for the fused losses).</summary>
    public virtual ActivationSpec? FinalActivation => null;

    /// <summary>The logits for a fused loss: the input of the final activation.</summary>
    public virtual string PreActivation => Ctx.InputOf(I);

    /// <summary>Where the fused loss writes d(loss)/d(<see cref="PreActivation"/>).</summary>
    public virtual string PreActivationGradient => Ctx.InputGradientOf(I);

    /// <summary>Writes the forward launches.</summary>
    public abstract void EmitForward(SourceWriter w);

    /// <summary>Writes the backward launches: the parameter gradients and, when needed, d(loss)/d(input).</summary>
    public abstract void EmitBackward(SourceWriter w);

    protected TensorPlan Tensor(string field) => Plan.Tensors.First(t => t.FieldPrefix.EndsWith(field, StringComparison.Ordinal));
    protected TensorPlan? TryTensor(string field) => Plan.Tensors.FirstOrDefault(t => t.FieldPrefix.EndsWith(field, StringComparison.Ordinal));

    /// <summary>
    /// z = x·Wᵀ + b over <paramref name="rows"/> output columns, then <paramref name="epilogue"/> with
    /// <c>o</c> (the output index) and <c>v</c> (the value) in scope.
    /// </summary>
    protected ProductKernel LinearForward(string summary, int rows, TensorPlan weight, TensorPlan bias, IReadOnlyList<KernelParam> outputs, Action<SourceWriter> epilogue)
    {
        int inputs = Plan.InputSize;
        var parameters = new List<KernelParam> { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters) };
        parameters.AddRange(outputs);
        return new ProductKernel($"{L}Forward", summary, parameters, "n", rows, inputs.ToString(),
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
    protected void EmitWeightGradient(SourceWriter w, string dz, int rows, TensorPlan weight, TensorPlan bias)
    {
        int inputs = Plan.InputSize;
        w.Line($"// dW{I} = dz{I}ᵀ·x{I} and db{I} = Σ over the batch of dz{I}: one product over [{rows}, {inputs} + 1], x's extra column read as 1;");
        w.Line("// with split-k (large batches, tiled) each slice of the batch writes partial sums that ReduceGradients adds up");
        Ctx.Launch(w, new ProductKernel($"{L}WeightGradient", $"dW = dzᵀ·x ({rows}×{inputs}), db = Σ_b dz.",
            new[] { KernelParam.Floats("dz", dz), KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", "_splitChunk") },
            rows.ToString(), inputs + 1, "n",
            (r, k) => $"dz[{k} * {rows} + {r}]", true,
            (k, c) => $"({c} < {inputs} ? x[{k} * {inputs} + {c}] : 1f)", false,
            ew =>
            {
                ew.Line($"int o = col < {inputs} ? {weight.Offset} + row * {inputs} + col : {bias.Offset} + row;");
                ew.Line("if (chunk >= n) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true });
    }

    /// <summary>
    /// dx = dz·W. When the layer before is a Dense layer with an element-wise activation, the
    /// epilogue multiplies by that layer's f'(z, y) and writes its dz directly (one launch fewer).
    /// </summary>
    protected void EmitInputGradient(SourceWriter w, string dz, int rows, TensorPlan weight)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        int inputs = Plan.InputSize;
        var parameters = new List<KernelParam> { KernelParam.Floats("dz", dz), KernelParam.Floats("p", GpuContext.Parameters) };
        int producer = Ctx.Producer(I);
        bool fused = producer >= 0 && Ctx.DerivativeWrittenByNext.Contains(producer);
        Action<SourceWriter> epilogue;
        if (fused)
        {
            var dense = (DenseSpec)Ctx.Plans[producer].Spec;
            w.Line($"// dz{producer} = (dz{I}·W{I}) ⊙ f'(z{producer}): layer {producer}'s activation derivative fused into this product's epilogue");
            parameters.Add(KernelParam.Floats("zPrevious", $"_z{producer}.View"));
            parameters.Add(KernelParam.Floats("yPrevious", Ctx.OutputOf(producer)));
            parameters.Add(KernelParam.Floats("dzPrevious", $"_dz{producer}.View"));
            epilogue = ew =>
            {
                ew.Line($"int o = row * {inputs} + col;");
                ew.Line($"dzPrevious[o] = s * {GpuActivations.Derivative(dense.Activation, Ctx, "zPrevious[o]", "yPrevious[o]")};");
            };
        }
        else
        {
            w.Line($"// dx{I} = dz{I}·W{I}");
            parameters.Add(KernelParam.Floats("dx", Ctx.InputGradientOf(I)));
            epilogue = ew => ew.Line($"dx[row * {inputs} + col] = s;");
        }
        Ctx.Launch(w, new ProductKernel($"{L}InputGradient", fused ? $"dz{producer} = (dz·W) ⊙ f'(z{producer})." : "dx = dz·W.",
            parameters, "n", inputs, rows.ToString(),
            (r, k) => $"dz[{r} * {rows} + {k}]", false,
            (k, c) => $"p[{weight.Offset} + {k} * {inputs} + {c}]", false,
            epilogue));
    }

    /// <summary>
    /// PReLU backward over <paramref name="slopes"/> slopes, each covering <paramref name="span"/>
    /// consecutive values of a row of <paramref name="size"/>: dz = dy·(1 or slope) and
    /// d(slope) = Σ over z ≤ 0 of dy·z, one thread per slope looping over the batch (no atomics).
    /// </summary>
    protected ElementKernel PReLUBackward(string name, string z, string dy, string dz, TensorPlan slope, int size, int span)
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
                w.Line("if (v > 0f) dz[o] = dy[o];");
                w.Line("else { dz[o] = dy[o] * a; sum += dy[o] * v; }");
                w.Close();
                w.Close();
                w.Line($"g[{slope.Offset} + i] = sum;");
            });

    /// <summary>Row-wise softmax forward, stabilised by each row's maximum.</summary>
    protected ElementKernel SoftmaxForward(string name, string z, string y, int size)
        => new(name, "y = softmax(z) per sample, stabilised by the row's maximum.",
            new[] { KernelParam.Floats("z", z), KernelParam.Floats("y", y) }, "n",
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
    protected ElementKernel SoftmaxBackward(string name, string y, string dy, string dz, int size)
        => new(name, "dz = y ⊙ (dy − Σⱼ yⱼ·dyⱼ) per sample (softmax's Jacobian).",
            new[] { KernelParam.Floats("y", y), KernelParam.Floats("dy", dy), KernelParam.Floats("dz", dz) }, "n",
            w =>
            {
                w.Line($"int o = i * {size};");
                w.Line("float dot = 0f;");
                w.Line($"for (int j = 0; j < {size}; j++) dot += y[o + j] * dy[o + j];");
                w.Line($"for (int j = 0; j < {size}; j++) dz[o + j] = y[o + j] * (dy[o + j] - dot);");
            });

    /// <summary>Creates the emitter for a layer.</summary>
    public static GpuLayerEmitter For(GpuContext ctx, LayerPlan plan) => plan.Spec switch
    {
        DenseSpec => new GpuDenseEmitter(ctx, plan),
        ActivationLayerSpec => new GpuActivationLayerEmitter(ctx, plan),
        MaxoutSpec => new GpuMaxoutEmitter(ctx, plan),
        DropoutSpec => new GpuDropoutEmitter(ctx, plan),
        FlattenSpec => new GpuFlattenEmitter(ctx, plan),
        _ => throw new NotSupportedException(plan.Spec.GetType().Name),
    };
}

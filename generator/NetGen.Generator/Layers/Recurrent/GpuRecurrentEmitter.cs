using System;
using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// What SimpleRnn, Lstm and Gru share on the GPU, PyTorch's layout (weight_ih [G·H, I], weight_hh [G·H, H],
/// bias_ih, bias_hh [G·H]) and gate order, as the CPU kernels (docs/recurrent-kernels.md):
/// <list type="bullet">
/// <item>Forward: the input products of all time steps as one product over batch × time rows,
/// gates[b, t] = W_ih·x[b, t] + b_ih, and W_hhᵀ (one element kernel); then per step one kernel, one thread per (sample, unit), that sums the
/// unit's G hidden products W_hh·h_{t−1} + b_hh and applies the cell (the gates fused into the product), writing
/// the activations over the input products, h_t and y.</item>
/// <item>Backward (BPTT): per step, from the last, one kernel per (sample, unit) that sums dh_t = da_{t+1}·W_hh
/// (the hidden product of the step after) + dy[b, t] and writes that unit's gate gradients; then dW_ih, db_ih
/// and dW_hh, db_hh as one product each over all batch × time rows (split-k over the batch as Dense's), and
/// dx = da·W_ih as one product.</item>
/// </list>
/// Each kernel writes only its own elements and reads what earlier launches wrote: deterministic, no atomics.
/// A subclass writes the cell: its step bodies and any extra caches.
/// </summary>
internal abstract class GpuRecurrentEmitter : GpuLayerEmitter
{
    protected GpuRecurrentEmitter(GpuContext ctx, LayerModel layer, RecurrentCell cell) : base(ctx, layer)
    {
        Spec = (RecurrentSpec)layer.Spec;
        Cell = cell;
    }

    protected RecurrentSpec Spec { get; }
    protected RecurrentCell Cell { get; }
    protected int Inputs => Layer.Input.Features;
    protected int Time => Layer.Input.TimeSteps;
    protected int H => Spec.Units;
    protected int GH => Cell.Gates * H;
    protected TensorModel WeightIh => Layer.Tensor(TensorRole.InputWeight);
    protected TensorModel WeightHh => Layer.Tensor(TensorRole.RecurrentWeight);
    protected TensorModel BiasIh => Layer.Tensor(TensorRole.InputBias);
    protected TensorModel BiasHh => Layer.Tensor(TensorRole.RecurrentBias);

    /// <summary>[n, T, G·H]: the input products W_ih·x_t + b_ih, overwritten by each step with the gate activations.</summary>
    protected string Gates => $"_gates{I}.View";
    /// <summary>[n, T, H]: h_t of every step (the SimpleRnn keeps them in <see cref="Gates"/>, its one gate).</summary>
    protected string States => StatesInGates ? Gates : $"_h{I}.View";
    /// <summary>[n, T, G·H]: d(loss)/d(input-side pre-activations) of every step.</summary>
    protected string GateGradients => $"_da{I}.View";
    /// <summary>[n, T, G·H]: d(loss)/d(hidden-side pre-activations): the same as <see cref="GateGradients"/> but for the GRU.</summary>
    protected virtual string HiddenGateGradients => GateGradients;
    /// <summary>Whether h_t is the gate activation itself (SimpleRnn).</summary>
    protected virtual bool StatesInGates => false;

    /// <summary>The kind's caches and carried gradients beyond gates, states and gate gradients.</summary>
    protected virtual IEnumerable<DeviceBuffer> CellBuffers() => Array.Empty<DeviceBuffer>();

    /// <summary>Extra parameters of the forward step kernel (after x, p, gates, h, y).</summary>
    protected virtual IEnumerable<KernelParam> ForwardParams() => Array.Empty<KernelParam>();

    /// <summary>Extra parameters of the backward step kernel (after p, dy, gates, h, da).</summary>
    protected virtual IEnumerable<KernelParam> BackwardParams() => Array.Empty<KernelParam>();

    /// <summary>
    /// The forward cell of unit j of sample b at step t (in scope: b, j, row = b·T + t, t, gates, h, p, y);
    /// the gate pre-activations so far are the input products in gates[row·G·H + q·H + j]. Ends with <c>float hNew</c> = h_t.
    /// </summary>
    protected abstract void EmitForwardCell(SourceWriter w);

    /// <summary>
    /// The backward cell of unit j of sample b at step t (in scope: b, j, row, t, dh = d(loss)/d(h_t) in full,
    /// gates, h, da): writes the unit's gate gradients.
    /// </summary>
    protected abstract void EmitBackwardCell(SourceWriter w);

    /// <summary>d(loss)/d(h_t) beyond da_{t+1}·W_hh and dy (the GRU's z ⊙ dh_{t+1}); nothing by default.</summary>
    protected virtual void EmitCarriedGradient(SourceWriter w) { }

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        yield return new DeviceBuffer($"_gates{I}", Time * GH, "float", $"{Spec.Name}: W_ih·x_t + b_ih of every step, then the gate activations");
        if (!StatesInGates) yield return new DeviceBuffer($"_h{I}", Time * H, "float", $"{Spec.Name}: h_t of every step");
        yield return new DeviceBuffer($"_da{I}", Time * GH, "float", $"{Spec.Name}: d(loss)/d(gate pre-activations) of every step");
        yield return new DeviceBuffer($"_whhT{I}", GH * H, "float", $"{Spec.Name}: W_hhᵀ [{H}, {GH}], so the step kernel's neighbouring threads read neighbouring weights", PerSample: false);
        foreach (DeviceBuffer b in CellBuffers()) yield return b;
    }

    /// <summary>σ(z) by the runtime's operator struct (the CPU cells' definition).</summary>
    protected static string Sigmoid(string z) => $"default(Kernels.SigmoidOperator<float>).Invoke({z})";

    /// <summary>tanh(z) by the runtime's operator struct.</summary>
    protected static string Tanh(string z) => $"default(Kernels.TanhOperator<float>).Invoke({z})";

    /// <summary>
    /// The sum Σ_k h_{t−1}[k]·W_hh[q·H + j, k] of gate q's hidden product for unit j, into <c>s{q}</c> (zero at t = 0),
    /// read from W_hhᵀ (<c>wT</c>): for each k the threads of units j, j + 1, … read consecutive floats, and h_{t−1}[k] is one value for all of them.
    /// </summary>
    protected void EmitHiddenProducts(SourceWriter w)
    {
        var sums = new List<string>();
        for (int q = 0; q < Cell.Gates; q++) sums.Add($"s{q} = 0f");
        w.Line($"float {string.Join(", ", sums)};");
        w.Open("if (t > 0) // h_{−1} = 0");
        w.Line($"int previous = (row - 1) * {H};");
        w.Open($"for (int k = 0; k < {H}; k++)");
        w.Line("float hk = h[previous + k];");
        for (int q = 0; q < Cell.Gates; q++)
            w.Line($"s{q} += hk * wT[k * {GH} + {q * H} + j];");
        w.Close();
        w.Close();
    }

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// {Cell.Math} for t = 0..{Time - 1}, h_{{−1}} = 0   (W_ih: {GH}×{Inputs}, W_hh: {GH}×{H}, PyTorch's layout and gate order)");
        w.Line($"// gates{I} = x{I}·W_ihᵀ + b_ih: the input products of all {Time} steps as one product over n·{Time} rows");
        Ctx.Launch(w, new ProductKernel($"{L}InputProducts", $"gates = x·W_ihᵀ + b_ih over every step ({GH}×{Inputs}).",
            new[] { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("gates", Gates) },
            $"n * {Time}", GH, Inputs.ToString(),
            (r, k) => $"x[{r} * {Inputs} + {k}]", false,
            (k, c) => $"p[{WeightIh.Offset} + {c} * {Inputs} + {k}]", true,
            ew => ew.Line($"gates[row * {GH} + col] = s + p[{BiasIh.Offset} + col];")));
        w.Line($"// W_hhᵀ for the step kernels (the parameters may have changed since the last pass)");
        Ctx.Launch(w, new ElementKernel($"{L}TransposeHiddenWeights", $"wT[k, c] = W_hh[c, k] ({GH}×{H} → {H}×{GH}).",
            new[] { KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("wT", $"_whhT{I}.View") }, (GH * H).ToString(),
            ew => ew.Line($"wT[i] = p[{WeightHh.Offset} + (i % {GH}) * {H} + i / {GH}];")) { TakesBatch = false });
        w.Line($"// Then step by step: one thread per (sample, unit) sums its {Cell.Gates} hidden product{(Cell.Gates > 1 ? "s" : "")} W_hh·h_{{t−1}} + b_hh and applies the cell;");
        w.Line($"// y{I} = " + (Spec.ReturnSequences ? $"h_t of every step [{Time}, {H}]" : $"h_{Time - 1}, the last step [{H}]"));
        var parameters = new List<KernelParam>
        {
            KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("wT", $"_whhT{I}.View"), KernelParam.Floats("gates", Gates), KernelParam.Floats("h", States),
            KernelParam.Floats("y", Ctx.OutputOf(I)),
        };
        parameters.AddRange(ForwardParams());
        parameters.Add(new KernelParam("int", "t", "step"));
        w.Open($"for (int step = 0; step < {Time}; step++)");
        Ctx.Launch(w, new ElementKernel($"{L}ForwardStep", $"One step of the {Cell.Kernel} cell: the hidden products with the gates fused, h_t and y.",
            parameters, $"n * {H}",
            ew =>
            {
                ew.Line($"int b = i / {H}, j = i % {H}, row = b * {Time} + t;");
                EmitForwardCell(ew);
                if (!StatesInGates) ew.Line($"h[row * {H} + j] = hNew;");
                ew.Line(Spec.ReturnSequences ? $"y[row * {H} + j] = hNew;" : $"if (t == {Time - 1}) y[b * {H} + j] = hNew;");
            }));
        w.Close();
        Ctx.LaunchCount += Time - 1; // the loop launches the step kernel once per time step
    }

    public override void EmitBackward(SourceWriter w)
    {
        w.Line($"// Backpropagation through time from step {Time - 1} to 0: per step one thread per (sample, unit) sums");
        w.Line($"// dh_t = da_{{t+1}}·W_hh + dy{I}[t]{(Cell.Kernel == "Gru" ? " + z_{t+1} ⊙ dh_{t+1}" : "")} and writes the unit's gate gradients");
        var parameters = new List<KernelParam>
        {
            KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("gates", Gates),
            KernelParam.Floats("h", States), KernelParam.Floats("da", GateGradients),
        };
        if (HiddenGateGradients != GateGradients) parameters.Add(KernelParam.Floats("dah", HiddenGateGradients));
        parameters.AddRange(BackwardParams());
        parameters.Add(new KernelParam("int", "t", "step"));
        string dah = HiddenGateGradients != GateGradients ? "dah" : "da";
        w.Open($"for (int step = {Time - 1}; step >= 0; step--)");
        Ctx.Launch(w, new ElementKernel($"{L}BackwardStep", $"One step of the {Cell.Kernel} cell backward: dh_t from the step after (da_(t+1)·W_hh) and dy, then the gate gradients.",
            parameters, $"n * {H}",
            ew =>
            {
                ew.Line($"int b = i / {H}, j = i % {H}, row = b * {Time} + t;");
                ew.Line("// d(loss)/d(h_t): through the next step's hidden products, and from y");
                ew.Line("float dh = 0f;");
                ew.Open($"if (t < {Time - 1})");
                ew.Line($"int next = (row + 1) * {GH};");
                ew.Line($"for (int q = 0; q < {GH}; q++) dh += {dah}[next + q] * p[{WeightHh.Offset} + q * {H} + j];");
                ew.Close();
                EmitCarriedGradient(ew);
                ew.Line(Spec.ReturnSequences ? $"dh += dy[row * {H} + j];" : $"if (t == {Time - 1}) dh += dy[b * {H} + j];");
                EmitBackwardCell(ew);
            }));
        w.Close();
        Ctx.LaunchCount += Time - 1;
        EmitWeightGradient(w, $"{L}InputWeightGradient", GateGradients, "x", Ctx.InputOf(I), Inputs, WeightIh, BiasIh,
            "dW_ih = daᵀ·x and db_ih = Σ da over all n·T rows", (k, c) => $"x[{k} * {Inputs} + {c}]");
        EmitWeightGradient(w, $"{L}HiddenWeightGradient", HiddenGateGradients, "h", States, H, WeightHh, BiasHh,
            "dW_hh = daᵀ·h_{t−1} and db_hh = Σ da over all n·T rows (h_{−1} = 0)", (k, c) => $"({k} % {Time} > 0 ? h[({k} - 1) * {H} + {c}] : 0f)");
        if (!Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = da·W_ih over all n·{Time} rows");
        Ctx.Launch(w, new ProductKernel($"{L}InputGradient", "dx = da·W_ih over every step.",
            new[] { KernelParam.Floats("da", GateGradients), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) },
            $"n * {Time}", Inputs, GH.ToString(),
            (r, k) => $"da[{r} * {GH} + {k}]", false,
            (k, c) => $"p[{WeightIh.Offset} + {k} * {Inputs} + {c}]", false,
            ew => ew.Line($"dx[row * {Inputs} + col] = s;")));
    }

    /// <summary>
    /// dW = daᵀ·v and db = Σ da in one product over [G·H, width + 1], depth n·T rows (v's extra column read as 1);
    /// split-k over the batch as Dense's (a slice is chunk·T rows), the partial sums added by ReduceGradients.
    /// </summary>
    private void EmitWeightGradient(SourceWriter w, string name, string da, string operand, string operandView, int width,
        TensorModel weight, TensorModel bias, string comment, Func<string, string, string> read)
    {
        w.Line($"// {comment}: one product over [{GH}, {width} + 1], the extra column read as 1");
        Ctx.Launch(w, new ProductKernel(name, $"dW = daᵀ·{operand} ({GH}×{width}), db = Σ da, over every step.",
            new[] { KernelParam.Floats("da", da), KernelParam.Floats(operand, operandView), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", $"_splitChunk * {Time}") },
            GH.ToString(), width + 1, $"n * {Time}",
            (r, k) => $"da[{k} * {GH} + {r}]", true,
            (k, c) => $"({c} < {width} ? {read(k, c)} : 1f)", false,
            ew =>
            {
                ew.Line($"int o = col < {width} ? {weight.Offset} + row * {width} + col : {bias.Offset} + row;");
                ew.Line($"if (chunk >= n * {Time}) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true });
    }
}

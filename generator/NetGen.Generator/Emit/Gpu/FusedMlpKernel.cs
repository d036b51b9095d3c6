using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// The fused forward pass of a small MLP (every layer Dense or Dropout, which Predict skips; every width ≤ <see cref="MaxWidth"/>), in the
/// manner of tiny-cuda-nn's fully fused MLPs: one launch per <c>Predict</c>; each group of up to
/// <see cref="MaxGroup"/> threads takes a tile of <see cref="Samples"/> samples through every layer.
/// Each thread owns one output unit j of a layer (units past the group size loop in blocks) and keeps that
/// unit's sums for the tile's samples in registers (a0 … a15). The weights stream through shared memory in
/// chunks of <see cref="Chunk"/> inputs, loaded coalesced along W's rows; the tile's activations stay in
/// shared memory (two buffers, ping-pong) and never reach device memory between layers. Each sum runs
/// over k = 0, 1, … from 0 and then adds the bias, the order the layered kernels use, so on ILGPU's CPU
/// accelerator the outputs are bit-identical to theirs.
/// </summary>
internal sealed class FusedMlpKernel : GpuKernel
{
    /// <summary>The widest layer the kernel takes (tiny-cuda-nn's range: 16 to 128).</summary>
    public const int MaxWidth = 128;
    /// <summary>The most threads per group; fewer on accelerators that allow fewer (the CPU accelerator's groups of 16).</summary>
    public const int MaxGroup = 128;
    /// <summary>Samples per group (a tile); each thread keeps this many sums in registers.</summary>
    public const int Samples = 16;
    /// <summary>Inputs per weight chunk staged in shared memory.</summary>
    public const int Chunk = 16;

    private readonly GpuContext _ctx;
    private readonly IReadOnlyList<LayerModel> _layers;

    private FusedMlpKernel(GpuContext ctx, string output)
        : base("FusedForward", "The whole forward pass of the MLP for a tile of samples.",
            new[] { KernelParam.Floats("x", "x"), KernelParam.Floats("p", GpuContext.Parameters), KernelParam.Floats("y", output) })
    {
        _ctx = ctx;
        _layers = ctx.Plans.Where(l => l.Spec is DenseSpec).ToList(); // dropout is the identity in Predict
    }

    /// <summary>The fused kernel for the network, or null and why it does not fit.</summary>
    public static FusedMlpKernel? For(GpuContext ctx, out string why)
    {
        why = "";
        int lastDense = ctx.Plans.LastOrDefault(l => l.Spec is DenseSpec)?.Index ?? -1;
        if (lastDense < 0) { why = "no layer is Dense"; return null; }
        if (ctx.Model.Input.IsSequence) { why = "the input is a sequence (its Dense layers run at every time step)"; return null; }
        foreach (LayerModel layer in ctx.Plans)
        {
            if (layer.Spec is DropoutSpec) continue; // the identity outside training
            if (layer.Spec is not DenseSpec dense) { why = $"layer '{layer.Spec.Name}' is neither Dense nor Dropout"; return null; }
            if (dense.Units > MaxWidth) { why = $"layer '{dense.Name}' is {dense.Units} wide (more than {MaxWidth})"; return null; }
            bool last = layer.Index == lastDense;
            if (dense.Activation.Kind == ActivationKind.Softmax && !last) { why = $"layer '{dense.Name}' has a softmax before the last layer"; return null; }
            if (dense.Activation.Kind is not (ActivationKind.Linear or ActivationKind.PReLU or ActivationKind.Softmax) && !GpuActivations.IsElementWise(dense.Activation))
            { why = $"layer '{dense.Name}' uses {dense.Activation.Kind}"; return null; }
        }
        return new FusedMlpKernel(ctx, ctx.OutputOf(ctx.Plans.Count - 1));
    }

    private int Widest => _layers.Max(l => ((DenseSpec)l.Spec).Units);

    public override void EmitFields(SourceWriter w)
        => w.Line($"private readonly global::System.Action<global::ILGPU.KernelConfig, {TypeList}> _{Name};");

    public override void EmitLoad(SourceWriter w)
        => w.Line($"_{Name} = accelerator.LoadStreamKernel<{TypeList}>({Name});");

    public override void EmitLaunch(SourceWriter w)
        => w.Line($"_{Name}(new global::ILGPU.KernelConfig(new global::ILGPU.Index1D((n + FusedSamples - 1) / FusedSamples), new global::ILGPU.Index1D(_fusedGroup)), {ArgList});");

    public override void EmitMethods(SourceWriter w)
    {
        int width = Widest;
        w.Line($"/// <summary>{Summary} A group takes samples [{Samples}·g, {Samples}·(g + 1)) through all {_layers.Count} layers: each thread owns unit j of a layer");
        w.Line($"/// (blocks of the group size), its {Samples} sums in registers; W streams through shared memory {Chunk} inputs at a time; the activations stay in shared memory.</summary>");
        w.Open($"private static void {Name}({ParamList})");
        w.Line($"global::ILGPU.ArrayView<float> act0 = global::ILGPU.SharedMemory.Allocate<float>({Samples * width}); // a layer's input or output, [sample, unit]");
        w.Line($"global::ILGPU.ArrayView<float> act1 = global::ILGPU.SharedMemory.Allocate<float>({Samples * width});");
        w.Line($"global::ILGPU.ArrayView<float> wTile = global::ILGPU.SharedMemory.Allocate<float>({Chunk * (MaxGroup + 1)}); // wTile[kk, jj] = W[j0 + jj, k0 + kk], padded against bank conflicts");
        w.Line($"global::ILGPU.ArrayView<float> xTile = global::ILGPU.SharedMemory.Allocate<float>({Samples * Chunk}); // the first layer's inputs, [sample, kk]");
        w.Line("int t = global::ILGPU.Group.IdxX, groupSize = global::ILGPU.Group.DimX, first = global::ILGPU.Grid.IdxX * " + Samples + ";");
        for (int l = 0; l < _layers.Count; l++) EmitLayer(w, l, width);
        w.Close();
        w.Line();
    }

    private void EmitLayer(SourceWriter w, int l, int width)
    {
        LayerModel layer = _layers[l];
        var dense = (DenseSpec)layer.Spec;
        int inputs = layer.InputSize, units = dense.Units;
        bool isFirst = l == 0, isLast = l == _layers.Count - 1;
        string source = l % 2 == 1 ? "act0" : "act1", target = l % 2 == 0 ? "act0" : "act1";
        TensorModel weight = layer.Tensor(TensorRole.Weight), bias = layer.Tensor(TensorRole.Bias);
        string sums = string.Join(", ", Enumerable.Range(0, Samples).Select(s => $"a{s} = 0f"));

        w.Line($"// ---- {dense.Name}: z = x·Wᵀ + b over {inputs} → {units}, y = {ActivationFormulas.Formula(dense.Activation, "z")} ----");
        w.Open($"for (int j0 = 0; j0 < {units}; j0 += groupSize)");
        w.Line("int j = j0 + t;");
        w.Line($"float {sums};");
        w.Open($"for (int k0 = 0; k0 < {inputs}; k0 += {Chunk})");
        w.Line($"// stage W[j0 .. j0 + groupSize, k0 .. k0 + {Chunk}): neighbouring threads read neighbouring weights of a row");
        w.Open($"for (int e = t; e < {Chunk} * groupSize; e += groupSize)");
        w.Line($"int jj = e / {Chunk}, kk = e % {Chunk};");
        w.Line($"wTile[kk * {MaxGroup + 1} + jj] = j0 + jj < {units} && k0 + kk < {inputs} ? p[{weight.Offset} + (j0 + jj) * {inputs} + k0 + kk] : 0f;");
        w.Close();
        if (isFirst)
        {
            w.Open($"for (int e = t; e < {Samples * Chunk}; e += groupSize)");
            w.Line($"int s = e / {Chunk}, kk = e % {Chunk};");
            w.Line($"xTile[e] = first + s < n && k0 + kk < {inputs} ? x[(first + s) * {inputs} + k0 + kk] : 0f;");
            w.Close();
        }
        w.Line("global::ILGPU.Group.Barrier();");
        w.Line($"int kEnd = global::System.Math.Min({Chunk}, {inputs} - k0);");
        w.Open("for (int kk = 0; kk < kEnd; kk++)");
        w.Line($"float wk = wTile[kk * {MaxGroup + 1} + t];");
        // The sums, sample by sample: Σ over k in order, as the layered kernels add them.
        for (int s = 0; s < Samples; s++)
            w.Line(isFirst ? $"a{s} += xTile[{s * Chunk} + kk] * wk;" : $"a{s} += {source}[{s * width} + k0 + kk] * wk;");
        w.Close();
        w.Line("global::ILGPU.Group.Barrier();");
        w.Close();
        w.Open($"if (j < {units})");
        w.Line($"float b = p[{bias.Offset} + j];");
        for (int s = 0; s < Samples; s++)
        {
            string value = Activate(dense, layer, $"a{s} + b");
            if (isLast && dense.Activation.Kind != ActivationKind.Softmax)
                w.Line($"if (first + {s} < n) y[(first + {s}) * {units} + j] = {value};");
            else
                w.Line($"{target}[{s * width} + j] = {value};");
        }
        w.Close();
        w.Close();
        w.Line("global::ILGPU.Group.Barrier();");
        if (isLast && dense.Activation.Kind == ActivationKind.Softmax)
        {
            w.Line("// y = softmax(z) per sample, stabilised by the row's maximum (the layered softmax kernel's steps)");
            w.Open($"for (int s = t; s < {Samples}; s += groupSize)");
            w.Line("if (first + s >= n) continue;");
            w.Line($"int o = (first + s) * {units}, r = s * {width};");
            w.Line($"float max = {target}[r];");
            w.Line($"for (int q = 1; q < {units}; q++) max = global::System.MathF.Max(max, {target}[r + q]);");
            w.Line("float sum = 0f;");
            w.Line($"for (int q = 0; q < {units}; q++) {{ float e = global::System.MathF.Exp({target}[r + q] - max); y[o + q] = e; sum += e; }}");
            w.Line("float inv = 1f / sum;");
            w.Line($"for (int q = 0; q < {units}; q++) y[o + q] *= inv;");
            w.Close();
        }
    }

    /// <summary>f(v) by the runtime's operator structs, as the layered kernels apply it; softmax's z passes through.</summary>
    private string Activate(DenseSpec dense, LayerModel layer, string v) => dense.Activation.Kind switch
    {
        ActivationKind.Linear or ActivationKind.Softmax => $"({v})",
        ActivationKind.PReLU => $"Kernels.PReLUMath.Forward({v}, p[{layer.Tensor(TensorRole.Slope).Offset} + j])",
        _ => GpuActivations.Invoke(dense.Activation, _ctx, $"({v})"),
    };
}

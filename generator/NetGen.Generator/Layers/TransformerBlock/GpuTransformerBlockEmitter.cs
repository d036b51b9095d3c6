using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// TransformerBlock on the GPU (without dropout), as the CPU's <c>TransformerBlock</c>: a = LN₁(x);
/// r = x + Attn(a) (the residual added in out_proj's epilogue); n = LN₂(r); z = W₁·n + b₁ with g = GELU(z) in the
/// product's epilogue; y = r + W₂·g + b₂. Every product runs over batch × time rows; the LayerNorms are the
/// LayerNorm kind's kernels; the attention is <see cref="GpuAttention"/>. Backward in the reverse order, the two
/// residual paths' gradients added by the LayerNorm input-gradient kernels.
/// </summary>
internal sealed class GpuTransformerBlockEmitter : GpuLayerEmitter
{
    private readonly TransformerBlockSpec _spec;
    private readonly GpuAttention _attention;

    public GpuTransformerBlockEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer)
    {
        _spec = (TransformerBlockSpec)layer.Spec;
        _attention = new GpuAttention(ctx, $"{L}Attention", I, Steps, Width, _spec.Heads, _spec.Causal,
            Offset("InProjWeight"), Offset("InProjBias"), Offset("OutProjWeight"), Offset("OutProjBias"), _spec.Dropout);
    }

    private int Offset(string field) => Layer.Tensors.First(t => t.Field == $"L{I}{field}").Offset;
    private TensorModel Tensor(string field) => Layer.Tensors.First(t => t.Field == $"L{I}{field}");
    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private int Hidden => _spec.FeedForward;
    private string Rows => $"n * {Steps}";
    private string Eps => Ctx.F(LayerNormKind.Epsilon);
    private string Buffer(string name) => $"_{name}{I}.View";
    private bool Drops => _spec.Dropout > 0;
    private string Rate => _spec.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>Where the hidden layer's and the second branch's masks start in the block's mask buffer (after the first branch's n·T·E).</summary>
    private string HiddenMask => $"n * {Steps * Width}";
    private string SecondMask => $"n * {Steps * (Width + Hidden)}";

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        string name = _spec.Name;
        yield return new DeviceBuffer($"_firstNorm{I}", Steps * Width, "float", $"{name} a = LN₁(x)");
        yield return new DeviceBuffer($"_firstMean{I}", Steps, "float", $"{name} LN₁ mean of each row");
        yield return new DeviceBuffer($"_firstRstd{I}", Steps, "float", $"{name} LN₁ 1/√(σ² + ε) of each row");
        yield return new DeviceBuffer($"_residual{I}", Steps * Width, "float", $"{name} r = x + Attn(a)");
        yield return new DeviceBuffer($"_secondNorm{I}", Steps * Width, "float", $"{name} LN₂(r)");
        yield return new DeviceBuffer($"_secondMean{I}", Steps, "float", $"{name} LN₂ mean of each row");
        yield return new DeviceBuffer($"_secondRstd{I}", Steps, "float", $"{name} LN₂ 1/√(σ² + ε) of each row");
        yield return new DeviceBuffer($"_hidden{I}", Steps * Hidden, "float", $"{name} z = W₁·LN₂(r) + b₁");
        yield return new DeviceBuffer($"_activated{I}", Steps * Hidden, "float", $"{name} g = GELU(z)");
        yield return new DeviceBuffer($"_dhidden{I}", Steps * Hidden, "float", $"d(loss)/d({name} z)");
        yield return new DeviceBuffer($"_dnorm{I}", Steps * Width, "float", $"d(loss)/d({name} LN₂(r)), then d(loss)/d(a)");
        yield return new DeviceBuffer($"_dresidual{I}", Steps * Width, "float", $"d(loss)/d({name} r)");
        if (Drops)
        {
            yield return new DeviceBuffer($"_blockMasks{I}", Steps * (2 * Width + Hidden), "float", $"{name} dropout masks, drawn in the CPU's order: Drop₁ [n·T·E], hidden [n·T·F], Drop₂ [n·T·E]");
            yield return new DeviceBuffer($"_dropped{I}", Steps * Hidden, "float", $"{name} g̃ = g ⊙ M_hidden (g in inference)");
            yield return new DeviceBuffer($"_dbranch{I}", Steps * Width, "float", $"{name} dy ⊙ M₂, then dr ⊙ M₁: a branch's gradient through its mask");
        }
        foreach (DeviceBuffer b in _attention.Buffers(name)) yield return b;
    }

    /// <summary>The norms' γ and β: one thread per feature sums over every row.</summary>
    public override IEnumerable<TensorModel> GradientsWrittenWhole()
        => new[] { Tensor("Norm1Weight"), Tensor("Norm1Bias"), Tensor("Norm2Weight"), Tensor("Norm2Bias") };

    public override void EmitForward(SourceWriter w)
    {
        string x = Ctx.InputOf(I);
        w.Line($"// y{I} = TransformerBlock(x{I}), pre-norm: r = x + Attn(LN₁(x)); y = r + W₂·GELU(W₁·LN₂(r) + b₁) + b₂ over the n·{Steps} rows");
        w.Line("// a = LN₁(x)");
        Ctx.Launch(w, GpuLayerNormEmitter.ForwardKernel($"{L}Norm1", x, Buffer("firstNorm"), Buffer("firstMean"), Buffer("firstRstd"), Offset("Norm1Weight"), Offset("Norm1Bias"), Width, Rows, Eps));
        if (Drops)
        {
            // The CPU draws the attention weights' mask first (n·H·T² draws, in the attention's pass), then Drop₁, the hidden
            // layer's and Drop₂ in one run of the stream: drawn here, before out_proj needs Drop₁, from the state after the attention's draws.
            w.Open("if (training)");
            w.Line($"// Drop₁ [n·T·E], M_hidden [n·T·F], Drop₂ [n·T·E]: draws of the CPU class's SplitMix64 stream after the attention's n·{_spec.Heads * Steps * Steps} (0 with probability {Rate}, else 1/(1 − {Rate}))");
            Ctx.Launch(w, new ElementKernel($"{L}BlockMasks", "masks[i] = draw i of SplitMix64(state) < rate ? 0 : 1/(1 − rate): Drop₁, the hidden layer's, Drop₂, in the CPU's order.",
                new[] { KernelParam.Floats("masks", Buffer("blockMasks")), new KernelParam("ulong", "state", $"unchecked(_randomState + (ulong)(n * {_spec.Heads * Steps * Steps}) * Golden)"),
                        new KernelParam("ulong", "threshold", $"Kernels.DropoutMask.Threshold({Rate})"), new KernelParam("float", "keep", $"Kernels.DropoutMask.KeepScale<float>({Rate})") },
                $"n * {Steps * (2 * Width + Hidden)}",
                k => k.Line("masks[i] = Kernels.DropoutMask.Drops(Kernels.DropoutMask.Draw(state, (ulong)i), threshold) ? 0f : keep;")));
            w.Close();
        }
        _attention.EmitForward(w, Buffer("firstNorm"), Buffer("residual"), residual: x, branchMask: Drops ? Buffer("blockMasks") : null);
        if (Drops) w.Line($"if (training) _randomState = unchecked(_randomState + (ulong)(n * {Steps * (2 * Width + Hidden)}) * Golden); // past the block's masks");
        w.Line("// n = LN₂(r)");
        Ctx.Launch(w, GpuLayerNormEmitter.ForwardKernel($"{L}Norm2", Buffer("residual"), Buffer("secondNorm"), Buffer("secondMean"), Buffer("secondRstd"), Offset("Norm2Weight"), Offset("Norm2Bias"), Width, Rows, Eps));
        w.Line($"// z = n·W₁ᵀ + b₁, g = GELU(z) in the product's epilogue ({Hidden}×{Width}){(Drops ? "; g̃ = g ⊙ M_hidden in training" : "")}");
        var hidden = new List<KernelParam> { KernelParam.Floats("z", Buffer("hidden")), KernelParam.Floats("g", Buffer("activated")) };
        if (Drops) hidden.AddRange(new[] { KernelParam.Floats("dropped", Buffer("dropped")), KernelParam.Floats("masks", Buffer("blockMasks")), new KernelParam("int", "drop", "training ? 1 : 0") });
        Ctx.Launch(w, GpuRowProducts.Linear($"{L}Linear1", Drops ? "z = n·W₁ᵀ + b₁, g = GELU(z), g̃ = g ⊙ M_hidden in training." : "z = n·W₁ᵀ + b₁, g = GELU(z).",
            Buffer("secondNorm"), Width, Hidden, Offset("Linear1Weight"), Offset("Linear1Bias"), Rows, hidden,
            ew =>
            {
                ew.Line("z[o] = v;");
                ew.Line("g[o] = Kernels.GeluDevice.Value(v);");
                if (Drops) ew.Line($"dropped[o] = drop != 0 ? g[o] * masks[{HiddenMask} + o] : g[o];");
            }));
        w.Line(Drops ? $"// y = r + Drop₂(g̃·W₂ᵀ + b₂): the branch's mask (training only) and the residual in the product's epilogue ({Width}×{Hidden})"
                     : $"// y = r + g·W₂ᵀ + b₂: the residual added in the product's epilogue ({Width}×{Hidden})");
        var output = new List<KernelParam> { KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("residual", Buffer("residual")) };
        if (Drops) output.AddRange(new[] { KernelParam.Floats("masks", Buffer("blockMasks")), new KernelParam("int", "drop", "training ? 1 : 0") });
        Ctx.Launch(w, GpuRowProducts.Linear($"{L}Linear2", Drops ? "y = r + Drop₂(g̃·W₂ᵀ + b₂)." : "y = r + g·W₂ᵀ + b₂.", Buffer(Drops ? "dropped" : "activated"), Hidden, Width,
            Offset("Linear2Weight"), Offset("Linear2Bias"), Rows, output,
            ew => ew.Line(Drops ? $"y[o] = (drop != 0 ? v * masks[{SecondMask} + o] : v) + residual[o];" : "y[o] = v + residual[o];")));
    }

    public override void EmitBackward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), dy = Ctx.OutputGradientOf(I);
        string branch = dy;
        if (Drops)
        {
            w.Line("// dy₂ = dy ⊙ M₂: the feed-forward branch's gradient through Drop₂");
            Ctx.Launch(w, MaskedCopy($"{L}SecondBranchGradient", "dy₂ = dy ⊙ M₂.", dy, SecondMask));
            branch = Buffer("dbranch");
        }
        w.Line(Drops ? "// dW₂ = dy₂ᵀ·g̃, db₂ = Σ dy₂" : "// dW₂ = dyᵀ·g, db₂ = Σ dy");
        Ctx.Launch(w, GpuRowProducts.WeightGradient($"{L}Linear2WeightGradient", branch, Buffer(Drops ? "dropped" : "activated"), Steps, Hidden, Width, Offset("Linear2Weight"), Offset("Linear2Bias")));
        w.Line(Drops ? "// dz = (dy₂·W₂) ⊙ M_hidden ⊙ GELU'(z): the mask and the derivative in the product's epilogue" : "// dz = (dy·W₂) ⊙ GELU'(z): the derivative in the product's epilogue");
        var hidden = new List<KernelParam> { KernelParam.Floats("z", Buffer("hidden")), KernelParam.Floats("dhidden", Buffer("dhidden")) };
        if (Drops) hidden.Add(KernelParam.Floats("masks", Buffer("blockMasks")));
        Ctx.Launch(w, GpuRowProducts.InputGradient($"{L}HiddenGradient", Drops ? "dz = (dy₂·W₂) ⊙ M_hidden ⊙ GELU'(z)." : "dz = (dy·W₂) ⊙ GELU'(z).", branch, Width, Hidden, Offset("Linear2Weight"), Rows,
            hidden,
            ew => ew.Line(Drops ? $"dhidden[o] = s * masks[{HiddenMask} + o] * Kernels.GeluDevice.Slope(z[o]);" : "dhidden[o] = s * Kernels.GeluDevice.Slope(z[o]);")));
        w.Line("// dW₁ = dzᵀ·n, db₁ = Σ dz; dn = dz·W₁");
        Ctx.Launch(w, GpuRowProducts.WeightGradient($"{L}Linear1WeightGradient", Buffer("dhidden"), Buffer("secondNorm"), Steps, Width, Hidden, Offset("Linear1Weight"), Offset("Linear1Bias")));
        Ctx.Launch(w, GpuRowProducts.InputGradient($"{L}Norm2OutputGradient", "dn = dz·W₁.", Buffer("dhidden"), Hidden, Width, Offset("Linear1Weight"), Rows,
            new[] { KernelParam.Floats("dn", Buffer("dnorm")) }, ew => ew.Line("dn[o] = s;")));
        w.Line("// dγ₂, dβ₂ (one thread per feature); dr = LN₂'(dn) + dy (the residual path)");
        Ctx.Launch(w, GpuLayerNormEmitter.ParameterGradientKernel($"{L}Norm2ParameterGradient", Buffer("dnorm"), Buffer("residual"), Buffer("secondMean"), Buffer("secondRstd"), Offset("Norm2Weight"), Offset("Norm2Bias"), Width, Rows));
        Ctx.Launch(w, GpuLayerNormEmitter.InputGradientKernel($"{L}Norm2InputGradient", Buffer("dnorm"), Buffer("residual"), Buffer("secondMean"), Buffer("secondRstd"), Offset("Norm2Weight"), Buffer("dresidual"), Width, Rows, residual: dy));
        string attention = Buffer("dresidual");
        if (Drops)
        {
            w.Line("// the attention branch's gradient dr ⊙ M₁ (through Drop₁)");
            Ctx.Launch(w, MaskedCopy($"{L}FirstBranchGradient", "d(attention output) = dr ⊙ M₁.", Buffer("dresidual"), "0"));
            attention = Buffer("dbranch");
        }
        w.Line(Drops ? "// da = Attn'(dr ⊙ M₁), into the dn buffer" : "// da = Attn'(dr), into the dn buffer");
        _attention.EmitBackward(w, attention, Buffer("firstNorm"), Buffer("dnorm"));
        w.Line("// dγ₁, dβ₁; dx = LN₁'(da) + dr (the residual path)");
        Ctx.Launch(w, GpuLayerNormEmitter.ParameterGradientKernel($"{L}Norm1ParameterGradient", Buffer("dnorm"), x, Buffer("firstMean"), Buffer("firstRstd"), Offset("Norm1Weight"), Offset("Norm1Bias"), Width, Rows));
        if (!Ctx.NeedsInputGradient(I)) return;
        Ctx.Launch(w, GpuLayerNormEmitter.InputGradientKernel($"{L}Norm1InputGradient", Buffer("dnorm"), x, Buffer("firstMean"), Buffer("firstRstd"), Offset("Norm1Weight"), Ctx.InputGradientOf(I), Width, Rows, residual: Buffer("dresidual")));
    }

    /// <summary>dbranch = source ⊙ (the block mask starting at <paramref name="maskStart"/>), one thread per value of the n·T·E.</summary>
    private ElementKernel MaskedCopy(string name, string summary, string source, string maskStart)
        => new(name, summary,
            new[] { KernelParam.Floats("source", source), KernelParam.Floats("masks", Buffer("blockMasks")), KernelParam.Floats("dbranch", Buffer("dbranch")) },
            $"n * {Steps * Width}",
            k => k.Line($"dbranch[i] = source[i] * masks[{maskStart} + i];"));
}

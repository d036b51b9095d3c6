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
            Offset("InProjWeight"), Offset("InProjBias"), Offset("OutProjWeight"), Offset("OutProjBias"));
    }

    private int Offset(string field) => Layer.Tensors.First(t => t.Field == $"L{I}{field}").Offset;
    private TensorModel Tensor(string field) => Layer.Tensors.First(t => t.Field == $"L{I}{field}");
    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private int Hidden => _spec.FeedForward;
    private string Rows => $"n * {Steps}";
    private string Eps => Ctx.F(LayerNormKind.Epsilon);
    private string Buffer(string name) => $"_{name}{I}.View";

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        string name = _spec.Name;
        yield return new DeviceBuffer($"_norm1{I}", Steps * Width, "float", $"{name} a = LN₁(x)");
        yield return new DeviceBuffer($"_mean1{I}", Steps, "float", $"{name} LN₁ mean of each row");
        yield return new DeviceBuffer($"_rstd1{I}", Steps, "float", $"{name} LN₁ 1/√(σ² + ε) of each row");
        yield return new DeviceBuffer($"_residual{I}", Steps * Width, "float", $"{name} r = x + Attn(a)");
        yield return new DeviceBuffer($"_norm2{I}", Steps * Width, "float", $"{name} LN₂(r)");
        yield return new DeviceBuffer($"_mean2{I}", Steps, "float", $"{name} LN₂ mean of each row");
        yield return new DeviceBuffer($"_rstd2{I}", Steps, "float", $"{name} LN₂ 1/√(σ² + ε) of each row");
        yield return new DeviceBuffer($"_hidden{I}", Steps * Hidden, "float", $"{name} z = W₁·LN₂(r) + b₁");
        yield return new DeviceBuffer($"_activated{I}", Steps * Hidden, "float", $"{name} g = GELU(z)");
        yield return new DeviceBuffer($"_dhidden{I}", Steps * Hidden, "float", $"d(loss)/d({name} z)");
        yield return new DeviceBuffer($"_dnorm{I}", Steps * Width, "float", $"d(loss)/d({name} LN₂(r)), then d(loss)/d(a)");
        yield return new DeviceBuffer($"_dresidual{I}", Steps * Width, "float", $"d(loss)/d({name} r)");
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
        Ctx.Launch(w, GpuLayerNormEmitter.ForwardKernel($"{L}Norm1", x, Buffer("norm1"), Buffer("mean1"), Buffer("rstd1"), Offset("Norm1Weight"), Offset("Norm1Bias"), Width, Rows, Eps));
        _attention.EmitForward(w, Buffer("norm1"), Buffer("residual"), residual: x);
        w.Line("// n = LN₂(r)");
        Ctx.Launch(w, GpuLayerNormEmitter.ForwardKernel($"{L}Norm2", Buffer("residual"), Buffer("norm2"), Buffer("mean2"), Buffer("rstd2"), Offset("Norm2Weight"), Offset("Norm2Bias"), Width, Rows, Eps));
        w.Line($"// z = n·W₁ᵀ + b₁, g = GELU(z) in the product's epilogue ({Hidden}×{Width})");
        Ctx.Launch(w, GpuRowProducts.Linear($"{L}Linear1", "z = n·W₁ᵀ + b₁, g = GELU(z).", Buffer("norm2"), Width, Hidden, Offset("Linear1Weight"), Offset("Linear1Bias"), Rows,
            new[] { KernelParam.Floats("z", Buffer("hidden")), KernelParam.Floats("g", Buffer("activated")) },
            ew =>
            {
                ew.Line("z[o] = v;");
                ew.Line("g[o] = Kernels.GeluDevice.Value(v);");
            }));
        w.Line($"// y = r + g·W₂ᵀ + b₂: the residual added in the product's epilogue ({Width}×{Hidden})");
        Ctx.Launch(w, GpuRowProducts.Linear($"{L}Linear2", "y = r + g·W₂ᵀ + b₂.", Buffer("activated"), Hidden, Width, Offset("Linear2Weight"), Offset("Linear2Bias"), Rows,
            new[] { KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("residual", Buffer("residual")) },
            ew => ew.Line("y[o] = v + residual[o];")));
    }

    public override void EmitBackward(SourceWriter w)
    {
        string x = Ctx.InputOf(I), dy = Ctx.OutputGradientOf(I);
        w.Line("// dW₂ = dyᵀ·g, db₂ = Σ dy");
        Ctx.Launch(w, GpuRowProducts.WeightGradient($"{L}Linear2WeightGradient", dy, Buffer("activated"), Steps, Hidden, Width, Offset("Linear2Weight"), Offset("Linear2Bias")));
        w.Line("// dz = (dy·W₂) ⊙ GELU'(z): the derivative in the product's epilogue");
        Ctx.Launch(w, GpuRowProducts.InputGradient($"{L}HiddenGradient", "dz = (dy·W₂) ⊙ GELU'(z).", dy, Width, Hidden, Offset("Linear2Weight"), Rows,
            new[] { KernelParam.Floats("z", Buffer("hidden")), KernelParam.Floats("dhidden", Buffer("dhidden")) },
            ew => ew.Line("dhidden[o] = s * Kernels.GeluDevice.Slope(z[o]);")));
        w.Line("// dW₁ = dzᵀ·n, db₁ = Σ dz; dn = dz·W₁");
        Ctx.Launch(w, GpuRowProducts.WeightGradient($"{L}Linear1WeightGradient", Buffer("dhidden"), Buffer("norm2"), Steps, Width, Hidden, Offset("Linear1Weight"), Offset("Linear1Bias")));
        Ctx.Launch(w, GpuRowProducts.InputGradient($"{L}Norm2OutputGradient", "dn = dz·W₁.", Buffer("dhidden"), Hidden, Width, Offset("Linear1Weight"), Rows,
            new[] { KernelParam.Floats("dn", Buffer("dnorm")) }, ew => ew.Line("dn[o] = s;")));
        w.Line("// dγ₂, dβ₂ (one thread per feature); dr = LN₂'(dn) + dy (the residual path)");
        Ctx.Launch(w, GpuLayerNormEmitter.ParameterGradientKernel($"{L}Norm2ParameterGradient", Buffer("dnorm"), Buffer("residual"), Buffer("mean2"), Buffer("rstd2"), Offset("Norm2Weight"), Offset("Norm2Bias"), Width, Rows));
        Ctx.Launch(w, GpuLayerNormEmitter.InputGradientKernel($"{L}Norm2InputGradient", Buffer("dnorm"), Buffer("residual"), Buffer("mean2"), Buffer("rstd2"), Offset("Norm2Weight"), Buffer("dresidual"), Width, Rows, residual: dy));
        w.Line("// da = Attn'(dr), into the dn buffer");
        _attention.EmitBackward(w, Buffer("dresidual"), Buffer("norm1"), Buffer("dnorm"));
        w.Line("// dγ₁, dβ₁; dx = LN₁'(da) + dr (the residual path)");
        Ctx.Launch(w, GpuLayerNormEmitter.ParameterGradientKernel($"{L}Norm1ParameterGradient", Buffer("dnorm"), x, Buffer("mean1"), Buffer("rstd1"), Offset("Norm1Weight"), Offset("Norm1Bias"), Width, Rows));
        if (!Ctx.NeedsInputGradient(I)) return;
        Ctx.Launch(w, GpuLayerNormEmitter.InputGradientKernel($"{L}Norm1InputGradient", Buffer("dnorm"), x, Buffer("mean1"), Buffer("rstd1"), Offset("Norm1Weight"), Ctx.InputGradientOf(I), Width, Rows, residual: Buffer("dresidual")));
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Conv2D: z[f] = b[f] + Σ_c W[f, c] ⋆ x[c], y = f(z); NCHW activations, W [filters, channels, k, k]
/// (PyTorch's <c>nn.Conv2d</c>). The runtime unrolls one sample at a time (im2col) into a scratch
/// buffer of channels·k·k × outH·outW values that the layer owns, so no call allocates.
/// </summary>
internal sealed class Conv2DEmitter : LayerEmitter
{
    private readonly Conv2DSpec _conv;

    public Conv2DEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _conv = (Conv2DSpec)layer.Spec;

    private int Channels => Layer.InputShape[0];
    private int Height => Layer.InputShape[1];
    private int Width => Layer.InputShape[2];
    private int OutHeight => Layer.OutputShape[1];
    private int OutWidth => Layer.OutputShape[2];
    private int Filters => _conv.Filters;
    private int Kernel => _conv.KernelSize;
    private int PatchSize => Channels * Kernel * Kernel;
    private ActivationSpec Act => _conv.Activation;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    private string Z => Act.IsNonLinear ? EmitContext.Rows($"_z{I}", Layer.OutputSize) : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? EmitContext.Rows($"_dz{I}", Layer.OutputSize) : Ctx.OutputGradientOf(I);
    private string Columns => $"_columns{I}";
    private string Shape => $"new {K}.Conv2DShape({Channels}, {Height}, {Width}, {Filters}, {Kernel}, {_conv.Stride}, {_conv.Padding})";

    public override string Describe()
        => $"Conv2D {Channels}×{Height}×{Width} → {Filters}×{OutHeight}×{OutWidth}, {Kernel}×{Kernel} kernel, stride {_conv.Stride}, padding {_conv.Padding}, {Act.Kind}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        if (Act.IsNonLinear)
        {
            yield return new BufferField($"_z{I}", Layer.OutputSize, T, $"{_conv.Name} pre-activation");
            yield return new BufferField($"_dz{I}", Layer.OutputSize, T, $"d(loss)/d({_conv.Name} pre-activation)", BackwardOnly: true);
        }
        yield return new BufferField(Columns, PatchSize * OutHeight * OutWidth, T, $"{_conv.Name} im2col scratch [{PatchSize}, {OutHeight * OutWidth}]", PerSample: false);
    }

    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I}[f] = b{I}[f] + Σ_c W{I}[f, c] ⋆ x{I}[c]   (W{I}: [{Filters}, {Channels}, {Kernel}, {Kernel}]; per sample: im2col to [{PatchSize}, {OutHeight * OutWidth}], then W{I}·columns)");
        w.Line($"{K}.Convolution.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, {Columns}, n, {Shape});");
        if (!Act.IsNonLinear) return;
        ChannelActivation.EmitForward(w, Ctx, I, Act, Slope, Z, Ctx.OutputOf(I), Layer.OutputSize, Filters, OutHeight * OutWidth);
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        if (Act.IsNonLinear)
            ChannelActivation.EmitBackward(w, Ctx, I, Act, Slope, Z, Ctx.OutputOf(I), Ctx.OutputGradientOf(I), DZ, Layer.OutputSize, Filters, OutHeight * OutWidth, mayBeFused);
        w.Line($"// dW{I}[f, r] = Σ over samples and positions p of dz{I}[f, p]·columns[r, p];  db{I}[f] = Σ of dz{I}[f]");
        w.Line($"{K}.Convolution.BackwardWeights<{T}>({Ctx.InputOf(I)}, {DZ}, {EmitContext.Grad(Weight)}, {EmitContext.Grad(Bias)}, {Columns}, n, {Shape});");
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I} = col2im(W{I}ᵀ·dz{I}) per sample");
        w.Line($"{K}.Convolution.BackwardInput<{T}>({DZ}, {EmitContext.Param(Weight)}, {Ctx.InputGradientOf(I)}, {Columns}, n, {Shape});");
        if (open) w.Close();
    }

}

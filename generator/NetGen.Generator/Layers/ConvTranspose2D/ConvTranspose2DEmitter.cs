using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// ConvTranspose2D: z[b, f] = bias[f] + Σ_c x[b, c] scattered through W[c, f] at stride s, cropped by the
/// padding; y = f(z). The runtime runs it as the adjoint convolution, one sample's columns at a time, in a
/// scratch of filters·k²·h·w + channels values that the layer owns, so no call allocates.
/// </summary>
internal sealed class ConvTranspose2DEmitter : LayerEmitter
{
    private readonly ConvTranspose2DSpec _conv;

    public ConvTranspose2DEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _conv = (ConvTranspose2DSpec)layer.Spec;

    private int Channels => Layer.InputShape[0];
    private int Height => Layer.InputShape[1];
    private int Width => Layer.InputShape[2];
    private int OutHeight => Layer.OutputShape[1];
    private int OutWidth => Layer.OutputShape[2];
    private int Filters => _conv.Filters;
    private int Kernel => _conv.KernelSize;
    private int ScratchSize => Filters * Kernel * Kernel * Height * Width + Channels;
    private ActivationSpec Act => _conv.Activation;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    private string Z => Act.IsNonLinear ? EmitContext.Rows($"_z{I}", Layer.OutputSize) : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? EmitContext.Rows($"_dz{I}", Layer.OutputSize) : Ctx.OutputGradientOf(I);
    private string Scratch => $"_scratch{I}";
    private string Shape => $"new {K}.ConvTranspose2DShape({Channels}, {Height}, {Width}, {Filters}, {Kernel}, {_conv.Stride}, {_conv.Padding}, {_conv.OutputPadding})";

    public override string Describe()
        => $"ConvTranspose2D {Channels}×{Height}×{Width} → {Filters}×{OutHeight}×{OutWidth}, {Kernel}×{Kernel} kernel, stride {_conv.Stride}, padding {_conv.Padding}, output padding {_conv.OutputPadding}, {Act.Kind}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        if (Act.IsNonLinear)
        {
            yield return new BufferField($"_z{I}", Layer.OutputSize, T, $"{_conv.Name} pre-activation");
            yield return new BufferField($"_dz{I}", Layer.OutputSize, T, $"d(loss)/d({_conv.Name} pre-activation)", BackwardOnly: true);
        }
        yield return new BufferField(Scratch, ScratchSize, T, $"{_conv.Name} columns [{Filters * Kernel * Kernel}, {Height * Width}] and {Channels} spare values", PerSample: false);
    }

    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I}[b, f, iy·{_conv.Stride} − {_conv.Padding} + ky, ix·{_conv.Stride} − {_conv.Padding} + kx] += Σ_c x{I}[b, c, iy, ix]·W{I}[c, f, ky, kx], then + b{I}[f]   (W{I}: [{Channels}, {Filters}, {Kernel}, {Kernel}])");
        w.Line($"{K}.ConvTranspose2D.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Weight)}, {EmitContext.Param(Bias)}, {Z}, {Scratch}, n, {Shape});");
        if (!Act.IsNonLinear) return;
        ChannelActivation.EmitForward(w, Ctx, I, Act, Slope, Z, Ctx.OutputOf(I), Layer.OutputSize, Filters, OutHeight * OutWidth);
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        if (Act.IsNonLinear)
            ChannelActivation.EmitBackward(w, Ctx, I, Act, Slope, Z, Ctx.OutputOf(I), Ctx.OutputGradientOf(I), DZ, Layer.OutputSize, Filters, OutHeight * OutWidth, mayBeFused);
        w.Line($"// dW{I}[c, f, ky, kx] = Σ_b Σ_(iy,ix) x{I}[b, c, iy, ix]·dz{I}[b, f, iy·s − p + ky, ix·s − p + kx];  db{I}[f] = Σ of dz{I}[f]");
        w.Line($"{K}.ConvTranspose2D.BackwardWeights<{T}>({Ctx.InputOf(I)}, {DZ}, {EmitContext.Grad(Weight)}, {EmitContext.Grad(Bias)}, {Scratch}, n, {Shape});");
        bool open = OpenIfInputGradientWanted(w);
        w.Line($"// dx{I}[b, c, iy, ix] = Σ_(f,ky,kx) W{I}[c, f, ky, kx]·dz{I}[b, f, iy·s − p + ky, ix·s − p + kx]   (the plain convolution of dz{I} with W{I})");
        w.Line($"{K}.ConvTranspose2D.BackwardInput<{T}>({DZ}, {EmitContext.Param(Weight)}, {Ctx.InputGradientOf(I)}, {Scratch}, n, {Shape});");
        if (open) w.Close();
    }
}

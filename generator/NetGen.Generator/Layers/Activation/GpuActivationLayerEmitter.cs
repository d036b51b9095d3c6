using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>An activation standing alone as a layer, on the GPU: y = f(x) element-wise (row-wise for Softmax).</summary>
internal sealed class GpuActivationLayerEmitter : GpuLayerEmitter
{
    private readonly ActivationLayerSpec _layer;

    public GpuActivationLayerEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _layer = (ActivationLayerSpec)layer.Spec;

    private ActivationSpec Act => _layer.Activation;
    private int Size => Layer.OutputSize;
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    /// <summary>Values per slope: one slope per feature, or per channel of a [channels, height, width] input.</summary>
    private int SlopeSpan => Slope is null ? 1 : Size / Slope.Length;

    /// <summary>The softmax row kernel is skipped in a training step when the fused loss computes softmax itself.</summary>
    public override int LaunchesNotInTrainingStep => Act.Kind == ActivationKind.Softmax && IsLast && Ctx.LastDerivativeWrittenByLoss ? 1 : 0;


    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I} = {ActivationFormulas.Formula(Act, $"x{I}")}");
        string x = Ctx.InputOf(I), y = Ctx.OutputOf(I);
        switch (Act.Kind)
        {
            case ActivationKind.Linear:
                Ctx.Launch(w, GpuDropoutEmitter.Copy($"{L}Copy", x, y, Size));
                break;
            case ActivationKind.Softmax:
                bool guarded = IsLast && Ctx.LastDerivativeWrittenByLoss; // fused softmax + cross entropy
                if (guarded) w.Open("if (!withLoss) // the fused loss computes softmax itself");
                Ctx.Launch(w, SoftmaxForward($"{L}Softmax", x, y, Size));
                if (guarded) w.Close();
                break;
            case ActivationKind.PReLU:
                Ctx.Launch(w, new ElementKernel($"{L}PReLU", "y = x if x ≥ 0 else slope·x.",
                    new[] { KernelParam.Floats("x", x), KernelParam.Floats("y", y), KernelParam.Floats("p", GpuContext.Parameters) }, $"n * {Size}",
                    ew =>
                    {
                        ew.Line("float v = x[i];");
                        ew.Line($"y[i] = Kernels.PReLUMath.Forward(v, p[{Slope!.Offset} + i % {Size} / {SlopeSpan}]);");
                    }));
                break;
            default:
                Ctx.Launch(w, new ElementKernel($"{L}Activation", $"y = f(x), f = {Act.Kind}.",
                    new[] { KernelParam.Floats("x", x), KernelParam.Floats("y", y) }, $"n * {Size}",
                    ew => ew.Line($"y[i] = {GpuActivations.Invoke(Act, Ctx, "x[i]")};")));
                break;
        }
    }

    public override void EmitBackward(SourceWriter w)
    {
        if (IsLast && Ctx.LastDerivativeWrittenByLoss)
        {
            w.Line($"// dx{I}: written by the fused loss");
            return;
        }
        // PReLU's slopes need their gradient whether or not the input gradient is wanted.
        if (Slope is null && !Ctx.NeedsInputGradient(I)) return;
        w.Line($"// dx{I} = dy{I} ⊙ f'(x{I})");
        string x = Ctx.InputOf(I), y = Ctx.OutputOf(I), dy = Ctx.OutputGradientOf(I), dx = Ctx.InputGradientOf(I);
        switch (Act.Kind)
        {
            case ActivationKind.Linear:
                Ctx.Launch(w, GpuDropoutEmitter.Copy($"{L}CopyBackward", dy, dx, Size));
                break;
            case ActivationKind.Softmax:
                Ctx.Launch(w, SoftmaxBackward($"{L}SoftmaxBackward", y, dy, dx, Size));
                break;
            case ActivationKind.PReLU:
                Ctx.Launch(w, PReLUBackward($"{L}PReLUBackward", x, dy, dx, Slope!, Size, SlopeSpan));
                break;
            default:
                Ctx.Launch(w, new ElementKernel($"{L}ActivationBackward", $"dx = dy ⊙ f'(x), f = {Act.Kind}.",
                    new[] { KernelParam.Floats("dy", dy), KernelParam.Floats("x", x), KernelParam.Floats("y", y), KernelParam.Floats("dx", dx) }, $"n * {Size}",
                    ew => ew.Line($"dx[i] = dy[i] * {GpuActivations.Derivative(Act, Ctx, "x[i]", "y[i]")};")));
                break;
        }
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Dense on the GPU: one product kernel z = x·Wᵀ + b with y = f(z) in its epilogue; backward, one
/// product for dW and db together and one for dx (which may also apply the previous layer's f').
/// </summary>
internal sealed class GpuDenseEmitter : GpuLayerEmitter
{
    private readonly DenseSpec _dense;

    public GpuDenseEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _dense = (DenseSpec)layer.Spec;

    private int Inputs => Layer.InputSize;
    private int Units => _dense.Units;
    private ActivationSpec Act => _dense.Activation;
    private TensorModel Weight => Layer.Tensor(TensorRole.Weight);
    private TensorModel Bias => Layer.Tensor(TensorRole.Bias);
    private TensorModel? Slope => Layer.TryTensor(TensorRole.Slope);

    /// <summary>The pre-activation has its own buffer unless the activation is Linear (then z is y).</summary>
    private string Z => Act.IsNonLinear ? $"_z{I}.View" : Ctx.OutputOf(I);
    private string DZ => Act.IsNonLinear ? $"_dz{I}.View" : Ctx.OutputGradientOf(I);

    /// <summary>Whether the next layer's dx product can apply this layer's f' (element-wise activations only).</summary>
    public override bool FusesProducerDerivative => true;

    public override bool DerivativeFusable => Act.IsNonLinear && GpuActivations.IsElementWise(Act);

    /// <summary>The softmax row kernel is skipped in a training step when the fused loss computes softmax itself.</summary>
    public override int LaunchesNotInTrainingStep => Act.Kind == ActivationKind.Softmax && IsLast && Ctx.LastDerivativeWrittenByLoss ? 1 : 0;

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        if (!Act.IsNonLinear) yield break;
        yield return new DeviceBuffer($"_z{I}", Layer.OutputSize, "float", $"{_dense.Name} pre-activation");
        yield return new DeviceBuffer($"_dz{I}", Layer.OutputSize, "float", $"d(loss)/d({_dense.Name} pre-activation)");
    }

    public override string PreActivation => Z;
    public override string PreActivationGradient => DZ;

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// z{I} = x{I}·W{I}ᵀ + b{I}, y{I} = {ActivationFormulas.Formula(Act, $"z{I}")}   (W{I}: {Units}×{Inputs} row-major; bias and activation in the product's epilogue)");
        var outputs = new List<KernelParam>();
        if (Act.IsNonLinear) outputs.Add(KernelParam.Floats("z", Z));
        if (Act.Kind != ActivationKind.Softmax) outputs.Add(KernelParam.Floats("y", Ctx.OutputOf(I)));
        Ctx.Launch(w, LinearForward($"z = x·Wᵀ + b, y = {Xml(ActivationFormulas.Formula(Act, "z"))} ({Units}×{Inputs}).", Units, Weight, Bias, outputs, ew =>
        {
            switch (Act.Kind)
            {
                case ActivationKind.Linear:
                    ew.Line("y[o] = v;");
                    break;
                case ActivationKind.Softmax:
                    ew.Line("z[o] = v; // softmax needs the whole row: a row kernel (or the fused loss) follows");
                    break;
                case ActivationKind.PReLU:
                    ew.Line("z[o] = v;");
                    ew.Line($"y[o] = Kernels.PReLUMath.Forward(v, p[{Slope!.Offset} + col]);");
                    break;
                default:
                    ew.Line("z[o] = v;");
                    ew.Line($"y[o] = {GpuActivations.Invoke(Act, Ctx, "v")};");
                    break;
            }
        }));
        if (Act.Kind == ActivationKind.Softmax)
        {
            bool guarded = IsLast && Ctx.LastDerivativeWrittenByLoss; // fused softmax + cross entropy
            if (guarded) w.Open("if (!withLoss) // the fused loss computes softmax itself");
            w.Line($"// y{I} = softmax(z{I}) per {(RowsPerSample == 1 ? "sample" : "time step")}");
            Ctx.Launch(w, SoftmaxForward($"{L}Softmax", Z, Ctx.OutputOf(I), Units, ProductRows));
            if (guarded) w.Close();
        }
    }

    public override void EmitBackward(SourceWriter w)
    {
        if (IsLast && Ctx.LastDerivativeWrittenByLoss) w.Line($"// dz{I}: written by the fused loss");
        else if (Ctx.DerivativeWrittenByNext.Contains(I)) w.Line($"// dz{I}: written by layer {I + 1}'s input-gradient product");
        else if (Act.IsNonLinear)
        {
            switch (Act.Kind)
            {
                case ActivationKind.Softmax:
                    w.Line($"// dz{I} = y{I} ⊙ (dy{I} − Σ y{I}·dy{I}) per {(RowsPerSample == 1 ? "sample" : "time step")}");
                    Ctx.Launch(w, SoftmaxBackward($"{L}SoftmaxBackward", Ctx.OutputOf(I), Ctx.OutputGradientOf(I), DZ, Units, ProductRows));
                    break;
                case ActivationKind.PReLU:
                    w.Line($"// dz{I} = dy{I}·(1 or slope); d(slopes{I}) = Σ over z ≤ 0 of dy{I}·z{I}");
                    Ctx.Launch(w, PReLUBackward($"{L}PReLUBackward", Z, Ctx.OutputGradientOf(I), DZ, Slope!, Units, 1));
                    break;
                default:
                    w.Line($"// dz{I} = dy{I} ⊙ f'(z{I})");
                    Ctx.Launch(w, new ElementKernel($"{L}ActivationBackward", $"dz = dy ⊙ f'(z), f = {Act.Kind}.",
                        new[] { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("z", Z), KernelParam.Floats("y", Ctx.OutputOf(I)), KernelParam.Floats("dz", DZ) },
                        $"n * {Layer.OutputSize}",
                        ew => ew.Line($"dz[i] = dy[i] * {GpuActivations.Derivative(Act, Ctx, "z[i]", "y[i]")};")));
                    break;
            }
        }
        EmitWeightGradient(w, DZ, Units, Weight, Bias);
        EmitInputGradient(w, DZ, Units, Weight);
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Where each activation is written down for the emitters: which runtime operator struct computes
/// it (the one definition of f and f', shared with the GPU kernels) and the formula for comments.
/// </summary>
internal static class ActivationFormulas
{
    /// <summary>The operator struct type, e.g. <c>Kernels.TanhOperator&lt;float&gt;</c>; null for the row-wise or learned ones.</summary>
    public static string? OperatorType(ActivationKind kind, string t) => kind switch
    {
        ActivationKind.Linear => $"{EmitContext.Kernels}.LinearOperator<{t}>",
        ActivationKind.BinaryStep => $"{EmitContext.Kernels}.BinaryStepOperator<{t}>",
        ActivationKind.Sigmoid => $"{EmitContext.Kernels}.SigmoidOperator<{t}>",
        ActivationKind.Tanh => $"{EmitContext.Kernels}.TanhOperator<{t}>",
        ActivationKind.ReLU => $"{EmitContext.Kernels}.ReLUOperator<{t}>",
        ActivationKind.LeakyReLU => $"{EmitContext.Kernels}.LeakyReLUOperator<{t}>",
        ActivationKind.ELU => $"{EmitContext.Kernels}.ELUOperator<{t}>",
        ActivationKind.Swish => $"{EmitContext.Kernels}.SwishOperator<{t}>",
        ActivationKind.GELU => $"{EmitContext.Kernels}.GeluOperator<{t}>",
        _ => null,
    };

    /// <summary>The operator value: <c>new(0.01f)</c> for those with an α, else <c>default</c>.</summary>
    public static string OperatorValue(ActivationSpec a, EmitContext ctx)
        => a.Kind is ActivationKind.LeakyReLU or ActivationKind.ELU ? $"new {OperatorType(a.Kind, ctx.T)}({ctx.Literal(a.Alpha)})" : "default";

    /// <summary>The function as a comment writes it.</summary>
    public static string Formula(ActivationSpec a, string z) => a.Kind switch
    {
        ActivationKind.Linear => z,
        ActivationKind.BinaryStep => $"step({z})",
        ActivationKind.Sigmoid => $"σ({z})",
        ActivationKind.Tanh => $"tanh({z})",
        ActivationKind.ReLU => $"max(0, {z})",
        ActivationKind.LeakyReLU => $"leaky_relu({z}, α = {a.Alpha})",
        ActivationKind.PReLU => $"prelu({z}, learned slopes)",
        ActivationKind.ELU => $"elu({z}, α = {a.Alpha})",
        ActivationKind.Swish => $"{z}·σ({z})",
        ActivationKind.Softmax => $"softmax({z}) per sample",
        ActivationKind.GELU => $"{z}·Φ({z})",
        _ => z,
    };

    /// <summary>Writes y = f(z) over <paramref name="rows"/> rows of <paramref name="size"/> values.</summary>
    public static void EmitForward(SourceWriter w, EmitContext ctx, ActivationSpec a, string z, string y, int size, string? slopes, string rows = "n")
    {
        switch (a.Kind)
        {
            case ActivationKind.Linear:
                return; // the output buffer is the pre-activation buffer
            case ActivationKind.Softmax:
                w.Line($"{EmitContext.Kernels}.Activations.SoftmaxForward<{ctx.T}>({z}, {y}, batch: {rows}, n: {size});");
                return;
            case ActivationKind.PReLU:
                w.Line($"{EmitContext.Kernels}.Activations.PReLUForward<{ctx.T}>({z}, {slopes}, {y}, batch: {rows}, units: {size});");
                return;
            default:
                w.Line($"{EmitContext.Kernels}.Activations.Forward<{ctx.T}, {OperatorType(a.Kind, ctx.T)}>({OperatorValue(a, ctx)}, {z}, {y});");
                return;
        }
    }

    /// <summary>Writes dz = dy ⊙ f'(z) (the Jacobian product for Softmax; also the slope gradient for PReLU).</summary>
    public static void EmitBackward(SourceWriter w, EmitContext ctx, ActivationSpec a, string z, string y, string dy, string dz, int size, string? slopes, string? slopeGradients, string rows = "n")
    {
        switch (a.Kind)
        {
            case ActivationKind.Softmax:
                w.Line($"{EmitContext.Kernels}.Activations.SoftmaxBackward<{ctx.T}>({y}, {dy}, {dz}, batch: {rows}, n: {size});");
                return;
            case ActivationKind.PReLU:
                w.Line($"{EmitContext.Kernels}.Activations.PReLUBackward<{ctx.T}>({z}, {slopes}, {dy}, {dz}, {slopeGradients}, batch: {rows}, units: {size});");
                return;
            default:
                w.Line($"{EmitContext.Kernels}.Activations.Backward<{ctx.T}, {OperatorType(a.Kind, ctx.T)}>({OperatorValue(a, ctx)}, {z}, {y}, {dy}, {dz});");
                return;
        }
    }
}

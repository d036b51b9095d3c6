using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// The element-wise activations inside kernels: calls to the runtime's operator structs (the one
/// definition of f and f', shared with the CPU code), e.g. <c>default(Kernels.TanhOperator&lt;float&gt;).Invoke(v)</c>.
/// ILGPU compiles their generic math (T.Exp, T.Tanh) for the accelerator. PReLU and Softmax are not
/// element-wise operators; their kernels are written by the layer emitters.
/// </summary>
internal static class GpuActivations
{
    /// <summary>True for the activations an operator struct computes element by element.</summary>
    public static bool IsElementWise(ActivationSpec a) => ActivationFormulas.OperatorType(a.Kind, "float") is not null;

    private static string Operator(ActivationSpec a, GpuContext ctx)
    {
        string value = ActivationFormulas.OperatorValue(a, ctx.Cpu);
        return value == "default" ? $"default({ActivationFormulas.OperatorType(a.Kind, "float")})" : $"({value})";
    }

    /// <summary>f(z). GELU is the exception: its CPU operator cannot be compiled by ILGPU, so kernels call <c>GeluDevice</c>.</summary>
    public static string Invoke(ActivationSpec a, GpuContext ctx, string z)
        => a.Kind == ActivationKind.GELU ? $"Kernels.GeluDevice.Value({z})" : $"{Operator(a, ctx)}.Invoke({z})";

    /// <summary>f'(z) given y = f(z).</summary>
    public static string Derivative(ActivationSpec a, GpuContext ctx, string z, string y)
        => a.Kind == ActivationKind.GELU ? $"Kernels.GeluDevice.Slope({z})" : $"{Operator(a, ctx)}.Derivative({z}, {y})";
}

using System;
using System.Collections.Generic;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// The three products of a linear map applied to every row of a [rows, inputs] operand (every position of a
/// sequence): forward z = x·Wᵀ + b, the weight gradient dW = dzᵀ·x with db in its extra column (split-k over the
/// batch as Dense's), and the input gradient dz·W. The composite kinds (attention, TransformerBlock) build on them,
/// with their weights at any offset of the parameters.
/// </summary>
internal static class GpuRowProducts
{
    /// <summary>
    /// z = x·Wᵀ + b over <paramref name="rows"/> rows of <paramref name="inputs"/> values (W: [outputs, inputs] at
    /// <paramref name="weight"/>, b at <paramref name="bias"/>), then <paramref name="epilogue"/> with <c>o</c> (the
    /// output index) and <c>v</c> (the value) in scope.
    /// </summary>
    public static ProductKernel Linear(string name, string summary, string x, int inputs, int outputs, int weight, int bias, string rows,
        IReadOnlyList<KernelParam> extra, Action<SourceWriter> epilogue)
    {
        var parameters = new List<KernelParam> { KernelParam.Floats("x", x), KernelParam.Floats("p", GpuContext.Parameters) };
        parameters.AddRange(extra);
        return new ProductKernel(name, summary, parameters, rows, outputs, inputs.ToString(),
            (r, k) => $"x[{r} * {inputs} + {k}]", false,
            (k, c) => $"p[{weight} + {c} * {inputs} + {k}]", true,
            w =>
            {
                w.Line($"int o = row * {outputs} + col;");
                w.Line($"float v = s + p[{bias} + col];");
                epilogue(w);
            });
    }

    /// <summary>
    /// dW = dzᵀ·x and db = Σ over every row of dz in one product over [outputs, inputs + 1] (x's extra column read
    /// as 1); with split-k each slice of the batch (chunk·<paramref name="rowsPerSample"/> rows) writes partial sums
    /// that ReduceGradients adds up, as Dense's weight gradient.
    /// </summary>
    public static ProductKernel WeightGradient(string name, string dz, string x, int rowsPerSample, int inputs, int outputs, int weight, int bias)
    {
        string depth = rowsPerSample == 1 ? "n" : $"n * {rowsPerSample}";
        string chunk = rowsPerSample == 1 ? "_splitChunk" : $"_splitChunk * {rowsPerSample}";
        return new ProductKernel(name, $"dW = dzᵀ·x ({outputs}×{inputs}), db = Σ dz over the rows.",
            new[] { KernelParam.Floats("dz", dz), KernelParam.Floats("x", x), KernelParam.Floats("g", GpuContext.Gradients),
                    KernelParam.Floats("partial", "_partialGradients.View"), new KernelParam("int", "chunk", chunk) },
            outputs.ToString(), inputs + 1, depth,
            (r, k) => $"dz[{k} * {outputs} + {r}]", true,
            (k, c) => $"({c} < {inputs} ? x[{k} * {inputs} + {c}] : 1f)", false,
            ew =>
            {
                ew.Line($"int o = col < {inputs} ? {weight} + row * {inputs} + col : {bias} + row;");
                ew.Line($"if (chunk >= {depth}) g[o] = s;");
                ew.Line("else partial[split * ParameterCount + o] = s;");
            }) { SplitsDepth = true };
    }

    /// <summary>dz·W over <paramref name="rows"/> rows (W: [outputs, inputs]); the epilogue sees <c>o</c> = row·inputs + col and the sum <c>s</c>.</summary>
    public static ProductKernel InputGradient(string name, string summary, string dz, int outputs, int inputs, int weight, string rows,
        IReadOnlyList<KernelParam> extra, Action<SourceWriter> epilogue)
    {
        var parameters = new List<KernelParam> { KernelParam.Floats("dz", dz), KernelParam.Floats("p", GpuContext.Parameters) };
        parameters.AddRange(extra);
        return new ProductKernel(name, summary, parameters, rows, inputs, outputs.ToString(),
            (r, k) => $"dz[{r} * {outputs} + {k}]", false,
            (k, c) => $"p[{weight} + {k} * {inputs} + {c}]", false,
            w =>
            {
                w.Line($"int o = row * {inputs} + col;");
                epilogue(w);
            });
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>One named parameter tensor and where it lies in the flat parameter array.</summary>
public sealed record TensorPlan(string Name, string FieldPrefix, int Offset, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A layer with its inferred shapes and its parameters' place in the flat array.</summary>
public sealed record LayerPlan(int Index, LayerSpec Spec, int[] InputShape, int[] OutputShape, IReadOnlyList<TensorPlan> Tensors)
{
    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);
    public int OutputSize => OutputShape.Aggregate(1, (a, b) => a * b);
    public int ParameterCount => Tensors.Sum(t => t.Length);
    public string OutputShapeText => "(None, " + string.Join(", ", OutputShape) + ")";
    public string Kind => Spec switch
    {
        DenseSpec => "Dense",
        ActivationLayerSpec => "Activation",
        MaxoutSpec => "Maxout",
        DropoutSpec => "Dropout",
        Conv2DSpec => "Conv2D",
        Pool2DSpec p => p.IsMax ? "MaxPool2D" : "AvgPool2D",
        FlattenSpec => "Flatten",
        _ => "Layer",
    };
}

/// <summary>A shape error found while planning: which layer, and why.</summary>
public sealed record ShapeError(int LayerIndex, string InputShape, string Reason, bool TooLarge = false);

/// <summary>
/// Shape inference and parameter layout: pure functions of the spec, used by the parser (to report
/// shapes that do not chain) and by the emitters (for every constant they write).
/// </summary>
public static class NetworkPlanner
{
    /// <summary>The most parameters a network may have (the flat array is indexed by <see cref="int"/>).</summary>
    public const long MaxParameters = 1L << 30;

    /// <summary>The largest activation a layer may produce per sample.</summary>
    public const long MaxActivationSize = 1L << 28;

    /// <summary>Plans every layer; returns null and the first error when the shapes do not chain.</summary>
    public static IReadOnlyList<LayerPlan>? Plan(IReadOnlyList<int> inputShape, IReadOnlyList<LayerSpec> layers, out ShapeError? error)
    {
        error = null;
        var plans = new List<LayerPlan>(layers.Count);
        int[] shape = inputShape.ToArray();
        long offset = 0;
        long inputSize = shape.Aggregate(1L, (a, b) => a * b);
        if (inputSize > MaxActivationSize)
        {
            error = new ShapeError(0, "(" + string.Join(", ", shape) + ")", $"the input holds {inputSize:N0} values per sample, more than {MaxActivationSize:N0}", TooLarge: true);
            return null;
        }
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            string shapeText = "(" + string.Join(", ", shape) + ")";
            int[]? output = OutputShape(layer, shape, out string? reason);
            if (output is null)
            {
                error = new ShapeError(i, shapeText, reason ?? "the shapes do not fit");
                return null;
            }
            long outSize = output.Aggregate(1L, (a, b) => a * b);
            if (outSize > MaxActivationSize)
            {
                error = new ShapeError(i, shapeText, $"its output would hold {outSize:N0} values per sample, more than {MaxActivationSize:N0}", TooLarge: true);
                return null;
            }
            var tensors = new List<TensorPlan>();
            foreach ((string suffix, string field, long[] dims) in ParameterShapes(layer, shape, output))
            {
                long length = dims.Aggregate(1L, (a, b) => a * b);
                if (offset + length > MaxParameters)
                {
                    error = new ShapeError(i, shapeText, $"the network would have more than {MaxParameters:N0} parameters", TooLarge: true);
                    return null;
                }
                tensors.Add(new TensorPlan($"{layer.Name}.{suffix}", $"L{i}{field}", (int)offset, dims.Select(d => (int)d).ToArray()));
                offset += length;
            }
            plans.Add(new LayerPlan(i, layer, shape, output, tensors));
            shape = output;
        }
        return plans;
    }

    private static int[]? OutputShape(LayerSpec layer, int[] input, out string? reason)
    {
        reason = null;
        switch (layer)
        {
            case DenseSpec d:
                if (input.Length != 1) { reason = "Dense takes a vector; add [Flatten] before it"; return null; }
                return new[] { d.Units };
            case MaxoutSpec m:
                if (input.Length != 1) { reason = "Maxout takes a vector; add [Flatten] before it"; return null; }
                if ((long)m.Units * m.Pieces > MaxActivationSize) { reason = "units × pieces is too large"; return null; }
                return new[] { m.Units };
            case ActivationLayerSpec or DropoutSpec:
                return input;
            case FlattenSpec:
                return new[] { input.Aggregate(1, (a, b) => a * b) };
            case Conv2DSpec c:
            {
                if (input.Length != 3) { reason = "Conv2D takes a [channels, height, width] input; declare [Input(channels, height, width)]"; return null; }
                int h = input[1] + 2 * c.Padding, w = input[2] + 2 * c.Padding;
                if (c.KernelSize > h || c.KernelSize > w) { reason = $"the {c.KernelSize}×{c.KernelSize} kernel is larger than the padded input {h}×{w}"; return null; }
                if ((h - c.KernelSize) % c.Stride != 0 || (w - c.KernelSize) % c.Stride != 0)
                { reason = $"stride {c.Stride} does not divide (padded size − kernel) = ({h - c.KernelSize}, {w - c.KernelSize}); change the stride or the padding"; return null; }
                return new[] { c.Filters, (h - c.KernelSize) / c.Stride + 1, (w - c.KernelSize) / c.Stride + 1 };
            }
            case Pool2DSpec p:
            {
                if (input.Length != 3) { reason = "pooling takes a [channels, height, width] input"; return null; }
                if (p.Size > input[1] || p.Size > input[2]) { reason = $"the {p.Size}×{p.Size} window is larger than the input {input[1]}×{input[2]}"; return null; }
                if ((input[1] - p.Size) % p.Stride != 0 || (input[2] - p.Size) % p.Stride != 0)
                { reason = $"stride {p.Stride} does not divide (size − window) = ({input[1] - p.Size}, {input[2] - p.Size})"; return null; }
                return new[] { input[0], (input[1] - p.Size) / p.Stride + 1, (input[2] - p.Size) / p.Stride + 1 };
            }
            default:
                reason = "this layer kind is not supported";
                return null;
        }
    }

    /// <summary>The parameter tensors of a layer, in PyTorch's order: (name suffix, field suffix, shape).</summary>
    private static IEnumerable<(string Suffix, string Field, long[] Dims)> ParameterShapes(LayerSpec layer, int[] input, int[] output)
    {
        switch (layer)
        {
            case DenseSpec d:
                yield return ("weight", "Weight", new long[] { d.Units, input[0] });
                yield return ("bias", "Bias", new long[] { d.Units });
                if (d.Activation.Kind == ActivationKind.PReLU) yield return ("prelu.weight", "Slope", new long[] { d.Units });
                break;
            case MaxoutSpec m:
                yield return ("weight", "Weight", new long[] { (long)m.Units * m.Pieces, input[0] });
                yield return ("bias", "Bias", new long[] { (long)m.Units * m.Pieces });
                break;
            case ActivationLayerSpec a when a.Activation.Kind == ActivationKind.PReLU:
                // nn.PReLU(num_parameters = features): one slope per feature (per channel for images).
                yield return ("weight", "Slope", new long[] { input.Length == 3 ? input[0] : input.Aggregate(1L, (x, y) => x * y) });
                break;
            case Conv2DSpec c:
                yield return ("weight", "Weight", new long[] { c.Filters, input[0], c.KernelSize, c.KernelSize });
                yield return ("bias", "Bias", new long[] { c.Filters });
                if (c.Activation.Kind == ActivationKind.PReLU) yield return ("prelu.weight", "Slope", new long[] { c.Filters });
                break;
        }
    }
}

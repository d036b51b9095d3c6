using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// What every layer emitter needs to know about the whole network: the element type, and the names
/// of the buffers that carry activations and gradients between layers.
/// </summary>
internal sealed class EmitContext
{
    public EmitContext(NetworkSpec spec, IReadOnlyList<LayerPlan> plans)
    {
        Spec = spec;
        Plans = plans;
        T = spec.ElementType;
    }

    public NetworkSpec Spec { get; }
    public IReadOnlyList<LayerPlan> Plans { get; }
    /// <summary>The element type keyword: <c>float</c> or <c>double</c>.</summary>
    public string T { get; }
    public int InputSize => Plans[0].InputSize;
    public int OutputSize => Plans[Plans.Count - 1].OutputSize;

    /// <summary>The numeric kernels' namespace, through the alias the emitted file declares.</summary>
    public const string Kernels = "Kernels";

    /// <summary>A literal of the element type: <c>0.01f</c> or <c>0.01</c>.</summary>
    public string Literal(double value)
    {
        string text = T == "float"
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
        if (T == "float") return text + "f";
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    /// <summary>The first <c>n</c> rows of a buffer: <c>Rows(_y0, n * 128)</c>.</summary>
    public static string Rows(string buffer, int size) => $"Rows({buffer}, n * {size})";

    /// <summary>The layer's input activations (the network input for the first layer).</summary>
    public string InputOf(int i) => i == 0 ? "x" : OutputOf(i - 1);

    /// <summary>The layer's output activations. Flatten moves no data, so it passes its input on.</summary>
    public string OutputOf(int i) => Plans[i].Spec is FlattenSpec ? InputOf(i) : Rows($"_y{i}", Plans[i].OutputSize);

    /// <summary>d(loss)/d(the layer's output).</summary>
    public string OutputGradientOf(int i) => Plans[i].Spec is FlattenSpec ? InputGradientOf(i) : Rows($"_dy{i}", Plans[i].OutputSize);

    /// <summary>d(loss)/d(the layer's input): the previous layer's output gradient, or the input gradient for the first layer.</summary>
    public string InputGradientOf(int i) => i == 0 ? Rows("_dx", InputSize) : OutputGradientOf(i - 1);

    /// <summary>
    /// Whether layer <paramref name="i"/> must pass a gradient to its input: always when a layer
    /// before it has parameters; otherwise only when the caller asked for input gradients.
    /// Returns the C# condition, or "true".
    /// </summary>
    public string InputGradientCondition(int i)
        => Plans.Take(i).Any(p => p.ParameterCount > 0) ? "true" : "inputGradient";

    /// <summary>The span over one parameter tensor, or its gradient.</summary>
    public static string Param(TensorPlan t) => t.FieldPrefix;
    public static string Grad(TensorPlan t) => t.FieldPrefix + "Gradient";
}

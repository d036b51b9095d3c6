using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// What every layer emitter needs to know about the whole network: the element type, and the names
/// of the buffers that carry activations and gradients between layers.
/// </summary>
internal sealed class EmitContext
{
    public EmitContext(NetworkModel model)
    {
        Model = model;
        T = model.Spec.ElementType;
    }

    /// <summary>The analysed network: every shape, tensor and fact the emitters write from.</summary>
    public NetworkModel Model { get; }
    public NetworkSpec Spec => Model.Spec;
    public EquatableArray<LayerModel> Plans => Model.Layers;
    /// <summary>The element type keyword: <c>float</c> or <c>double</c>.</summary>
    public string T { get; }
    public int InputSize => Model.InputSize;
    public int OutputSize => Model.OutputSize;

    /// <summary>
    /// When this context writes <c>Step</c> over the one-step view of a network: the time steps of the whole
    /// network (the capacity of attention's key/value caches). 0 in a context over the whole network.
    /// </summary>
    public int StepCapacity { get; set; }

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
    public string OutputOf(int i) => Plans[i].PassesInputThrough ? InputOf(i) : Rows($"_y{i}", Plans[i].OutputSize);

    /// <summary>d(loss)/d(the layer's output).</summary>
    public string OutputGradientOf(int i) => Plans[i].PassesInputThrough ? InputGradientOf(i) : Rows($"_dy{i}", Plans[i].OutputSize);

    /// <summary>d(loss)/d(the layer's input): the previous layer's output gradient, or the input gradient for the first layer.</summary>
    public string InputGradientOf(int i) => i == 0 ? Rows("_dx", InputSize) : OutputGradientOf(i - 1);

    /// <summary>The span over one parameter tensor, or its gradient.</summary>
    public static string Param(TensorModel t) => t.Field;
    public static string Grad(TensorModel t) => t.Field + "Gradient";

    /// <summary>The rows a layer without a time axis runs over: <c>n</c>, or <c>n * t</c> on a sequence of t steps.</summary>
    public static string RowsOf(TensorShape shape) => shape.TimeSteps == 1 ? "n" : $"n * {shape.TimeSteps}";
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Onnx.Import;

/// <summary>One imported tensor: its name, shape and values (PyTorch's layout).</summary>
/// <param name="Name">Within a layer while importing (<c>weight</c>, <c>bias_ih_l0</c>, <c>prelu.weight</c>); in <see cref="ImportedNetwork.Tensors"/> the full name (<c>layers.0.weight</c>).</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Its values, row-major.</param>
public sealed record ImportedTensor(string Name, int[] Shape, float[] Values);

/// <summary>One imported layer: the attribute it becomes and its tensors.</summary>
internal sealed class ImportedLayer
{
    public ImportedLayer(string attribute, params object[] arguments)
    {
        Attribute = attribute;
        Arguments = arguments.Select(Literal).ToList();
    }

    /// <summary>The attribute's name (<c>Dense</c>, <c>Conv2D</c>, <c>MaxPool2D</c>, <c>Lstm</c>, ...).</summary>
    public string Attribute { get; }

    /// <summary>Positional arguments as C# literals.</summary>
    public List<string> Arguments { get; }

    /// <summary>Named arguments (<c>Stride = 2</c>), in order.</summary>
    public List<KeyValuePair<string, string>> Named { get; } = new();

    /// <summary>The tensors, in PyTorch's order.</summary>
    public List<ImportedTensor> Tensors { get; } = new();

    /// <summary>True for kinds that take a final activation (Dense, Conv2D, ConvTranspose2D) and have none yet.</summary>
    public bool TakesActivation { get; set; }

    /// <summary>The final activation's name (<c>ReLU</c>) or null; for an <c>[Activation]</c> layer, its function.</summary>
    public string? Activation { get; set; }

    /// <summary>A Dense layer made from MatMul whose bias may still come from the next Add.</summary>
    public bool AwaitsBias { get; set; }

    /// <summary>Where the activation goes among the arguments: positional (Dense) or named (Conv2D's is a property too, but positional works).</summary>
    public void SetNamed(string name, object value) => Named.Add(new(name, Literal(value)));

    /// <summary>The attribute as C#: <c>[Dense(128, Activation.ReLU)]</c>, <c>[Conv2D(6, 5, Activation.ReLU, Padding = 2)]</c>.</summary>
    public string Render()
    {
        IEnumerable<string> positional = Arguments;
        if (Activation is not null) positional = positional.Append("Activation." + Activation);
        string all = string.Join(", ", positional.Concat(Named.Select(kv => kv.Key + " = " + kv.Value)));
        return all.Length == 0 ? $"[{Attribute}]" : $"[{Attribute}({all})]";
    }

    /// <summary>A tensor of this layer by name within the layer.</summary>
    public ImportedTensor Tensor(string name) => Tensors.First(t => t.Name == name);

    private static string Literal(object value) => value switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => ((float)d).ToString("R", CultureInfo.InvariantCulture) + "f",
        bool b => b ? "true" : "false",
        System.IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

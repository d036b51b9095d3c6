using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Onnx.Import;
using NetGen.Serialization;

namespace NetGen.Onnx;

/// <summary>
/// An imported ONNX model: a NetGen declaration (<see cref="Source"/>, the attributes on a <c>partial class</c>) and its
/// tensors under PyTorch's names (<c>layers.{i}.weight</c>, ...) in PyTorch's layouts, as <c>SafeTensors.Load</c> and
/// <c>[Network(Weights = ...)]</c> read them.
/// </summary>
/// <param name="ClassName">The class to declare.</param>
/// <param name="Namespace">Its namespace, or null for none.</param>
/// <param name="InputKind"><c>Vector</c>, <c>Image</c>, <c>Sequence</c> or <c>Tokens</c>.</param>
/// <param name="InputShape">The input's shape per sample (the <c>[Input(...)]</c> arguments).</param>
/// <param name="Layers">The layer attributes in order, as C# (<c>[Dense(128, Activation.ReLU)]</c>).</param>
/// <param name="Tensors">The tensors in parameter order, named as the generated class names them.</param>
/// <param name="Loss">The loss to declare (<c>CrossEntropy</c> after a Softmax), or null for the default.</param>
/// <param name="SourceName">Where the model came from (a file name), for the generated comment.</param>
/// <param name="Producer">The model's producer name and version.</param>
public sealed record ImportedNetwork(
    string ClassName,
    string? Namespace,
    string InputKind,
    int[] InputShape,
    IReadOnlyList<string> Layers,
    IReadOnlyList<ImportedTensor> Tensors,
    string? Loss,
    string SourceName,
    string Producer)
{
    /// <summary>The attributes after <c>[Network]</c>: <c>[Input(...)]</c> and each layer's, space-separated on one line.</summary>
    public string Attributes => $"[Input({string.Join(", ", InputShape)})] " + string.Join(" ", Layers);

    /// <summary>The C# file declaring the network (<c>{ClassName}.cs</c>), one attribute per line.</summary>
    /// <param name="weightsFile">When set, an inference-only declaration with these weights compiled in (<c>[Network(Weights = "...")]</c>).</param>
    public string Source(string? weightsFile = null)
    {
        var s = new StringBuilder();
        s.AppendLine($"// Imported by `netgen import` from {SourceName} (written by {Producer}).");
        s.AppendLine($"// The weights are in {ClassName}.safetensors under PyTorch's names: load them with SafeTensors.Load(network, path),");
        s.AppendLine("// or compile them in with [Network(Weights = \"...\")] and the file as an AdditionalFiles item.");
        s.AppendLine("using NetGen;");
        s.AppendLine();
        if (Namespace is not null) s.AppendLine($"namespace {Namespace};").AppendLine();
        var settings = new List<string>();
        if (Loss is not null) settings.Add($"Loss = Loss.{Loss}");
        if (weightsFile is not null) settings.Add($"Weights = \"{weightsFile}\"");
        s.AppendLine(settings.Count == 0 ? "[Network]" : $"[Network({string.Join(", ", settings)})]");
        s.AppendLine($"[Input({string.Join(", ", InputShape)})]");
        foreach (string layer in Layers) s.AppendLine(layer);
        s.AppendLine($"public partial class {ClassName} {{ }}");
        return s.ToString();
    }

    /// <summary>Writes the tensors as a float32 safetensors file (replaced atomically).</summary>
    public void SaveSafeTensors(string path)
    {
        var slices = new List<TensorSlice>();
        int offset = 0;
        foreach (ImportedTensor t in Tensors)
        {
            slices.Add(new TensorSlice(t.Name, t.Shape, 0, offset, t.Values.Length));
            offset += t.Values.Length;
        }
        float[] all = new float[offset];
        offset = 0;
        foreach (ImportedTensor t in Tensors)
        {
            t.Values.CopyTo(all, offset);
            offset += t.Values.Length;
        }
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["source"] = SourceName, ["producer"] = Producer };
        AtomicFile.Write(path, stream => SafeTensorsWriter.Write<float>(stream, slices, all, ReadOnlySpan<float>.Empty, metadata));
    }

    /// <summary>Writes <c>{ClassName}.cs</c> and <c>{ClassName}.safetensors</c> into a folder (created when missing); returns both paths.</summary>
    public (string Declaration, string Weights) Save(string directory, bool compileWeightsIn = false)
    {
        Directory.CreateDirectory(directory);
        string weights = Path.Combine(directory, ClassName + ".safetensors");
        string declaration = Path.Combine(directory, ClassName + ".cs");
        SaveSafeTensors(weights);
        File.WriteAllText(declaration, Source(compileWeightsIn ? ClassName + ".safetensors" : null));
        return (declaration, weights);
    }
}

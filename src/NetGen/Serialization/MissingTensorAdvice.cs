using System;
using System.Collections.Generic;
using System.Text;

namespace NetGen.Serialization;

/// <summary>
/// Explains a tensor missing from a safetensors file: lists what the file holds and, when a tensor of the same
/// kind and shape sits under a layer name the network does not use, suggests the <c>Name =</c> that maps it.
/// The usual case: PyTorch's <c>Sequential(Linear, ReLU, Linear)</c> numbers its modules 0, 1, 2, so its second
/// Linear is <c>layers.2</c> while NetGen, counting declared layers, calls it <c>layers.1</c>.
/// </summary>
internal static class MissingTensorAdvice
{
    private const int MaxListed = 16;

    /// <summary>The advice for the missing <paramref name="name"/> (shape <paramref name="shape"/>), <paramref name="prefix"/> being "" or an optimizer block's "optimizer.slot{k}.".</summary>
    public static string Explain(string name, int[] shape, IReadOnlyList<ParameterTensor> needed, SafeTensorsFile file, string prefix)
    {
        var text = new StringBuilder();
        string? suggestion = Suggest(name, shape, needed, file, prefix);
        if (suggestion is not null) text.Append(suggestion).Append(' ');
        text.Append(ListNames(file));
        return text.ToString();
    }

    /// <summary>
    /// Splits the name into layer and tensor kind at each dot from the right ("layers.1" + "weight"); the first split for
    /// which the file has tensors of that kind and shape under layer names the network does not claim gives the advice.
    /// </summary>
    private static string? Suggest(string name, int[] shape, IReadOnlyList<ParameterTensor> needed, SafeTensorsFile file, string prefix)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterTensor p in needed) claimed.Add(prefix + p.Name);
        for (int dot = name.LastIndexOf('.'); dot > 0; dot = name.LastIndexOf('.', dot - 1))
        {
            string layer = name[..dot], kind = name[dot..]; // kind keeps its dot: ".weight"
            var candidates = new List<string>();
            foreach (SafeTensorInfo t in file.Tensors.Values)
                if (t.Name.EndsWith(kind, StringComparison.Ordinal) && !claimed.Contains(t.Name) && t.HasShape(shape))
                    candidates.Add(t.Name[..^kind.Length]);
            if (candidates.Count == 0) continue;
            candidates.Sort(StringComparer.Ordinal);
            string declared = layer.StartsWith(prefix, StringComparison.Ordinal) ? layer[prefix.Length..] : layer;
            string fileLayer = candidates[0].StartsWith(prefix, StringComparison.Ordinal) ? candidates[0][prefix.Length..] : candidates[0];
            string others = candidates.Count > 1 ? $" (other unclaimed layers of that shape: {string.Join(", ", candidates.GetRange(1, candidates.Count - 1))})" : "";
            return $"The file has '{candidates[0]}{kind}' of the same shape under a layer name the network does not use{others}: "
                + $"if that is the layer now named '{declared}', declare it with Name = \"{fileLayer}\" (PyTorch's Sequential counts parameter-free modules such as ReLU, NetGen's default names do not).";
        }
        return null;
    }

    /// <summary>"The file holds 4 tensors: a [2, 3], b [2], ..." (at most <see cref="MaxListed"/>).</summary>
    private static string ListNames(SafeTensorsFile file)
    {
        var names = new List<string>(file.Tensors.Keys);
        names.Sort(StringComparer.Ordinal);
        var text = new StringBuilder($"The file holds {names.Count} tensor{(names.Count == 1 ? "" : "s")}");
        if (names.Count > 0) text.Append(": ");
        for (int i = 0; i < Math.Min(names.Count, MaxListed); i++)
        {
            if (i > 0) text.Append(", ");
            SafeTensorInfo t = file.Tensors[names[i]];
            text.Append(t.Name).Append(' ').Append(t.DType).Append(' ').Append(t.ShapeText);
        }
        if (names.Count > MaxListed) text.Append(", … and ").Append(names.Count - MaxListed).Append(" more");
        return text.Append('.').ToString();
    }
}

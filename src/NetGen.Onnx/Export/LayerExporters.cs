using System;
using System.Collections.Generic;

namespace NetGen.Onnx.Export;

/// <summary>Writes the ONNX nodes of one layer kind.</summary>
internal interface ILayerExporter
{
    /// <summary>Adds the nodes computing the layer's output from <paramref name="input"/> and returns the output value's name.</summary>
    string Export(LayerExportContext context, LayerArchitecture layer, string input);
}

/// <summary>The exporters by layer kind (the kind names of <see cref="LayerArchitecture.Kind"/>).</summary>
internal static class LayerExporters
{
    private static readonly Dictionary<string, ILayerExporter> s_byKind = new(StringComparer.Ordinal)
    {
        ["Dense"] = new DenseExporter(),
        ["Activation"] = new ActivationLayerExporter(),
        ["Maxout"] = new MaxoutExporter(),
        ["Dropout"] = new IdentityExporter(),
        ["Flatten"] = new FlattenExporter(),
        ["Reshape"] = new ReshapeExporter(),
        ["Conv2D"] = new Conv2DExporter(),
        ["ConvTranspose2D"] = new ConvTranspose2DExporter(),
        ["MaxPool2D"] = new Pool2DExporter(),
        ["AvgPool2D"] = new Pool2DExporter(),
        ["BatchNorm"] = new BatchNormExporter(),
        ["Embedding"] = new EmbeddingExporter(),
        ["PositionalEmbedding"] = new PositionalEmbeddingExporter(),
        ["LayerNorm"] = new LayerNormExporter(),
        ["GlobalAveragePooling1D"] = new GlobalAveragePooling1DExporter(),
        ["SimpleRnn"] = new RecurrentExporter(RecurrentExporter.Cell.Rnn),
        ["Lstm"] = new RecurrentExporter(RecurrentExporter.Cell.Lstm),
        ["Gru"] = new RecurrentExporter(RecurrentExporter.Cell.Gru),
        ["MultiHeadAttention"] = new MultiHeadAttentionExporter(),
        ["TransformerBlock"] = new TransformerBlockExporter(),
    };

    /// <summary>The layer kinds that can be exported.</summary>
    public static IReadOnlyCollection<string> Kinds => s_byKind.Keys;

    /// <summary>The exporter of a layer's kind.</summary>
    /// <exception cref="NotSupportedException">No exporter for the kind; the message names the layer.</exception>
    public static ILayerExporter For(LayerArchitecture layer)
        => s_byKind.TryGetValue(layer.Kind, out ILayerExporter? e) ? e
           : throw new NotSupportedException($"layer '{layer.Name}' ({layer.Kind}) cannot be exported to ONNX: NetGen.Onnx has no exporter for the {layer.Kind} kind (it exports {string.Join(", ", s_byKind.Keys)})");
}

/// <summary>Dense: y = f(x·Wᵀ + b); Gemm(transB = 1) on vectors, MatMul(x, Wᵀ) + b at every step of a sequence.</summary>
internal sealed class DenseExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        string z = Affine(c, layer, input, layer.Tensor("Weight"), layer.Tensor("Bias"));
        return ActivationExport.Apply(c, layer, z, layer.Text("Activation"), layer.Real("ActivationAlpha"), layer.OutputKind, layer.OutputShape);
    }

    /// <summary>z = x·Wᵀ + b for W [units, features]: Gemm on [N, features], MatMul + Add on [N, t, features].</summary>
    public static string Affine(LayerExportContext c, LayerArchitecture layer, string input, LayerTensor weight, LayerTensor bias)
    {
        int units = weight.Shape[0], features = weight.Shape[1];
        if (layer.InputKind != "Sequence")
            return c.Graph.Node("Gemm", layer.Name, new[] { input, c.Initializer(weight), c.Initializer(bias) }, OnnxGraphBuilder.Attr("transB", 1L));
        string product = c.Graph.Node("MatMul", layer.Name, new[] { input, c.TransposedInitializer(weight.Name + ".T", c.Values(weight), units, features) });
        return c.Graph.Node("Add", layer.Name, new[] { product, c.Initializer(bias) });
    }
}

/// <summary>[Activation(f)]: the function alone (PReLU with its slopes).</summary>
internal sealed class ActivationLayerExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => ActivationExport.Apply(c, layer, input, layer.Text("Activation"), layer.Real("ActivationAlpha"), layer.OutputKind, layer.OutputShape);
}

/// <summary>Maxout: z = x·Wᵀ + b over units·pieces rows, y[u] = maxₚ z[u·pieces + p] (Reshape to [N, units, pieces], ReduceMax over pieces).</summary>
internal sealed class MaxoutExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        int units = layer.Int("Units"), pieces = layer.Int("Pieces");
        string z = DenseExporter.Affine(c, layer, input, layer.Tensor("Weight"), layer.Tensor("Bias"));
        string grouped = c.Graph.Node("Reshape", layer.Name, new[] { z, c.Graph.Int64s(layer.Name + ".pieces_shape", -1, units, pieces) });
        return c.Graph.Node("ReduceMax", layer.Name, new[] { grouped }, OnnxGraphBuilder.Ints("axes", 2L), OnnxGraphBuilder.Attr("keepdims", 0L));
    }
}

/// <summary>A layer that is the identity in inference (Dropout).</summary>
internal sealed class IdentityExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input) => c.Graph.Node("Identity", layer.Name, new[] { input });
}

/// <summary>Flatten: [N, ...] → [N, product of the rest].</summary>
internal sealed class FlattenExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => c.Graph.Node("Flatten", layer.Name, new[] { input }, OnnxGraphBuilder.Attr("axis", 1L));
}

/// <summary>Reshape(channels, height, width): [N, c·h·w] → [N, c, h, w].</summary>
internal sealed class ReshapeExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        var shape = new long[layer.OutputShape.Length + 1];
        shape[0] = -1;
        for (int i = 0; i < layer.OutputShape.Length; i++) shape[i + 1] = layer.OutputShape[i];
        return c.Graph.Node("Reshape", layer.Name, new[] { input, c.Graph.Int64s(layer.Name + ".shape", shape) });
    }
}

using System;

namespace NetGen.Onnx.Export;

/// <summary>Embedding: y[n, t] = weight[ids[n, t]] (Gather on axis 0; the graph input holds int64 ids).</summary>
internal sealed class EmbeddingExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => c.Graph.Node("Gather", layer.Name, new[] { c.Initializer(layer.Tensor("Embedding")), input }, OnnxGraphBuilder.Attr("axis", 0L));
}

/// <summary>PositionalEmbedding: y[n, t] = x[n, t] + weight[t] for t &lt; timeSteps (the table's first rows, sliced in the graph).</summary>
internal sealed class PositionalEmbeddingExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        OnnxGraphBuilder g = c.Graph;
        int steps = layer.InputShape[0];
        string rows = g.Node("Slice", layer.Name, new[] { c.Initializer(layer.Tensor("Positional")), g.Int64s(layer.Name + ".start", 0), g.Int64s(layer.Name + ".end", steps), g.Int64s(layer.Name + ".axis", 0) });
        return g.Node("Add", layer.Name, new[] { input, rows });
    }
}

/// <summary>LayerNorm: y = (x − μ)/√(σ² + ε)·γ + β over the last dimension (LayerNormalization, opset 17).</summary>
internal sealed class LayerNormExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => Normalize(c, layer.Name, input, layer.Tensor("Scale").Name, layer.Tensor("Shift").Name, layer.Has("Epsilon") ? layer.Real("Epsilon") : 1e-5);

    /// <summary>LayerNormalization over the last axis with the named scale and shift tensors.</summary>
    public static string Normalize(LayerExportContext c, string scope, string input, string scale, string shift, double epsilon)
        => c.Graph.Node("LayerNormalization", scope, new[] { input, c.Initializer(scale, c.Values(scale).Length), c.Initializer(shift, c.Values(shift).Length) },
            OnnxGraphBuilder.Attr("axis", -1L), OnnxGraphBuilder.Attr("epsilon", (float)epsilon));
}

/// <summary>GlobalAveragePooling1D: y[n, f] = mean over t of x[n, t, f] (ReduceMean over axis 1).</summary>
internal sealed class GlobalAveragePooling1DExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => c.Graph.Node("ReduceMean", layer.Name, new[] { input }, OnnxGraphBuilder.Ints("axes", 1L), OnnxGraphBuilder.Attr("keepdims", 0L));
}

/// <summary>
/// SimpleRnn, Lstm, Gru as ONNX's RNN, LSTM and GRU: x [N, t, f] transposed to time-major, PyTorch's gate blocks reordered to
/// ONNX's (LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h with linear_before_reset = 1, PyTorch's n), B = [b_ih, b_hh];
/// the output is Y (every step, back to [N, t, H]) or Y_h (the last step, [N, H]).
/// </summary>
internal sealed class RecurrentExporter : ILayerExporter
{
    /// <summary>The recurrent cell.</summary>
    public enum Cell { Rnn, Lstm, Gru }

    private readonly Cell _cell;

    public RecurrentExporter(Cell cell) => _cell = cell;

    /// <summary>For each ONNX gate block, the PyTorch block it takes.</summary>
    public static int[] OnnxBlocksFromTorch(Cell cell) => cell switch
    {
        Cell.Lstm => new[] { 0, 3, 1, 2 },
        Cell.Gru => new[] { 1, 0, 2 },
        _ => new[] { 0 },
    };

    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        OnnxGraphBuilder g = c.Graph;
        int hidden = layer.Int("Units"), features = layer.InputShape[1];
        int[] order = OnnxBlocksFromTorch(_cell);
        int gates = order.Length;
        float[] w = Reorder(c.Values(layer.Tensor("InputWeight")), order, hidden, features);
        float[] r = Reorder(c.Values(layer.Tensor("RecurrentWeight")), order, hidden, hidden);
        float[] bi = Reorder(c.Values(layer.Tensor("InputBias")), order, hidden, 1);
        float[] bh = Reorder(c.Values(layer.Tensor("RecurrentBias")), order, hidden, 1);
        var b = new float[2 * gates * hidden];
        bi.CopyTo(b, 0);
        bh.CopyTo(b, bi.Length);

        // x [N, t, f] → [t, N, f]: ONNX's recurrent operators are time-major.
        string timeMajor = g.Node("Transpose", layer.Name, new[] { input }, OnnxGraphBuilder.Ints("perm", 1, 0, 2));
        string op = _cell switch { Cell.Lstm => "LSTM", Cell.Gru => "GRU", _ => "RNN" };
        var attributes = new System.Collections.Generic.List<Schema.AttributeProto> { OnnxGraphBuilder.Attr("hidden_size", (long)hidden) };
        if (_cell == Cell.Gru) attributes.Add(OnnxGraphBuilder.Attr("linear_before_reset", 1L));
        string[] outputs = g.Nodes(op, layer.Name, new[]
        {
            timeMajor,
            g.Initializer(layer.Name + ".W", new long[] { 1, gates * hidden, features }, w),
            g.Initializer(layer.Name + ".R", new long[] { 1, gates * hidden, hidden }, r),
            g.Initializer(layer.Name + ".B", new long[] { 1, 2 * gates * hidden }, b),
        }, 2, attributes.ToArray());

        if (layer.Bool("ReturnSequences"))
        {
            // Y [t, 1, N, H] → [t, N, H] → [N, t, H].
            string squeezed = g.Node("Squeeze", layer.Name, new[] { outputs[0], g.Int64s(layer.Name + ".direction_axis", 1) });
            return g.Node("Transpose", layer.Name, new[] { squeezed }, OnnxGraphBuilder.Ints("perm", 1, 0, 2));
        }
        // Y_h [1, N, H] → [N, H].
        return g.Node("Squeeze", layer.Name, new[] { outputs[1], g.Int64s(layer.Name + ".direction_axis", 0) });
    }

    /// <summary>Rows [G·H, columns] in PyTorch's gate blocks, reordered so ONNX block j is PyTorch block order[j].</summary>
    public static float[] Reorder(float[] values, int[] order, int hidden, int columns)
    {
        int block = hidden * columns;
        if (values.Length != order.Length * block) throw new ArgumentException($"expected {order.Length}·{hidden}·{columns} values, got {values.Length}");
        var result = new float[values.Length];
        for (int j = 0; j < order.Length; j++) Array.Copy(values, order[j] * block, result, j * block, block);
        return result;
    }
}

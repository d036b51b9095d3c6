using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Onnx.Export;

/// <summary>
/// What a layer's exporter works with: the graph being built and the network's trained values, found by
/// tensor name in <c>ParameterTensors</c> and <c>BufferTensors</c>, converted to float32.
/// </summary>
internal sealed class LayerExportContext
{
    private readonly Dictionary<string, float[]> _values;

    public LayerExportContext(OnnxGraphBuilder graph, Dictionary<string, float[]> values)
    {
        Graph = graph;
        _values = values;
    }

    /// <summary>The graph being built.</summary>
    public OnnxGraphBuilder Graph { get; }

    /// <summary>The values of a tensor (by its full name), row-major in PyTorch's layout.</summary>
    public float[] Values(LayerTensor tensor) => Values(tensor.Name);

    /// <summary>The values of a tensor by its full name.</summary>
    public float[] Values(string name)
        => _values.TryGetValue(name, out float[]? v) ? v
           : throw new InvalidOperationException($"the network has no tensor '{name}' among its parameters and buffers");

    /// <summary>A tensor of the network as an initializer of its own shape and name.</summary>
    public string Initializer(LayerTensor tensor) => Graph.Initializer(tensor.Name, tensor.Shape.Select(d => (long)d).ToArray(), Values(tensor));

    /// <summary>A tensor of the network by full name, as an initializer of the given dimensions (same values, same order).</summary>
    public string Initializer(string name, params long[] dims) => Graph.Initializer(name, dims, Values(name));

    /// <summary>The transpose of a [rows, columns] matrix as a [columns, rows] initializer (MatMul's right operand).</summary>
    public string TransposedInitializer(string name, float[] matrix, int rows, int columns)
    {
        var t = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[c * rows + r] = matrix[r * columns + c];
        return Graph.Initializer(name, new long[] { columns, rows }, t);
    }
}

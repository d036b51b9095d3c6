using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Export;

/// <summary>
/// Builds one ONNX graph: nodes in topological order, named constant tensors (initializers), unique value
/// names. Every value the exporter writes is float32; integer constants (shapes, axes) are int64.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nodes;

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new() { Name = "netgen" };

    /// <summary>A value name not used yet, from a hint (<c>layers.0/z</c>, then <c>layers.0/z_1</c>, ...).</summary>
    public string Fresh(string hint)
    {
        string name = hint;
        for (int k = 1; !_names.Add(name); k++) name = hint + "_" + k;
        return name;
    }

    /// <summary>A float32 constant tensor of the given dimensions, stored little-endian in raw_data.</summary>
    public string Initializer(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length) throw new ArgumentException($"initializer '{name}': {values.Length} values for dimensions [{string.Join(", ", dims)}] ({count})");
        var tensor = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(LittleEndian(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, slice bounds).</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar constant (0-d).</summary>
    public string Scalar(string name, float value)
    {
        var tensor = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, string scope, IEnumerable<string> inputs, params AttributeProto[] attributes)
        => Nodes(opType, scope, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs (an empty name leaves an optional input out).</summary>
    public string[] Nodes(string opType, string scope, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{scope}/{opType}_{_nodes++}" };
        node.Input.AddRange(inputs);
        string[] names = Enumerable.Range(0, outputs).Select(i => Fresh($"{scope}/{opType}{(outputs > 1 ? "_" + i : "")}")).ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Attr(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A list-of-integers attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A string attribute.</summary>
    public static AttributeProto Attr(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A graph input or output: float32 (or int64 for token ids) with a symbolic batch dimension <c>N</c> first.</summary>
    public static ValueInfoProto Value(string name, TensorProto.Types.DataType type, IEnumerable<int> sampleDims, string batch)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        foreach (int d in sampleDims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static byte[] LittleEndian(ReadOnlySpan<float> values)
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
        return bytes;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Import;

/// <summary>A constant tensor of the graph (an initializer or a Constant node's value), decoded.</summary>
internal sealed record OnnxConstant(string Name, long[] Dims, float[] Floats, long[] Integers)
{
    public int Count => Floats.Length > 0 ? Floats.Length : Integers.Length;
}

/// <summary>Reads an ONNX graph's constants and nodes' attributes, with errors that name the node.</summary>
internal sealed class OnnxGraphReader
{
    private readonly Dictionary<string, OnnxConstant> _constants = new(StringComparer.Ordinal);

    public OnnxGraphReader(GraphProto graph)
    {
        foreach (TensorProto t in graph.Initializer) _constants[t.Name] = Decode(t);
        foreach (NodeProto n in graph.Node)
            if (n.OpType == "Constant" && n.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } value })
                _constants[n.Output[0]] = Decode(value) with { Name = n.Output[0] };
    }

    /// <summary>True when a value is a constant (an initializer or a Constant node's output).</summary>
    public bool IsConstant(string name) => _constants.ContainsKey(name);

    /// <summary>A constant input of a node.</summary>
    public OnnxConstant Constant(NodeProto node, int input)
    {
        if (input >= node.Input.Count || node.Input[input].Length == 0)
            throw new OnnxImportException(node, $"input {input} is missing");
        return _constants.TryGetValue(node.Input[input], out OnnxConstant? c) ? c
            : throw new OnnxImportException(node, $"input {input} ('{node.Input[input]}') must be a constant (an initializer) for NetGen to import it");
    }

    /// <summary>An optional constant input, or null when absent (empty name or fewer inputs).</summary>
    public OnnxConstant? OptionalConstant(NodeProto node, int input)
        => input < node.Input.Count && node.Input[input].Length > 0 ? Constant(node, input) : null;

    /// <summary>An integer attribute, or the default.</summary>
    public static long Int(NodeProto node, string name, long fallback)
        => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or the default.</summary>
    public static float Float(NodeProto node, string name, float fallback)
        => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>An integer-list attribute, or null.</summary>
    public static long[]? Ints(NodeProto node, string name)
        => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : null;

    /// <summary>A string attribute, or null.</summary>
    public static string? Text(NodeProto node, string name)
        => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : null;

    /// <summary>A string-list attribute, or null.</summary>
    public static string[]? Texts(NodeProto node, string name)
        => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Strings.Select(s => s.ToStringUtf8()).ToArray() : null;

    /// <summary>Decodes float32/float64/float16 values into floats, integer types into longs (typed fields or little-endian raw_data).</summary>
    private static OnnxConstant Decode(TensorProto t)
    {
        long[] dims = t.Dims.ToArray();
        byte[] raw = t.RawData.ToByteArray();
        if (!BitConverter.IsLittleEndian && raw.Length > 0) throw new NotSupportedException("reading ONNX raw_data on a big-endian machine is not supported");
        switch ((TensorProto.Types.DataType)t.DataType)
        {
            case TensorProto.Types.DataType.Float:
                return new(t.Name, dims, raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : t.FloatData.ToArray(), Array.Empty<long>());
            case TensorProto.Types.DataType.Double:
                return new(t.Name, dims, (raw.Length > 0 ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : t.DoubleData.ToArray()).Select(v => (float)v).ToArray(), Array.Empty<long>());
            case TensorProto.Types.DataType.Float16:
                return new(t.Name, dims, (raw.Length > 0 ? MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h) : t.Int32Data.Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b))).ToArray(), Array.Empty<long>());
            case TensorProto.Types.DataType.Int64:
                return new(t.Name, dims, Array.Empty<float>(), raw.Length > 0 ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : t.Int64Data.ToArray());
            case TensorProto.Types.DataType.Int32:
                return new(t.Name, dims, Array.Empty<float>(), (raw.Length > 0 ? MemoryMarshal.Cast<byte, int>(raw).ToArray() : t.Int32Data.ToArray()).Select(v => (long)v).ToArray());
            default:
                throw new NotSupportedException($"tensor '{t.Name}' has ONNX data type {t.DataType}; NetGen imports float32, float64, float16, int32 and int64 constants");
        }
    }
}

/// <summary>A model NetGen cannot import: the message names the node, its operator and what is wrong.</summary>
public sealed class OnnxImportException : Exception
{
    internal OnnxImportException(NodeProto node, string problem)
        : base($"node '{(node.Name.Length > 0 ? node.Name : string.Join(",", node.Output))}' ({node.OpType}): {problem}")
    {
        NodeName = node.Name;
        OpType = node.OpType;
    }

    internal OnnxImportException(string problem) : base(problem) { }

    /// <summary>The node at fault, when one is.</summary>
    public string? NodeName { get; }

    /// <summary>Its operator type, when a node is at fault.</summary>
    public string? OpType { get; }
}

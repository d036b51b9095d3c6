using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Writes an ONNX model (a protobuf <c>ModelProto</c>) for a dense network: for each layer a <c>Gemm</c>
/// (y = x·Wᵀ + b, W in PyTorch's [out, in] layout, so <c>transB = 1</c>) followed by its activation node.
/// A few dozen lines of protobuf wire format instead of a dependency on a protobuf library; field numbers are
/// those of onnx/onnx.proto3. The batch dimension is symbolic ("batch"), so one model serves every batch size.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>One Gemm layer and the activation after it ("Relu", "Tanh", "Softmax" or null for none).</summary>
    public sealed record Layer(float[] Weight, float[] Bias, int Outputs, int Inputs, string? Activation);

    public const string InputName = "input", OutputName = "output";

    public static byte[] DenseNetwork(IReadOnlyList<Layer> layers)
    {
        var graph = new ProtoWriter();
        string current = InputName;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer l = layers[i];
            string w = $"layers.{i}.weight", b = $"layers.{i}.bias";
            bool last = i == layers.Count - 1;
            string gemmOut = l.Activation is null && last ? OutputName : $"layers.{i}.linear";
            graph.Message(1, Node("Gemm", $"layers.{i}.gemm", [current, w, b], gemmOut, ("transB", 1))); // GraphProto.node
            current = gemmOut;
            if (l.Activation is not null)
            {
                string actOut = last ? OutputName : $"layers.{i}.out";
                graph.Message(1, l.Activation == "Softmax"
                    ? Node("Softmax", $"layers.{i}.softmax", [current], actOut, ("axis", 1))
                    : Node(l.Activation, $"layers.{i}.{l.Activation.ToLowerInvariant()}", [current], actOut));
                current = actOut;
            }
            graph.Message(5, Tensor(w, [l.Outputs, l.Inputs], l.Weight));                              // GraphProto.initializer
            graph.Message(5, Tensor(b, [l.Outputs], l.Bias));
        }
        graph.String(2, "netgen_benchmark");                                                            // GraphProto.name
        graph.Message(11, ValueInfo(InputName, layers[0].Inputs));                                      // GraphProto.input
        graph.Message(12, ValueInfo(OutputName, layers[^1].Outputs));                                   // GraphProto.output

        var opset = new ProtoWriter();
        opset.String(1, "");                                                                            // OperatorSetIdProto.domain (default)
        opset.Int(2, 13);                                                                               // OperatorSetIdProto.version

        var model = new ProtoWriter();
        model.Int(1, 8);                                                                                // ModelProto.ir_version
        model.String(2, "NetGen.Benchmarks");                                                           // ModelProto.producer_name
        model.Message(7, graph);                                                                        // ModelProto.graph
        model.Message(8, opset);                                                                        // ModelProto.opset_import
        return model.ToArray();
    }

    private static ProtoWriter Node(string opType, string name, string[] inputs, string output, params (string Name, long Value)[] intAttributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs) node.String(1, input);                                         // NodeProto.input
        node.String(2, output);                                                                         // NodeProto.output
        node.String(3, name);                                                                           // NodeProto.name
        node.String(4, opType);                                                                         // NodeProto.op_type
        foreach ((string attrName, long value) in intAttributes)
        {
            var attr = new ProtoWriter();
            attr.String(1, attrName);                                                                   // AttributeProto.name
            attr.Int(3, value);                                                                         // AttributeProto.i
            attr.Int(20, 2);                                                                            // AttributeProto.type = INT
            node.Message(5, attr);                                                                      // NodeProto.attribute
        }
        return node;
    }

    private static ProtoWriter Tensor(string name, long[] dims, float[] values)
    {
        var t = new ProtoWriter();
        foreach (long d in dims) t.Int(1, d);                                                           // TensorProto.dims
        t.Int(2, 1);                                                                                    // TensorProto.data_type = FLOAT
        t.String(8, name);                                                                              // TensorProto.name
        t.Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));                                             // TensorProto.raw_data (little-endian)
        return t;
    }

    /// <summary>A float tensor of shape [batch, features] with a symbolic batch dimension.</summary>
    private static ProtoWriter ValueInfo(string name, int features)
    {
        var batchDim = new ProtoWriter();
        batchDim.String(2, "batch");                                                                    // Dimension.dim_param
        var featureDim = new ProtoWriter();
        featureDim.Int(1, features);                                                                    // Dimension.dim_value
        var shape = new ProtoWriter();
        shape.Message(1, batchDim);                                                                     // TensorShapeProto.dim
        shape.Message(1, featureDim);
        var tensorType = new ProtoWriter();
        tensorType.Int(1, 1);                                                                           // TypeProto.Tensor.elem_type = FLOAT
        tensorType.Message(2, shape);                                                                   // TypeProto.Tensor.shape
        var type = new ProtoWriter();
        type.Message(1, tensorType);                                                                    // TypeProto.tensor_type
        var info = new ProtoWriter();
        info.String(1, name);                                                                           // ValueInfoProto.name
        info.Message(2, type);                                                                          // ValueInfoProto.type
        return info;
    }

    /// <summary>The protobuf wire format: varints (wire type 0) and length-delimited fields (wire type 2).</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _buffer = new();

        public void Int(int field, long value) { Varint((ulong)field << 3); Varint((ulong)value); }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message._buffer.GetBuffer().AsSpan(0, (int)message._buffer.Length));

        public void Bytes(int field, ReadOnlySpan<byte> value)
        {
            Varint(((ulong)field << 3) | 2);
            Varint((ulong)value.Length);
            _buffer.Write(value);
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void Varint(ulong v)
        {
            while (v >= 0x80) { _buffer.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _buffer.WriteByte((byte)v);
        }
    }
}

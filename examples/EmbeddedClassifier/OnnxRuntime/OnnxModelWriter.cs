using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Writes an ONNX model (a protobuf <c>ModelProto</c>, opset 13) layer by layer: <c>Gemm</c> (y = x·Wᵀ + b, W in
/// PyTorch's [out, in] layout, so <c>transB = 1</c>), <c>Conv</c> (W as <c>nn.Conv2d</c>'s [filters, channels, k, k]),
/// <c>MaxPool</c>, <c>Flatten</c> and the activations. A few dozen lines of protobuf wire format instead of a dependency
/// on a protobuf library; field numbers are those of onnx/onnx.proto3. The batch dimension is symbolic ("batch"), so
/// one model serves every batch size.
/// </summary>
public sealed class OnnxModelWriter
{
    /// <summary>The graph input's name; the output is the last node's, read it from the session (<c>OutputNames[0]</c>).</summary>
    public const string InputName = "input";

    private readonly ProtoWriter _graph = new();
    private readonly long[] _inputShape;
    private string _current = InputName;
    private int _nodes;

    /// <param name="inputShape">One sample's shape, without the batch dimension: [features] or [channels, height, width].</param>
    public OnnxModelWriter(params long[] inputShape) => _inputShape = inputShape;

    /// <summary>The dense network of the workloads: each layer a Gemm and its activation ("Relu", "Tanh", "Softmax" or null).</summary>
    public static byte[] DenseNetwork(IReadOnlyList<(float[] Weight, float[] Bias, int Outputs, int Inputs, string? Activation)> layers)
    {
        var writer = new OnnxModelWriter(layers[0].Inputs);
        foreach (var l in layers)
        {
            writer.Gemm(l.Weight, l.Bias, l.Outputs, l.Inputs);
            if (l.Activation is not null) writer.Activation(l.Activation);
        }
        return writer.ToModel(layers[^1].Outputs);
    }

    /// <summary>y = x·Wᵀ + b with W of shape [outputs, inputs].</summary>
    public OnnxModelWriter Gemm(float[] weight, float[] bias, int outputs, int inputs)
    {
        (string w, string b) = Parameters(weight, [outputs, inputs], bias);
        return Add("Gemm", [w, b], ("transB", [1]));
    }

    /// <summary>A 2-D convolution, stride 1, W of shape [filters, channels, k, k], zero padding on every side.</summary>
    public OnnxModelWriter Conv(float[] weight, float[] bias, int filters, int channels, int kernel, int padding)
    {
        (string w, string b) = Parameters(weight, [filters, channels, kernel, kernel], bias);
        return Add("Conv", [w, b], ("kernel_shape", [kernel, kernel]), ("pads", [padding, padding, padding, padding]), ("strides", [1, 1]));
    }

    /// <summary>Max pooling over non-overlapping size×size windows.</summary>
    public OnnxModelWriter MaxPool(int size) => Add("MaxPool", [], ("kernel_shape", [size, size]), ("strides", [size, size]));

    /// <summary>[batch, C, H, W] → [batch, C·H·W] in C, H, W order (as <c>nn.Flatten</c>).</summary>
    public OnnxModelWriter Flatten() => Add("Flatten", [], ("axis", [1]));

    /// <summary>"Relu", "Tanh" or "Softmax" (over the features, axis 1).</summary>
    public OnnxModelWriter Activation(string op) => op == "Softmax" ? Add(op, [], ("axis", [1])) : Add(op, []);

    /// <summary>The model bytes; the last node's output is the graph's output, of <paramref name="outputs"/> features per sample.</summary>
    public byte[] ToModel(int outputs)
    {
        _graph.String(2, "netgen_benchmark");                                                           // GraphProto.name
        _graph.Message(11, ValueInfo(InputName, _inputShape));                                          // GraphProto.input
        _graph.Message(12, ValueInfo(_current, [outputs]));                                             // GraphProto.output

        var opset = new ProtoWriter();
        opset.String(1, "");                                                                            // OperatorSetIdProto.domain (default)
        opset.Int(2, 13);                                                                               // OperatorSetIdProto.version

        var model = new ProtoWriter();
        model.Int(1, 8);                                                                                // ModelProto.ir_version
        model.String(2, "NetGen.Benchmarks");                                                           // ModelProto.producer_name
        model.Message(7, _graph);                                                                       // ModelProto.graph
        model.Message(8, opset);                                                                        // ModelProto.opset_import
        return model.ToArray();
    }

    /// <summary>Adds the layer's weight and bias as initializers; returns their names.</summary>
    private (string Weight, string Bias) Parameters(float[] weight, long[] weightShape, float[] bias)
    {
        string w = $"node{_nodes}.weight", b = $"node{_nodes}.bias";
        _graph.Message(5, Tensor(w, weightShape, weight));                                              // GraphProto.initializer
        _graph.Message(5, Tensor(b, [bias.Length], bias));
        return (w, b);
    }

    /// <summary>Appends a node that reads the previous node's output (and <paramref name="parameters"/>) and writes <c>t{n}</c>.</summary>
    private OnnxModelWriter Add(string opType, string[] parameters, params (string Name, long[] Values)[] attributes)
    {
        string output = $"t{_nodes}";
        _graph.Message(1, Node(opType, $"node{_nodes}.{opType.ToLowerInvariant()}", [_current, .. parameters], output, attributes)); // GraphProto.node
        _current = output;
        _nodes++;
        return this;
    }

    private static ProtoWriter Node(string opType, string name, string[] inputs, string output, (string Name, long[] Values)[] attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs) node.String(1, input);                                         // NodeProto.input
        node.String(2, output);                                                                         // NodeProto.output
        node.String(3, name);                                                                           // NodeProto.name
        node.String(4, opType);                                                                         // NodeProto.op_type
        foreach ((string attrName, long[] values) in attributes)
        {
            var attr = new ProtoWriter();
            attr.String(1, attrName);                                                                   // AttributeProto.name
            bool scalar = attrName is "axis" or "transB";
            if (scalar) attr.Int(3, values[0]);                                                         // AttributeProto.i
            else foreach (long v in values) attr.Int(8, v);                                             // AttributeProto.ints
            attr.Int(20, scalar ? 2 : 7);                                                               // AttributeProto.type = INT / INTS
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

    /// <summary>A float tensor of shape [batch, ..sampleShape] with a symbolic batch dimension.</summary>
    private static ProtoWriter ValueInfo(string name, long[] sampleShape)
    {
        var shape = new ProtoWriter();
        var batchDim = new ProtoWriter();
        batchDim.String(2, "batch");                                                                    // Dimension.dim_param
        shape.Message(1, batchDim);                                                                     // TensorShapeProto.dim
        foreach (long d in sampleShape)
        {
            var dim = new ProtoWriter();
            dim.Int(1, d);                                                                              // Dimension.dim_value
            shape.Message(1, dim);
        }
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

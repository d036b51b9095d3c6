using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Tests;

/// <summary>
/// ONNX models written the way PyTorch's exporter writes them (producer "pytorch", weights in raw_data under the
/// module's names, Gemm with transB = 1, recurrent weights in ONNX's gate order with B = [Wb, Rb], time-major
/// recurrent operators between Transposes, Squeeze axes as a Constant), built here with the protobuf classes
/// and not with NetGen's exporter: the "different producer" of the import tests.
/// </summary>
internal sealed class TorchStyleModel
{
    private readonly Random _random;

    public TorchStyleModel(int seed) => _random = new Random(seed);

    public GraphProto Graph { get; } = new() { Name = "main_graph" };

    /// <summary>Random values U(−0.7, 0.7).</summary>
    public float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(_random.NextDouble() * 1.4 - 0.7)).ToArray();

    /// <summary>A float initializer in raw_data, as torch.onnx writes parameters.</summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>A Constant node holding int64 values (torch.onnx writes Squeeze's axes this way).</summary>
    public string Int64Constant(string name, params long[] values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Node("Constant", name, Array.Empty<string>(), new[] { name }, new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = t });
        return name;
    }

    /// <summary>A node named as torch.onnx names them (<c>/fc1/Gemm</c>).</summary>
    public string Node(string op, string name, IEnumerable<string> inputs, IEnumerable<string>? outputs = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs ?? new[] { name + "_output_0" });
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    /// <summary>Gemm(x, W, b) with alpha = beta = 1, transB = 1: torch.onnx's nn.Linear on a 2-D input.</summary>
    public string Linear(string scope, string x, int input, int output, out float[] weight, out float[] bias)
    {
        weight = Random(output * input);
        bias = Random(output);
        return Node("Gemm", $"/{scope}/Gemm", new[] { x, Weight($"{scope}.weight", weight, output, input), Weight($"{scope}.bias", bias, output) }, null,
            Float("alpha", 1f), Float("beta", 1f), Int("transB", 1));
    }

    /// <summary>The finished model: one input with a symbolic batch, one output, opset 17.</summary>
    public ModelProto Model(string input, TensorProto.Types.DataType inputType, long[] inputDims, string output, long[] outputDims)
    {
        Graph.Input.Add(Value(input, inputType, inputDims));
        Graph.Output.Add(Value(output, TensorProto.Types.DataType.Float, outputDims));
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.5.1", Graph = Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch_size" });
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    /// <summary>Gate blocks of [G·H, columns] rows picked in the given order (block j of the result is block order[j]).</summary>
    public static float[] Blocks(float[] rows, int hidden, int columns, params int[] order)
        => order.SelectMany(g => rows.Skip(g * hidden * columns).Take(hidden * columns)).ToArray();
}

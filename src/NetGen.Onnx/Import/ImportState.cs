using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Import;

/// <summary>The importer's state while it walks the nodes: the layers so far and what each tracked value is.</summary>
internal sealed partial class ImportState
{
    public ImportState(OnnxGraphReader reader) => Reader = reader;

    public OnnxGraphReader Reader { get; }
    public List<ImportedLayer> Layers { get; } = new();
    public Dictionary<string, FlowValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads one node whose data input is <paramref name="x"/> and records what its outputs are.</summary>
    public void Apply(NodeProto node, FlowValue x)
    {
        if (x.Flow != Flow.Main && node.OpType is not ("LSTM" or "GRU" or "RNN" or "Squeeze" or "Transpose" or "Identity"))
            throw new OnnxImportException(node, $"reads a recurrent operator's intermediate ({x.Flow}); NetGen imports Y through Squeeze and Transpose, or Y_h through Squeeze");
        FlowValue result = node.OpType switch
        {
            "Gemm" => Gemm(node, x),
            "MatMul" => MatMul(node, x),
            "Add" => AddBias(node, x),
            "Conv" => Conv(node, x, transposed: false),
            "ConvTranspose" => Conv(node, x, transposed: true),
            "MaxPool" or "AveragePool" => Pool(node, x),
            "BatchNormalization" => BatchNorm(node, x),
            "Relu" => Activate(node, x, "ReLU"),
            "LeakyRelu" => Activate(node, x, "LeakyReLU", OnnxGraphReader.Float(node, "alpha", 0.01f), 0.01f),
            "Elu" => Activate(node, x, "ELU", OnnxGraphReader.Float(node, "alpha", 1f), 1f),
            "Sigmoid" => Activate(node, x, "Sigmoid"),
            "Tanh" => Activate(node, x, "Tanh"),
            "Gelu" => OnnxGraphReader.Text(node, "approximate") is null or "none" ? Activate(node, x, "GELU")
                      : throw new OnnxImportException(node, "the tanh approximation of GELU is not NetGen's GELU (the exact erf form)"),
            "PRelu" => Activate(node, x, "PReLU", slope: Reader.Constant(node, 1)),
            "Softmax" => Softmax(node, x),
            "Identity" or "Dropout" => x,
            "Flatten" => Flatten(node, x),
            "Reshape" => Reshape(node, x),
            "Gather" => Embedding(node, x),
            "ReduceMean" => ReduceMean(node, x),
            "LayerNormalization" => LayerNorm(node, x),
            "Transpose" => Transpose(node, x),
            "Squeeze" => Squeeze(node, x),
            "RNN" or "LSTM" or "GRU" => Recurrent(node, x),
            _ => throw new OnnxImportException(node, $"the operator {node.OpType} is not supported by NetGen's importer"),
        };
        if (result.Flow is Flow.AllSteps or Flow.LastStep) return; // the recurrent node recorded its outputs itself
        Values[node.Output[0]] = result;
    }

    /// <summary>Adds a layer and returns its output value.</summary>
    private FlowValue Add(ImportedLayer layer, string kind, params int[] dims)
    {
        Layers.Add(layer);
        return new FlowValue(Flow.Main, kind, dims, layer);
    }

    private static int Size(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    /// <summary>Gemm: y = α·A·op(B) + β·C with A the activation and B, C constants → Dense(units); W stored [units, features].</summary>
    private FlowValue Gemm(NodeProto node, FlowValue x)
    {
        if (x.Kind != "Vector" || node.Input[0] != FirstTracked(node)) throw new OnnxImportException(node, "NetGen imports Gemm with the activation [N, features] as its first input");
        if (OnnxGraphReader.Int(node, "transA", 0) != 0) throw new OnnxImportException(node, "transA = 1 is not supported");
        OnnxConstant b = Reader.Constant(node, 1);
        bool transB = OnnxGraphReader.Int(node, "transB", 0) != 0;
        float alpha = OnnxGraphReader.Float(node, "alpha", 1f), beta = OnnxGraphReader.Float(node, "beta", 1f);
        if (b.Dims.Length != 2) throw new OnnxImportException(node, $"B has {b.Dims.Length} dimensions; a weight matrix has 2");
        int units = (int)(transB ? b.Dims[0] : b.Dims[1]), features = (int)(transB ? b.Dims[1] : b.Dims[0]);
        if (features != x.Dims[0]) throw new OnnxImportException(node, $"B takes {features} features but its input has {x.Dims[0]}");
        // W[u, f] = α·B[u, f] (transB) or α·B[f, u].
        float[] w = transB ? b.Floats.Select(v => alpha * v).ToArray() : Transpose(b.Floats, features, units, alpha);
        float[] bias = Bias(node, Reader.OptionalConstant(node, 2), units, beta);
        return Add(Dense(units, w, features, bias), "Vector", units);
    }

    /// <summary>MatMul(x, B) with B [features, units] a constant → Dense(units) with W = Bᵀ; a following Add of a [units] constant is its bias.</summary>
    private FlowValue MatMul(NodeProto node, FlowValue x)
    {
        if (x.Kind is not ("Vector" or "Sequence") || node.Input[0] != FirstTracked(node)) throw new OnnxImportException(node, "NetGen imports MatMul of the activation [N, (t,) features] by a constant matrix");
        OnnxConstant b = Reader.Constant(node, 1);
        int features = x.Kind == "Sequence" ? x.Dims[1] : x.Dims[0];
        if (b.Dims.Length != 2 || b.Dims[0] != features) throw new OnnxImportException(node, $"B is [{string.Join(", ", b.Dims)}]; NetGen needs [{features}, units]");
        int units = (int)b.Dims[1];
        ImportedLayer dense = Dense(units, Transpose(b.Floats, features, units, 1f), features, new float[units]);
        dense.AwaitsBias = true;
        return Add(dense, x.Kind, x.Kind == "Sequence" ? new[] { x.Dims[0], units } : new[] { units });
    }

    /// <summary>Add of a constant right after a MatMul-made Dense: its bias.</summary>
    private FlowValue AddBias(NodeProto node, FlowValue x)
    {
        if (x.Producer is not { AwaitsBias: true } dense) throw new OnnxImportException(node, "NetGen imports Add only as the bias after a MatMul");
        int other = node.Input[0] == FirstTracked(node) ? 1 : 0;
        OnnxConstant bias = Reader.Constant(node, other);
        int units = dense.Tensor("bias").Values.Length;
        if (bias.Count != units) throw new OnnxImportException(node, $"the bias has {bias.Count} values; the MatMul before it has {units} units");
        bias.Floats.CopyTo(dense.Tensor("bias").Values, 0);
        dense.AwaitsBias = false;
        return x;
    }

    private static ImportedLayer Dense(int units, float[] weight, int features, float[] bias)
    {
        var layer = new ImportedLayer("Dense", units) { TakesActivation = true };
        layer.Tensors.Add(new ImportedTensor("weight", new[] { units, features }, weight));
        layer.Tensors.Add(new ImportedTensor("bias", new[] { units }, bias));
        return layer;
    }

    /// <summary>β·C as a bias of <paramref name="units"/> values (zeros when absent; a single value broadcast).</summary>
    private static float[] Bias(NodeProto node, OnnxConstant? c, int units, float beta)
    {
        if (c is null) return new float[units];
        if (c.Count == 1) return Enumerable.Repeat(beta * c.Floats[0], units).ToArray();
        if (c.Count != units) throw new OnnxImportException(node, $"the bias has {c.Count} values, expected {units}");
        return c.Floats.Select(v => beta * v).ToArray();
    }

    /// <summary>The [columns, rows] transpose of a [rows, columns] matrix, scaled.</summary>
    private static float[] Transpose(float[] m, int rows, int columns, float scale)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[c * rows + r] = scale * m[r * columns + c];
        return t;
    }

    private string FirstTracked(NodeProto node) => node.Input.First(i => Values.ContainsKey(i));
}

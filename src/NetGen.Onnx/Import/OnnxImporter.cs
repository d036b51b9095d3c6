using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Import;

/// <summary>What a value in the graph is to the importer: the network's activation, or a recurrent layer's intermediate.</summary>
internal enum Flow
{
    /// <summary>The network's activation between layers, batch first.</summary>
    Main,
    /// <summary>A sequence transposed to time-major [t, N, f], as ONNX's RNN, LSTM and GRU take it.</summary>
    TimeMajor,
    /// <summary>A recurrent node's Y [t, 1, N, H].</summary>
    AllSteps,
    /// <summary>Y with the direction axis squeezed: [t, N, H], time-major.</summary>
    AllStepsSqueezed,
    /// <summary>A recurrent node's Y_h [1, N, H].</summary>
    LastStep,
}

/// <summary>One tracked value: its flow, its sample kind and shape, and the layer whose direct output it is.</summary>
internal sealed record FlowValue(Flow Flow, string Kind, int[] Dims, ImportedLayer? Producer);

/// <summary>
/// Turns an ONNX model of supported operators (a chain of layers) into a NetGen declaration and its tensors in PyTorch's
/// names and layouts. Supported: Gemm, MatMul(+Add), Conv, ConvTranspose, MaxPool, AveragePool, BatchNormalization, Relu,
/// LeakyRelu, PRelu, Elu, Sigmoid, Tanh, Softmax (last axis), Gelu, Flatten, Reshape, Identity, Dropout, Gather (embedding),
/// RNN, LSTM, GRU (with the Transpose/Squeeze around them), ReduceMean over time, LayerNormalization. Anything else is an
/// <see cref="OnnxImportException"/> naming the node and its operator.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Imports an ONNX file.</summary>
    /// <exception cref="OnnxImportException">An unsupported operator or layout; the message names the node and its operator.</exception>
    public static ImportedNetwork Import(string path, string className, string? ns = null)
        => Import(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)), className, ns, Path.GetFileName(path));

    /// <summary>Imports an ONNX model.</summary>
    /// <exception cref="OnnxImportException">An unsupported operator or layout; the message names the node and its operator.</exception>
    public static ImportedNetwork Import(ModelProto model, string className, string? ns = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!System.Text.RegularExpressions.Regex.IsMatch(className ?? "", "^[A-Za-z_][A-Za-z0-9_]*$")) throw new ArgumentException($"'{className}' is not a C# class name", nameof(className));
        GraphProto graph = model.Graph ?? throw new OnnxImportException("the model has no graph");
        var state = new ImportState(new OnnxGraphReader(graph));

        // The input: the one graph input that is not an initializer; its dimensions after the batch give [Input(...)].
        ValueInfoProto[] inputs = graph.Input.Where(i => !state.Reader.IsConstant(i.Name)).ToArray();
        if (inputs.Length != 1) throw new OnnxImportException($"the graph has {inputs.Length} inputs; NetGen imports networks with one input");
        ValueInfoProto input = inputs[0];
        int[] inputDims = SampleDims(input);
        int elementType = input.Type?.TensorType?.ElemType ?? 1;
        bool tokens = elementType is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32;
        string inputKind = tokens ? "Tokens" : inputDims.Length switch
        {
            1 => "Vector",
            2 => "Sequence",
            3 => "Image",
            _ => throw new OnnxImportException($"input '{input.Name}' has {inputDims.Length} dimensions after the batch; NetGen takes 1 (features), 2 (time steps, features) or 3 (channels, height, width)"),
        };
        if (tokens && inputDims.Length != 1) throw new OnnxImportException($"input '{input.Name}' holds integer ids of {inputDims.Length} dimensions after the batch; token inputs are [N, timeSteps]");
        state.Values[input.Name] = new FlowValue(Flow.Main, inputKind, inputDims, null);

        // Each node continues the chain from the one tracked value it reads.
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType == "Constant") continue;
            string[] tracked = node.Input.Where(i => state.Values.ContainsKey(i)).Distinct().ToArray();
            if (tracked.Length == 0) throw new OnnxImportException(node, "computes from constants only; fold constants when exporting (do_constant_folding)");
            if (tracked.Length > 1) throw new OnnxImportException(node, "joins two values; NetGen imports a chain of layers (no branches)");
            if (node.Domain.Length > 0 && node.Domain != "ai.onnx") throw new OnnxImportException(node, $"is in the operator domain '{node.Domain}'; NetGen imports standard ONNX operators only");
            state.Apply(node, state.Values[tracked[0]]);
        }

        // The output: the graph's one output must be the chain's last value.
        if (graph.Output.Count != 1) throw new OnnxImportException($"the graph has {graph.Output.Count} outputs; NetGen imports networks with one output");
        if (!state.Values.TryGetValue(graph.Output[0].Name, out FlowValue? output) || output.Flow != Flow.Main)
            throw new OnnxImportException($"the graph output '{graph.Output[0].Name}' is not the end of the chain of layers NetGen read");
        if (state.Layers.Count == 0) throw new OnnxImportException("the graph has no layers NetGen can import");

        string? loss = state.Layers[^1].Activation == "Softmax" ? "CrossEntropy" : null;
        string producer = model.ProducerName.Length > 0 ? $"{model.ProducerName} {model.ProducerVersion}".Trim() : "an unnamed producer";
        return new ImportedNetwork(className!, ns, inputKind, inputDims, state.Layers.Select(l => l.Render()).ToArray(),
            state.Layers.Select((l, i) => l.Tensors.Select(t => new ImportedTensor($"layers.{i}.{t.Name}", t.Shape, t.Values))).SelectMany(t => t).ToArray(),
            loss, source ?? "an ONNX model", producer);
    }

    /// <summary>A graph value's dimensions after the batch (each must be a number).</summary>
    private static int[] SampleDims(ValueInfoProto value)
    {
        TensorShapeProto? shape = value.Type?.TensorType?.Shape;
        if (shape is null || shape.Dim.Count < 2) throw new OnnxImportException($"input '{value.Name}' has no shape [N, ...] with a batch dimension");
        return shape.Dim.Skip(1).Select((d, i) => d.HasDimValue && d.DimValue > 0 ? (int)d.DimValue
            : throw new OnnxImportException($"input '{value.Name}': dimension {i + 1} is not a fixed number ('{d.DimParam}'); only the batch may be symbolic")).ToArray();
    }
}

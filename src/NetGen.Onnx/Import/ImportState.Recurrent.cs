using System;
using System.Linq;
using NetGen.Onnx.Export;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Import;

internal sealed partial class ImportState
{
    /// <summary>
    /// Transpose [1, 0, 2]: a batch-first sequence becomes time-major (the input of RNN/LSTM/GRU), and a recurrent
    /// node's squeezed Y [t, N, H] becomes the batch-first sequence of a layer with ReturnSequences.
    /// </summary>
    private FlowValue Transpose(NodeProto node, FlowValue x)
    {
        long[]? perm = OnnxGraphReader.Ints(node, "perm");
        if (perm is not null && perm.SequenceEqual(new long[] { 1, 0, 2 }))
        {
            if (x.Flow == Flow.Main && x.Kind == "Sequence") return x with { Flow = Flow.TimeMajor, Producer = null };
            if (x.Flow == Flow.AllStepsSqueezed)
            {
                ReturnSequences(x.Producer!);
                return new FlowValue(Flow.Main, "Sequence", x.Dims, null);
            }
        }
        throw new OnnxImportException(node, $"NetGen imports Transpose only as perm [1, 0, 2] around recurrent operators (this one is [{string.Join(", ", perm ?? Array.Empty<long>())}] on a {x.Flow} value)");
    }

    /// <summary>Squeeze of the direction axis: Y [t, 1, N, H] → [t, N, H]; Y_h [1, N, H] → [N, H] (the last step's output).</summary>
    private FlowValue Squeeze(NodeProto node, FlowValue x)
    {
        long[]? axes = OnnxGraphReader.Ints(node, "axes") ?? Reader.OptionalConstant(node, 1)?.Integers;
        if (x.Flow == Flow.AllSteps && axes is { Length: 1 } && axes[0] == 1) return x with { Flow = Flow.AllStepsSqueezed };
        if (x.Flow == Flow.LastStep && axes is { Length: 1 } && axes[0] == 0) return new FlowValue(Flow.Main, "Vector", new[] { x.Dims[1] }, null);
        throw new OnnxImportException(node, "NetGen imports Squeeze only of a recurrent operator's direction axis (Y: axes [1]; Y_h: axes [0])");
    }

    private static void ReturnSequences(ImportedLayer recurrent)
    {
        if (!recurrent.Named.Any(kv => kv.Key == "ReturnSequences")) recurrent.SetNamed("ReturnSequences", true);
    }

    /// <summary>
    /// RNN, LSTM, GRU (one forward direction, default activations, zero initial state) over a time-major sequence →
    /// SimpleRnn, Lstm, Gru with PyTorch's gate order (LSTM i,o,f,c → i,f,g,o; GRU z,r,h → r,z,n; GRU needs
    /// linear_before_reset = 1) and B = [Wb, Rb] split into bias_ih_l0 and bias_hh_l0.
    /// </summary>
    private FlowValue Recurrent(NodeProto node, FlowValue x)
    {
        if (x.Flow == Flow.AllStepsSqueezed) ReturnSequences(x.Producer!);
        else if (x.Flow != Flow.TimeMajor) throw new OnnxImportException(node, "takes a time-major sequence: Transpose(perm = [1, 0, 2]) of the batch-first input, or the squeezed Y of the recurrent layer before it");
        if (node.Input[0] != FirstTracked(node)) throw new OnnxImportException(node, "X must be the sequence");
        if ((OnnxGraphReader.Text(node, "direction") ?? "forward") != "forward") throw new OnnxImportException(node, "only the forward direction is supported");
        if (OnnxGraphReader.Int(node, "layout", 0) != 0) throw new OnnxImportException(node, "layout = 1 is not supported; export time-major");
        if (node.Attribute.Any(a => a.Name == "clip")) throw new OnnxImportException(node, "clip is not supported");
        if (OnnxGraphReader.Int(node, "input_forget", 0) != 0) throw new OnnxImportException(node, "input_forget is not supported");
        for (int i = 4; i < node.Input.Count; i++)
            if (node.Input[i].Length > 0 && !(i is 5 or 6 && Reader.OptionalConstant(node, i) is { } s && s.Floats.All(v => v == 0)))
                throw new OnnxImportException(node, $"input {i} (sequence_lens, a non-zero initial state or peepholes) is not supported");

        var (cell, attribute, defaults) = node.OpType switch
        {
            "LSTM" => (RecurrentExporter.Cell.Lstm, "Lstm", new[] { "Sigmoid", "Tanh", "Tanh" }),
            "GRU" => (RecurrentExporter.Cell.Gru, "Gru", new[] { "Sigmoid", "Tanh" }),
            _ => (RecurrentExporter.Cell.Rnn, "SimpleRnn", new[] { "Tanh" }),
        };
        if (OnnxGraphReader.Texts(node, "activations") is { Length: > 0 } activations && !activations.SequenceEqual(defaults, StringComparer.OrdinalIgnoreCase))
            throw new OnnxImportException(node, $"activations [{string.Join(", ", activations)}] are not the defaults [{string.Join(", ", defaults)}]");
        if (cell == RecurrentExporter.Cell.Gru && OnnxGraphReader.Int(node, "linear_before_reset", 0) != 1)
            throw new OnnxImportException(node, "linear_before_reset = 0; NetGen's GRU is PyTorch's (n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), linear_before_reset = 1)");

        int[] order = RecurrentExporter.OnnxBlocksFromTorch(cell);
        int gates = order.Length, features = x.Dims[1];
        int hidden = (int)OnnxGraphReader.Int(node, "hidden_size", Reader.Constant(node, 2).Dims[^1]);
        OnnxConstant w = Reader.Constant(node, 1), r = Reader.Constant(node, 2);
        if (w.Count != gates * hidden * features) throw new OnnxImportException(node, $"W has {w.Count} values; expected [1, {gates * hidden}, {features}]");
        if (r.Count != gates * hidden * hidden) throw new OnnxImportException(node, $"R has {r.Count} values; expected [1, {gates * hidden}, {hidden}]");
        float[] b = Reader.OptionalConstant(node, 3)?.Floats ?? new float[2 * gates * hidden];
        if (b.Length != 2 * gates * hidden) throw new OnnxImportException(node, $"B has {b.Length} values; expected [1, {2 * gates * hidden}]");

        // ONNX block j holds PyTorch block order[j]: put each back.
        int[] inverse = new int[gates];
        for (int j = 0; j < gates; j++) inverse[order[j]] = j;
        var layer = new ImportedLayer(attribute, hidden);
        layer.Tensors.Add(new ImportedTensor("weight_ih_l0", new[] { gates * hidden, features }, RecurrentExporter.Reorder(w.Floats, inverse, hidden, features)));
        layer.Tensors.Add(new ImportedTensor("weight_hh_l0", new[] { gates * hidden, hidden }, RecurrentExporter.Reorder(r.Floats, inverse, hidden, hidden)));
        layer.Tensors.Add(new ImportedTensor("bias_ih_l0", new[] { gates * hidden }, RecurrentExporter.Reorder(b[..(gates * hidden)], inverse, hidden, 1)));
        layer.Tensors.Add(new ImportedTensor("bias_hh_l0", new[] { gates * hidden }, RecurrentExporter.Reorder(b[(gates * hidden)..], inverse, hidden, 1)));
        Layers.Add(layer);

        int steps = x.Dims[0];
        if (node.Output.Count > 0 && node.Output[0].Length > 0) Values[node.Output[0]] = new FlowValue(Flow.AllSteps, "Sequence", new[] { steps, hidden }, layer);
        if (node.Output.Count > 1 && node.Output[1].Length > 0) Values[node.Output[1]] = new FlowValue(Flow.LastStep, "Vector", new[] { 1, hidden }, layer);
        return new FlowValue(Flow.AllSteps, "Sequence", new[] { steps, hidden }, layer);
    }
}

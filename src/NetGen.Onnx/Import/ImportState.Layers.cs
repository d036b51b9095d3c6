using System;
using System.Linq;
using NetGen.Onnx.Schema;

namespace NetGen.Onnx.Import;

internal sealed partial class ImportState
{
    /// <summary>Conv / ConvTranspose with square kernels, equal strides, symmetric padding, no dilation or groups → Conv2D / ConvTranspose2D.</summary>
    private FlowValue Conv(NodeProto node, FlowValue x, bool transposed)
    {
        if (x.Kind != "Image") throw new OnnxImportException(node, "takes [N, channels, height, width]");
        OnnxConstant w = Reader.Constant(node, 1);
        if (w.Dims.Length != 4 || w.Dims[2] != w.Dims[3]) throw new OnnxImportException(node, $"the kernel is [{string.Join(", ", w.Dims)}]; NetGen takes square 2-D kernels");
        if (OnnxGraphReader.Int(node, "group", 1) != 1) throw new OnnxImportException(node, "grouped convolutions are not supported");
        if (OnnxGraphReader.Ints(node, "dilations") is { } d && d.Any(v => v != 1)) throw new OnnxImportException(node, "dilated convolutions are not supported");
        if (OnnxGraphReader.Text(node, "auto_pad") is { } pad && pad != "NOTSET") throw new OnnxImportException(node, $"auto_pad = {pad} is not supported; export with explicit pads");
        int k = (int)w.Dims[2];
        int stride = Uniform(node, OnnxGraphReader.Ints(node, "strides"), 1, "strides");
        int padding = Uniform(node, OnnxGraphReader.Ints(node, "pads"), 0, "pads");
        int channels = x.Dims[0], height = x.Dims[1], width = x.Dims[2];
        int filters = (int)(transposed ? w.Dims[1] : w.Dims[0]);
        if ((transposed ? w.Dims[0] : w.Dims[1]) != channels) throw new OnnxImportException(node, $"the kernel takes {(transposed ? w.Dims[0] : w.Dims[1])} channels; the input has {channels}");
        var layer = new ImportedLayer(transposed ? "ConvTranspose2D" : "Conv2D", filters, k) { TakesActivation = true };
        int outH, outW;
        if (transposed)
        {
            int outputPadding = Uniform(node, OnnxGraphReader.Ints(node, "output_padding"), 0, "output_padding");
            if (OnnxGraphReader.Ints(node, "output_shape") is not null) throw new OnnxImportException(node, "output_shape is not supported; export with pads and output_padding");
            outH = (height - 1) * stride - 2 * padding + k + outputPadding;
            outW = (width - 1) * stride - 2 * padding + k + outputPadding;
            if (stride != 1) layer.SetNamed("Stride", stride);
            if (padding != 0) layer.SetNamed("Padding", padding);
            if (outputPadding != 0) layer.SetNamed("OutputPadding", outputPadding);
        }
        else
        {
            outH = (height + 2 * padding - k) / stride + 1;
            outW = (width + 2 * padding - k) / stride + 1;
            if (stride != 1) layer.SetNamed("Stride", stride);
            if (padding != 0) layer.SetNamed("Padding", padding);
        }
        layer.Tensors.Add(new ImportedTensor("weight", w.Dims.Select(v => (int)v).ToArray(), w.Floats));
        layer.Tensors.Add(new ImportedTensor("bias", new[] { filters }, Reader.OptionalConstant(node, 2)?.Floats ?? new float[filters]));
        return Add(layer, "Image", filters, outH, outW);
    }

    /// <summary>MaxPool / AveragePool: square window, equal strides, no padding, floor → MaxPool2D / AvgPool2D.</summary>
    private FlowValue Pool(NodeProto node, FlowValue x)
    {
        if (x.Kind != "Image") throw new OnnxImportException(node, "takes [N, channels, height, width]");
        int size = Uniform(node, OnnxGraphReader.Ints(node, "kernel_shape"), -1, "kernel_shape");
        int stride = Uniform(node, OnnxGraphReader.Ints(node, "strides"), 1, "strides");
        if (Uniform(node, OnnxGraphReader.Ints(node, "pads"), 0, "pads") != 0) throw new OnnxImportException(node, "padded pooling is not supported");
        if (OnnxGraphReader.Int(node, "ceil_mode", 0) != 0) throw new OnnxImportException(node, "ceil_mode = 1 is not supported (NetGen drops partial windows)");
        if (OnnxGraphReader.Ints(node, "dilations") is { } d && d.Any(v => v != 1)) throw new OnnxImportException(node, "dilated pooling is not supported");
        var layer = new ImportedLayer(node.OpType == "MaxPool" ? "MaxPool2D" : "AvgPool2D", size);
        if (stride != size) layer.SetNamed("Stride", stride);
        return Add(layer, "Image", x.Dims[0], (x.Dims[1] - size) / stride + 1, (x.Dims[2] - size) / stride + 1);
    }

    /// <summary>BatchNormalization (inference, ε = 1e-5) → BatchNorm with its running statistics.</summary>
    private FlowValue BatchNorm(NodeProto node, FlowValue x)
    {
        if (x.Kind is not ("Vector" or "Image")) throw new OnnxImportException(node, "NetGen's BatchNorm takes vectors or images");
        float epsilon = OnnxGraphReader.Float(node, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - 1e-5f) > 1e-9f) throw new OnnxImportException(node, $"epsilon is {epsilon}; NetGen's BatchNorm uses 1e-5");
        int channels = x.Dims[0];
        var layer = new ImportedLayer("BatchNorm");
        string[] names = { "weight", "bias", "running_mean", "running_var" };
        for (int i = 0; i < 4; i++)
        {
            OnnxConstant c = Reader.Constant(node, i + 1);
            if (c.Count != channels) throw new OnnxImportException(node, $"{names[i]} has {c.Count} values; the input has {channels} channels");
            layer.Tensors.Add(new ImportedTensor(names[i], new[] { channels }, c.Floats));
        }
        return Add(layer, x.Kind, x.Dims);
    }

    /// <summary>
    /// An activation: fused into the layer that produced its input when that layer takes one (Dense, Conv2D, ConvTranspose2D)
    /// and has none yet, else an [Activation] layer of its own.
    /// </summary>
    private FlowValue Activate(NodeProto node, FlowValue x, string function, float alpha = 0, float defaultAlpha = 0, OnnxConstant? slope = null)
    {
        bool fuse = x.Producer is { TakesActivation: true, Activation: null };
        ImportedLayer layer = fuse ? x.Producer! : new ImportedLayer("Activation");
        layer.Activation = function;
        layer.TakesActivation = false;
        if (alpha != defaultAlpha) layer.SetNamed("Alpha", alpha);
        if (slope is not null)
        {
            // PReLU's slopes: one per channel on images (ONNX [C, 1, 1]), per feature on vectors; one shared value is repeated.
            int count = fuse || x.Kind == "Image" ? x.Dims[0] : Size(x.Dims);
            if (fuse && x.Kind == "Sequence") count = x.Dims[1];
            if (slope.Count != count && slope.Count != 1) throw new OnnxImportException(node, $"the slope has {slope.Count} values; NetGen's PReLU here has {count}");
            float[] values = slope.Count == count ? slope.Floats : Enumerable.Repeat(slope.Floats[0], count).ToArray();
            layer.Tensors.Add(new ImportedTensor(fuse ? "prelu.weight" : "weight", new[] { count }, values));
        }
        if (fuse) return x with { Producer = null };
        return Add(layer, x.Kind, x.Dims) with { Producer = null };
    }

    /// <summary>Softmax over the last axis of a vector or of each step of a sequence.</summary>
    private FlowValue Softmax(NodeProto node, FlowValue x)
    {
        long axis = OnnxGraphReader.Int(node, "axis", -1);
        int rank = x.Dims.Length + 1;
        if (x.Kind == "Image" || (axis != -1 && axis != rank - 1)) throw new OnnxImportException(node, $"Softmax over axis {axis} of a {x.Kind.ToLowerInvariant()}; NetGen's Softmax is over the last axis of a vector or sequence");
        return Activate(node, x, "Softmax");
    }

    /// <summary>Flatten (axis 1): [N, ...] → [N, product]; on a vector it changes nothing.</summary>
    private FlowValue Flatten(NodeProto node, FlowValue x)
    {
        if (OnnxGraphReader.Int(node, "axis", 1) != 1) throw new OnnxImportException(node, "NetGen imports Flatten with axis = 1");
        return x.Kind == "Vector" ? x with { Producer = null } : Add(new ImportedLayer("Flatten"), "Vector", Size(x.Dims));
    }

    /// <summary>Reshape by a constant shape: [N, product] is Flatten, [N, c, h, w] from a vector is Reshape(c, h, w).</summary>
    private FlowValue Reshape(NodeProto node, FlowValue x)
    {
        long[] shape = Reader.Constant(node, 1).Integers;
        int size = Size(x.Dims);
        long[] rest = shape.Skip(1).ToArray();
        if (shape.Length == 0 || shape[0] is not (-1 or 0) && rest.Any(v => v <= 0)) throw new OnnxImportException(node, $"the shape [{string.Join(", ", shape)}] does not keep the batch first");
        if (rest.Length == 1 && (rest[0] == size || rest[0] == -1)) return x.Kind == "Vector" ? x with { Producer = null } : Add(new ImportedLayer("Flatten"), "Vector", size);
        if (rest.Length == 3 && x.Kind == "Vector" && rest.All(v => v > 0) && rest.Aggregate(1L, (a, b) => a * b) == size)
            return Add(new ImportedLayer("Reshape", (int)rest[0], (int)rest[1], (int)rest[2]), "Image", (int)rest[0], (int)rest[1], (int)rest[2]);
        throw new OnnxImportException(node, $"Reshape of a {x.Kind.ToLowerInvariant()} [{string.Join(", ", x.Dims)}] to [{string.Join(", ", shape)}] is not a Flatten or a vector-to-image Reshape");
    }

    /// <summary>Gather(table, ids) on axis 0 with the table a constant [vocabulary, dimensions] → Embedding.</summary>
    private FlowValue Embedding(NodeProto node, FlowValue x)
    {
        if (x.Kind != "Tokens" || node.Input.Count < 2 || node.Input[1] != FirstTracked(node) || OnnxGraphReader.Int(node, "axis", 0) != 0)
            throw new OnnxImportException(node, "NetGen imports Gather only as an embedding: Gather(table, token ids) on axis 0");
        OnnxConstant table = Reader.Constant(node, 0);
        if (table.Dims.Length != 2) throw new OnnxImportException(node, "the embedding table must be [vocabulary, dimensions]");
        var layer = new ImportedLayer("Embedding", (int)table.Dims[0], (int)table.Dims[1]);
        layer.Tensors.Add(new ImportedTensor("weight", new[] { (int)table.Dims[0], (int)table.Dims[1] }, table.Floats));
        return Add(layer, "Sequence", x.Dims[0], (int)table.Dims[1]);
    }

    /// <summary>ReduceMean over the time axis of a sequence, dropping it → GlobalAveragePooling1D.</summary>
    private FlowValue ReduceMean(NodeProto node, FlowValue x)
    {
        long[]? axes = OnnxGraphReader.Ints(node, "axes") ?? Reader.OptionalConstant(node, 1)?.Integers;
        if (x.Kind != "Sequence" || axes is not { Length: 1 } || axes[0] != 1 || OnnxGraphReader.Int(node, "keepdims", 1) != 0)
            throw new OnnxImportException(node, "NetGen imports ReduceMean only over the time axis of a sequence (axes = [1], keepdims = 0)");
        return Add(new ImportedLayer("GlobalAveragePooling1D"), "Vector", x.Dims[1]);
    }

    /// <summary>LayerNormalization over the last axis, ε = 1e-5 → LayerNorm.</summary>
    private FlowValue LayerNorm(NodeProto node, FlowValue x)
    {
        long axis = OnnxGraphReader.Int(node, "axis", -1);
        if (axis != -1 && axis != x.Dims.Length) throw new OnnxImportException(node, "NetGen's LayerNorm normalises the last axis only");
        float epsilon = OnnxGraphReader.Float(node, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - 1e-5f) > 1e-9f) throw new OnnxImportException(node, $"epsilon is {epsilon}; NetGen's LayerNorm uses 1e-5");
        int features = x.Dims[^1];
        var layer = new ImportedLayer("LayerNorm");
        layer.Tensors.Add(new ImportedTensor("weight", new[] { features }, Reader.Constant(node, 1).Floats));
        layer.Tensors.Add(new ImportedTensor("bias", new[] { features }, Reader.OptionalConstant(node, 2)?.Floats ?? new float[features]));
        return Add(layer, x.Kind, x.Dims);
    }

    /// <summary>The one value of a per-axis attribute list whose entries must all be equal (absent: the default).</summary>
    private static int Uniform(NodeProto node, long[]? values, int fallback, string name)
    {
        if (values is null || values.Length == 0)
            return fallback >= 0 ? fallback : throw new OnnxImportException(node, $"{name} is missing");
        if (values.Any(v => v != values[0])) throw new OnnxImportException(node, $"{name} [{string.Join(", ", values)}] differ per axis; NetGen takes square kernels, equal strides and symmetric padding");
        return (int)values[0];
    }
}

namespace NetGen.Onnx.Export;

/// <summary>Conv2D: z = W ⊛ x + b (nn.Conv2d: W [filters, channels, k, k], symmetric zero padding), then the activation.</summary>
internal sealed class Conv2DExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        long k = layer.Int("KernelSize"), s = layer.Int("Stride"), p = layer.Int("Padding");
        string z = c.Graph.Node("Conv", layer.Name, new[] { input, c.Initializer(layer.Tensor("Weight")), c.Initializer(layer.Tensor("Bias")) },
            OnnxGraphBuilder.Ints("kernel_shape", k, k), OnnxGraphBuilder.Ints("strides", s, s), OnnxGraphBuilder.Ints("pads", p, p, p, p));
        return ActivationExport.Apply(c, layer, z, layer.Text("Activation"), layer.Real("ActivationAlpha"), layer.OutputKind, layer.OutputShape);
    }
}

/// <summary>
/// ConvTranspose2D (nn.ConvTranspose2d: W [channels, filters, k, k]): out = (in − 1)·stride − 2·padding + k + outputPadding,
/// then the activation.
/// </summary>
internal sealed class ConvTranspose2DExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        long k = layer.Int("KernelSize"), s = layer.Int("Stride"), p = layer.Int("Padding"), o = layer.Int("OutputPadding");
        string z = c.Graph.Node("ConvTranspose", layer.Name, new[] { input, c.Initializer(layer.Tensor("Weight")), c.Initializer(layer.Tensor("Bias")) },
            OnnxGraphBuilder.Ints("kernel_shape", k, k), OnnxGraphBuilder.Ints("strides", s, s), OnnxGraphBuilder.Ints("pads", p, p, p, p),
            OnnxGraphBuilder.Ints("output_padding", o, o));
        return ActivationExport.Apply(c, layer, z, layer.Text("Activation"), layer.Real("ActivationAlpha"), layer.OutputKind, layer.OutputShape);
    }
}

/// <summary>MaxPool2D / AvgPool2D: a size×size window moved by stride, no padding, partial windows dropped (floor).</summary>
internal sealed class Pool2DExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        long size = layer.Int("Size"), stride = layer.Int("Stride");
        return c.Graph.Node(layer.Bool("IsMax") ? "MaxPool" : "AveragePool", layer.Name, new[] { input },
            OnnxGraphBuilder.Ints("kernel_shape", size, size), OnnxGraphBuilder.Ints("strides", stride, stride));
    }
}

/// <summary>BatchNorm in inference: y = (x − running_mean)/√(running_var + ε)·γ + β per channel (per feature on vectors), ε = 1e-5.</summary>
internal sealed class BatchNormExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => c.Graph.Node("BatchNormalization", layer.Name,
            new[] { input, c.Initializer(layer.Tensor("Weight")), c.Initializer(layer.Tensor("Bias")), c.Initializer(layer.Tensor("RunningMean")), c.Initializer(layer.Tensor("RunningVar")) },
            OnnxGraphBuilder.Attr("epsilon", 1e-5f));
}

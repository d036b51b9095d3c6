using System;
using System.Linq;

namespace NetGen.Onnx.Export;

/// <summary>The activation functions as ONNX nodes, each computing what the runtime's operator computes.</summary>
internal static class ActivationExport
{
    /// <summary>y = f(z) for NetGen's activation <paramref name="kind"/> (its name), on a value of the given kind and sample shape.</summary>
    public static string Apply(LayerExportContext c, LayerArchitecture layer, string z, string kind, double alpha, string shapeKind, int[] sampleShape)
    {
        OnnxGraphBuilder g = c.Graph;
        string scope = layer.Name;
        switch (kind)
        {
            case "Linear":
                return z;
            case "ReLU":
                return g.Node("Relu", scope, new[] { z });
            case "LeakyReLU":
                // y = z for z ≥ 0, α·z otherwise.
                return g.Node("LeakyRelu", scope, new[] { z }, OnnxGraphBuilder.Attr("alpha", (float)alpha));
            case "ELU":
                // y = z for z > 0, α·(eᶻ − 1) otherwise.
                return g.Node("Elu", scope, new[] { z }, OnnxGraphBuilder.Attr("alpha", (float)alpha));
            case "PReLU":
                return g.Node("PRelu", scope, new[] { z, Slopes(c, layer, shapeKind, sampleShape) });
            case "Sigmoid":
                return g.Node("Sigmoid", scope, new[] { z });
            case "Tanh":
                return g.Node("Tanh", scope, new[] { z });
            case "Swish":
                // y = z·σ(z).
                return g.Node("Mul", scope, new[] { z, g.Node("Sigmoid", scope, new[] { z }) });
            case "GELU":
                return Gelu(g, scope, z);
            case "BinaryStep":
                // y = 1 where z ≥ 0, else 0.
                string positive = g.Node("GreaterOrEqual", scope, new[] { z, g.Scalar(scope + ".zero", 0f) });
                return g.Node("Cast", scope, new[] { positive }, OnnxGraphBuilder.Attr("to", 1L));
            case "Softmax":
                return Softmax(g, scope, z, shapeKind, sampleShape);
            default:
                throw new NotSupportedException($"layer '{layer.Name}' ({layer.Kind}): the activation {kind} has no ONNX export");
        }
    }

    /// <summary>The exact GELU: y = z·Φ(z) = 0.5·z·(1 + erf(z/√2)) (opset 17 has no Gelu operator; Erf is exact).</summary>
    public static string Gelu(OnnxGraphBuilder g, string scope, string z)
    {
        string scaled = g.Node("Mul", scope, new[] { z, g.Scalar(scope + ".inv_sqrt2", (float)(1 / Math.Sqrt(2))) });
        string erf = g.Node("Erf", scope, new[] { scaled });
        string onePlus = g.Node("Add", scope, new[] { erf, g.Scalar(scope + ".one", 1f) });
        string half = g.Node("Mul", scope, new[] { z, g.Scalar(scope + ".half", 0.5f) });
        return g.Node("Mul", scope, new[] { half, onePlus });
    }

    /// <summary>
    /// Softmax per row: over the features of a vector, over the last dimension at every step of a sequence, over the whole
    /// sample of an image (flattened, then reshaped back), as the runtime's Softmax over a layer's rows.
    /// </summary>
    private static string Softmax(OnnxGraphBuilder g, string scope, string z, string shapeKind, int[] sampleShape)
    {
        if (shapeKind != "Image") return g.Node("Softmax", scope, new[] { z }, OnnxGraphBuilder.Attr("axis", -1L));
        string flat = g.Node("Flatten", scope, new[] { z }, OnnxGraphBuilder.Attr("axis", 1L));
        string soft = g.Node("Softmax", scope, new[] { flat }, OnnxGraphBuilder.Attr("axis", -1L));
        return g.Node("Reshape", scope, new[] { soft, g.Int64s(scope + ".image_shape", new long[] { -1 }.Concat(sampleShape.Select(d => (long)d)).ToArray()) });
    }

    /// <summary>
    /// PReLU's slopes shaped to broadcast against [N, ...]: per channel [C, 1, 1] on images, per feature on vectors and
    /// at every step of a sequence, or the whole sample's shape when there is one slope per value.
    /// </summary>
    private static string Slopes(LayerExportContext c, LayerArchitecture layer, string shapeKind, int[] sampleShape)
    {
        LayerTensor slope = layer.TryTensor("Slope") ?? throw new InvalidOperationException($"layer '{layer.Name}' ({layer.Kind}) has PReLU but no slope tensor");
        int count = slope.Shape.Aggregate(1, (a, b) => a * b);
        long[] dims =
            shapeKind == "Image" && count == sampleShape[0] ? new long[] { count, 1, 1 }
            : count == sampleShape[^1] ? new long[] { count }
            : sampleShape.Select(d => (long)d).ToArray();
        return c.Initializer(slope.Name, dims);
    }
}

using System;

namespace NetGen.Onnx.Export;

/// <summary>MultiHeadAttention (self-attention, nn.MultiheadAttention's layout) decomposed into MatMul, Softmax, Reshape and Transpose.</summary>
internal sealed class MultiHeadAttentionExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
        => Attend(c, layer.Name, layer.Name + ".", input, layer.InputShape[0], layer.InputShape[1], layer.Int("Heads"), layer.Bool("Causal"));

    /// <summary>
    /// y = concat over heads of softmax(q·kᵀ/√d + mask)·v, then ·W_outᵀ + b_out, with q, k, v = x·W_{q,k,v}ᵀ + b (the thirds of
    /// <c>{prefix}in_proj_weight</c>), d = E/heads, mask −∞ above the diagonal when causal.
    /// </summary>
    public static string Attend(LayerExportContext c, string scope, string prefix, string x, int steps, int width, int heads, bool causal)
    {
        OnnxGraphBuilder g = c.Graph;
        int d = width / heads;
        float[] inWeight = c.Values(prefix + "in_proj_weight"), inBias = c.Values(prefix + "in_proj_bias");

        // q, k, v = x·Wᵀ + b for each third of the in-projection: [N, t, E] each.
        string Project(int third, string name)
        {
            float[] w = inWeight.AsSpan(third * width * width, width * width).ToArray();
            float[] b = inBias.AsSpan(third * width, width).ToArray();
            string product = g.Node("MatMul", scope, new[] { x, c.TransposedInitializer($"{prefix}{name}_proj.T", w, width, width) });
            return g.Node("Add", scope, new[] { product, g.Initializer($"{prefix}{name}_proj_bias", new long[] { width }, b) });
        }
        string q = Project(0, "q"), k = Project(1, "k"), v = Project(2, "v");

        // Split the heads: [N, t, E] → [N, t, h, d] → [N, h, t, d] (keys → [N, h, d, t]).
        string headShape = g.Int64s(scope + ".head_shape", 0, 0, heads, d);
        string Heads(string value, params long[] perm) => g.Node("Transpose", scope, new[] { g.Node("Reshape", scope, new[] { value, headShape }) }, OnnxGraphBuilder.Ints("perm", perm));
        string qh = Heads(q, 0, 2, 1, 3), kt = Heads(k, 0, 2, 3, 1), vh = Heads(v, 0, 2, 1, 3);

        // scores = q·kᵀ/√d (+ the causal mask: −∞ where the key comes after the query), softmax over the keys.
        string scores = g.Node("Mul", scope, new[] { g.Node("MatMul", scope, new[] { qh, kt }), g.Scalar(scope + ".scale", (float)(1 / Math.Sqrt(d))) });
        if (causal)
        {
            var mask = new float[steps * steps];
            for (int i = 0; i < steps; i++)
                for (int j = i + 1; j < steps; j++) mask[i * steps + j] = float.NegativeInfinity;
            scores = g.Node("Add", scope, new[] { scores, g.Initializer(scope + ".causal_mask", new long[] { steps, steps }, mask) });
        }
        string weights = g.Node("Softmax", scope, new[] { scores }, OnnxGraphBuilder.Attr("axis", -1L));

        // Each head's weighted values, heads joined back: [N, h, t, d] → [N, t, h, d] → [N, t, E]; then the out-projection.
        string context = g.Node("MatMul", scope, new[] { weights, vh });
        string joined = g.Node("Reshape", scope, new[]
        {
            g.Node("Transpose", scope, new[] { context }, OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3)),
            g.Int64s(scope + ".joined_shape", 0, 0, width),
        });
        string projected = g.Node("MatMul", scope, new[] { joined, c.TransposedInitializer(prefix + "out_proj.weight.T", c.Values(prefix + "out_proj.weight"), width, width) });
        return g.Node("Add", scope, new[] { projected, c.Initializer(prefix + "out_proj.bias", width) });
    }
}

/// <summary>
/// TransformerBlock (nn.TransformerEncoderLayer, norm_first, GELU): h = x + Attn(LN₁(x)); y = h + W₂·GELU(W₁·LN₂(h) + b₁) + b₂.
/// </summary>
internal sealed class TransformerBlockExporter : ILayerExporter
{
    public string Export(LayerExportContext c, LayerArchitecture layer, string input)
    {
        OnnxGraphBuilder g = c.Graph;
        string p = layer.Name + ".";
        int steps = layer.InputShape[0], width = layer.InputShape[1], feedForward = layer.Int("FeedForward");

        // h = x + Attn(LN₁(x)).
        string normed1 = LayerNormExporter.Normalize(c, layer.Name, input, p + "norm1.weight", p + "norm1.bias", 1e-5);
        string attended = MultiHeadAttentionExporter.Attend(c, layer.Name, p + "self_attn.", normed1, steps, width, layer.Int("Heads"), layer.Bool("Causal"));
        string h = g.Node("Add", layer.Name, new[] { input, attended });

        // y = h + GELU(LN₂(h)·W₁ᵀ + b₁)·W₂ᵀ + b₂.
        string normed2 = LayerNormExporter.Normalize(c, layer.Name, h, p + "norm2.weight", p + "norm2.bias", 1e-5);
        string hidden = g.Node("Add", layer.Name, new[]
        {
            g.Node("MatMul", layer.Name, new[] { normed2, c.TransposedInitializer(p + "linear1.weight.T", c.Values(p + "linear1.weight"), feedForward, width) }),
            c.Initializer(p + "linear1.bias", feedForward),
        });
        string activated = ActivationExport.Gelu(g, layer.Name, hidden);
        string back = g.Node("Add", layer.Name, new[]
        {
            g.Node("MatMul", layer.Name, new[] { activated, c.TransposedInitializer(p + "linear2.weight.T", c.Values(p + "linear2.weight"), width, feedForward) }),
            c.Initializer(p + "linear2.bias", width),
        });
        return g.Node("Add", layer.Name, new[] { h, back });
    }
}

using System;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>
/// Plain scalar references written from PyTorch's documented formulas (nn.MultiheadAttention,
/// nn.TransformerEncoderLayer with norm_first=True, activation="gelu"), in double.
/// </summary>
internal static class AttentionReference
{
    /// <summary>y = x·Wᵀ + b over rows.</summary>
    public static double[] Linear(double[] x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, int rows, int inputs, int units)
    {
        var y = new double[rows * units];
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < units; u++)
            {
                double s = b[u];
                for (int i = 0; i < inputs; i++) s += x[r * inputs + i] * w[u * inputs + i];
                y[r * units + u] = s;
            }
        return y;
    }

    /// <summary>
    /// MultiheadAttention(x, x, x, attn_mask = causal ? triu(−∞, 1) : None)[0]: q, k, v = x·W_inᵀ + b_in split in
    /// three; per head softmax(q·kᵀ/√d + mask)·v; heads concatenated; then out_proj.
    /// </summary>
    public static double[] MultiHeadAttention(double[] x, ReadOnlySpan<double> inW, ReadOnlySpan<double> inB, ReadOnlySpan<double> outW, ReadOnlySpan<double> outB,
        int batch, int time, int width, int heads, bool causal, out double[] probabilities)
    {
        int d = width / heads;
        double[] qkv = Linear(x, inW, inB, batch * time, width, 3 * width);
        var context = new double[batch * time * width];
        probabilities = new double[batch * heads * time * time];
        var scores = new double[time];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < time; t++)
                {
                    double max = double.NegativeInfinity;
                    for (int s = 0; s < time; s++)
                    {
                        double dot = 0;
                        for (int j = 0; j < d; j++) dot += qkv[(b * time + t) * 3 * width + h * d + j] * qkv[(b * time + s) * 3 * width + width + h * d + j];
                        scores[s] = causal && s > t ? double.NegativeInfinity : dot / Math.Sqrt(d);
                        max = Math.Max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s < time; s++) sum += Math.Exp(scores[s] - max);
                    for (int s = 0; s < time; s++)
                    {
                        double p = Math.Exp(scores[s] - max) / sum;
                        probabilities[((b * heads + h) * time + t) * time + s] = p;
                        for (int j = 0; j < d; j++) context[(b * time + t) * width + h * d + j] += p * qkv[(b * time + s) * 3 * width + 2 * width + h * d + j];
                    }
                }
        return Linear(context, outW, outB, batch * time, width, width);
    }

    /// <summary>nn.LayerNorm over rows.</summary>
    public static double[] LayerNorm(double[] x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, int rows, int width)
    {
        var y = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < width; i++) mean += x[r * width + i];
            mean /= width;
            for (int i = 0; i < width; i++) variance += (x[r * width + i] - mean) * (x[r * width + i] - mean);
            variance /= width;
            for (int i = 0; i < width; i++) y[r * width + i] = (x[r * width + i] - mean) / Math.Sqrt(variance + 1e-5) * w[i] + b[i];
        }
        return y;
    }

    /// <summary>norm_first encoder layer: r = x + SA(LN₁(x)); y = r + linear2(gelu(linear1(LN₂(r)))).</summary>
    public static double[] TransformerBlock(double[] x, ReadOnlySpan<double> p, int batch, int time, int width, int heads, int feedForward, bool causal)
    {
        var l = new TransformerBlockLayout(width, feedForward);
        int rows = batch * time;
        double[] a = LayerNorm(x, l.Norm1Weight(p), l.Norm1Bias(p), rows, width);
        double[] attention = MultiHeadAttention(a, l.InProjWeight(p), l.InProjBias(p), l.OutProjWeight(p), l.OutProjBias(p), batch, time, width, heads, causal, out _);
        var r = new double[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = x[i] + attention[i];
        double[] n = LayerNorm(r, l.Norm2Weight(p), l.Norm2Bias(p), rows, width);
        double[] z = Linear(n, l.Linear1Weight(p), l.Linear1Bias(p), rows, width, feedForward);
        for (int i = 0; i < z.Length; i++) z[i] = z[i] * 0.5 * (1 + ErrorFunctionTests.ReferenceErf(z[i] / Math.Sqrt(2)));
        double[] f = Linear(z, l.Linear2Weight(p), l.Linear2Bias(p), rows, feedForward, width);
        for (int i = 0; i < f.Length; i++) f[i] += r[i];
        return f;
    }
}

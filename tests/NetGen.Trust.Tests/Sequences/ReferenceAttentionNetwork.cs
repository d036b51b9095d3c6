using System;
using System.Linq;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>
/// The reference interpreter of an <see cref="AttentionCase"/>: a plain double-precision forward pass of one sample at a
/// time, written from PyTorch's definitions (DESIGN.md §6) — <c>nn.Embedding</c>, a learned positional table added to
/// the input, <c>nn.MultiheadAttention</c> (packed in_proj [q|k|v], heads as consecutive slices of width d = E/H,
/// softmax(q·kᵀ/√d) with the future masked when causal, out_proj), <c>nn.TransformerEncoderLayer(norm_first=True,
/// activation="gelu")</c>, <c>nn.LayerNorm</c> (biased variance, ε 1e-5), <c>nn.Linear</c> per step, the mean over
/// time, exact-erf GELU. Nothing is shared with <c>NetGen.Numerics</c> or the emitters; gradients are central
/// differences of this forward pass. <see cref="Forward"/> takes any prefix length, so a causal stack's last row of a
/// prefix is what Step must give.
/// </summary>
public sealed class ReferenceAttentionNetwork
{
    private readonly AttentionCase _spec;
    private readonly (int Steps, int Width)[] _shapes;
    private readonly int[] _offset;

    public double[] Parameters { get; }

    public ReferenceAttentionNetwork(AttentionCase spec, double[] parameters)
    {
        if (parameters.Length != spec.ParameterCount) throw new ArgumentException($"expected {spec.ParameterCount} parameters, got {parameters.Length}");
        _spec = spec;
        _shapes = spec.Shapes();
        _offset = Enumerable.Repeat(-1, spec.Layers.Count).ToArray();
        foreach (var (_, offset, _, layer) in spec.ExpectedTensors()) if (_offset[layer] < 0) _offset[layer] = offset;
        Parameters = (double[])parameters.Clone();
    }

    /// <summary>
    /// One sample forward over its first <paramref name="length"/> steps (all of them by default): inputs are ids (as
    /// doubles) for token input, else [t, f] row-major; returns the output, [length, width] or one vector.
    /// </summary>
    public double[] Forward(ReadOnlySpan<double> input, int length = -1)
    {
        int steps = length < 0 ? _spec.TimeSteps : length;
        double[][] x = new double[steps][];
        for (int t = 0; t < steps; t++) x[t] = _spec.TokenInput ? new[] { input[t] } : input.Slice(t * _spec.Features, _spec.Features).ToArray();
        for (int l = 0; l < _spec.Layers.Count; l++)
        {
            AttentionLayer layer = _spec.Layers[l];
            int e = _shapes[l].Width, p = _offset[l];
            x = layer.Kind switch
            {
                // e_t = W[id_t, :].
                AttentionLayerKind.Embedding => x.Select(id => Parameters.AsSpan(p + (int)id[0] * layer.Units, layer.Units).ToArray()).ToArray(),
                // y_t = x_t + P[t, :].
                AttentionLayerKind.PositionalEmbedding => x.Select((v, t) => v.Select((xv, i) => xv + Parameters[p + t * e + i]).ToArray()).ToArray(),
                AttentionLayerKind.Dense => x.Select(v => Activate(layer.Activation, Linear(p, p + layer.Units * e, v, layer.Units, e))).ToArray(),
                AttentionLayerKind.Activation => x.Select(v => Activate(layer.Activation, v)).ToArray(),
                AttentionLayerKind.LayerNorm => x.Select(v => Normalize(p, p + e, v)).ToArray(),
                AttentionLayerKind.MultiHeadAttention => Attention(p, x, e, layer.Heads, layer.Causal),
                AttentionLayerKind.TransformerBlock => Block(p, x, e, layer),
                // The mean over time.
                AttentionLayerKind.GlobalAveragePooling1D => new[] { Enumerable.Range(0, e).Select(i => x.Sum(v => v[i]) / x.Length).ToArray() },
                _ => x, // Dropout(0): the identity
            };
        }
        return x.SelectMany(v => v).ToArray();
    }

    /// <summary>The mean loss of a batch: MSE over every output, or CE over (sample, step) against class ids.</summary>
    public double Loss(double[] inputs, double[] targets, int[] labels, int batch)
    {
        double total = 0;
        int n = _spec.OutputSize, width = _spec.Output.Width, perSample = _spec.LabelsPerSample;
        for (int b = 0; b < batch; b++)
        {
            double[] y = Forward(inputs.AsSpan(b * _spec.InputSize, _spec.InputSize));
            if (_spec.Loss == NetGen.Loss.MeanSquaredError)
                // (y − t)² averaged over batch × outputs.
                for (int i = 0; i < n; i++) total += (y[i] - targets[b * n + i]) * (y[i] - targets[b * n + i]) / ((double)batch * n);
            else
                // −log p[label] of each step's softmax, averaged over batch × steps.
                for (int s = 0; s < perSample; s++) total -= Math.Log(y[s * width + labels[b * perSample + s]]) / ((double)batch * perSample);
        }
        return total;
    }

    /// <summary>d(loss)/d(parameters) by central differences, h = 1e-5 (error ~1e-10 for these smooth functions).</summary>
    public double[] Gradient(double[] inputs, double[] targets, int[] labels, int batch)
    {
        const double H = 1e-5;
        var g = new double[Parameters.Length];
        for (int i = 0; i < g.Length; i++)
        {
            double keep = Parameters[i];
            Parameters[i] = keep + H;
            double up = Loss(inputs, targets, labels, batch);
            Parameters[i] = keep - H;
            double down = Loss(inputs, targets, labels, batch);
            Parameters[i] = keep;
            g[i] = (up - down) / (2 * H);
        }
        return g;
    }

    /// <summary>z[r] = Σᵢ W[r,i]·v[i] + b[r], W at <paramref name="w"/> row-major [rows, inputs], b at <paramref name="b"/>.</summary>
    private double[] Linear(int w, int b, double[] v, int rows, int inputs)
    {
        var z = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = Parameters[b + r];
            for (int i = 0; i < inputs; i++) sum += Parameters[w + r * inputs + i] * v[i];
            z[r] = sum;
        }
        return z;
    }

    /// <summary>LayerNorm of one row: μ = mean(v), σ² = mean((v − μ)²) (biased); y = (v − μ)/√(σ² + 1e-5)·γ + β.</summary>
    private double[] Normalize(int gamma, int beta, double[] v)
    {
        int e = v.Length;
        double mean = v.Sum() / e, variance = v.Sum(a => (a - mean) * (a - mean)) / e;
        double scale = 1 / Math.Sqrt(variance + 1e-5);
        return v.Select((a, i) => (a - mean) * scale * Parameters[gamma + i] + Parameters[beta + i]).ToArray();
    }

    /// <summary>
    /// nn.MultiheadAttention (self-attention, tensors at <paramref name="p"/>: in_proj_weight [3E, E], in_proj_bias [3E],
    /// out_proj.weight [E, E], out_proj.bias [E]): [q|k|v]_t = W_in·x_t + b_in; for head h (features h·d..h·d+d−1)
    /// s_ij = q_i·k_j/√d for j ≤ i when causal (every j otherwise), a_i = softmax_j(s_ij), c_i = Σ_j a_ij·v_j;
    /// y_t = W_out·c_t + b_out.
    /// </summary>
    private double[][] Attention(int p, double[][] x, int e, int heads, bool causal)
    {
        int steps = x.Length, d = e / heads;
        int inW = p, inB = inW + 3 * e * e, outW = inB + 3 * e, outB = outW + e * e;
        double[][] qkv = x.Select(v => Linear(inW, inB, v, 3 * e, e)).ToArray();
        double scale = 1 / Math.Sqrt(d);
        var context = new double[steps][];
        for (int i = 0; i < steps; i++) context[i] = new double[e];
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < steps; i++)
            {
                int visible = causal ? i + 1 : steps;
                var scores = new double[visible];
                for (int j = 0; j < visible; j++)
                {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += qkv[i][h * d + c] * qkv[j][e + h * d + c];
                    scores[j] = dot * scale;
                }
                // softmax with the row's maximum subtracted
                double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < visible; j++)
                {
                    double a = Math.Exp(scores[j] - max) / sum;
                    for (int c = 0; c < d; c++) context[i][h * d + c] += a * qkv[j][2 * e + h * d + c];
                }
            }
        }
        return context.Select(c => Linear(outW, outB, c, e, e)).ToArray();
    }

    /// <summary>
    /// nn.TransformerEncoderLayer(norm_first=True, activation="gelu", dropout 0), tensors in state_dict order
    /// (self_attn.*, linear1 [F, E] + [F], linear2 [E, F] + [E], norm1, norm2):
    /// h = x + SelfAttn(LN₁(x)); y = h + W₂·GELU(W₁·LN₂(h) + b₁) + b₂.
    /// </summary>
    private double[][] Block(int p, double[][] x, int e, AttentionLayer layer)
    {
        int f = layer.Units;
        int l1W = p + 4 * e * e + 4 * e, l1B = l1W + f * e, l2W = l1B + f, l2B = l2W + e * f;
        int n1W = l2B + e, n1B = n1W + e, n2W = n1B + e, n2B = n2W + e;
        double[][] attended = Attention(p, x.Select(v => Normalize(n1W, n1B, v)).ToArray(), e, layer.Heads, layer.Causal);
        double[][] h = x.Select((v, t) => v.Select((a, i) => a + attended[t][i]).ToArray()).ToArray();
        return h.Select(v =>
        {
            double[] inner = Linear(l1W, l1B, Normalize(n2W, n2B, v), f, e).Select(Gelu).ToArray();
            double[] fed = Linear(l2W, l2B, inner, e, f);
            return v.Select((a, i) => a + fed[i]).ToArray();
        }).ToArray();
    }

    private static double[] Activate(Activation kind, double[] z)
    {
        if (kind == Activation.Softmax)
        {
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            return z.Select(v => Math.Exp(v - max) / sum).ToArray();
        }
        return z.Select(v => kind switch
        {
            Activation.Linear => v,
            Activation.Tanh => Math.Tanh(v),
            Activation.Sigmoid => Sigmoid(v),
            Activation.Swish => v * Sigmoid(v),
            Activation.GELU => Gelu(v),
            _ => throw new NotSupportedException(kind.ToString()),
        }).ToArray();
    }

    /// <summary>GELU, exact form: z·Φ(z) = z·(1 + erf(z/√2))/2.</summary>
    public static double Gelu(double z) => 0.5 * z * (1 + Erf(z / Math.Sqrt(2)));

    /// <summary>
    /// erf by its Maclaurin series 2/√π·Σ (−1)ⁿ x²ⁿ⁺¹/(n!(2n+1)) for |x| &lt; 2.5 (terms stay below ~30, so rounding stays
    /// near 1e-14), else 1 − erfc with erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) evaluated from
    /// 300 levels deep.
    /// </summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        double result;
        if (a < 2.5)
        {
            double term = a, sum = a, x2 = a * a;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double fraction = a;
            for (int k = 300; k >= 1; k--) fraction = a + k / 2.0 / fraction;
            result = 1 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction;
        }
        return x < 0 ? -result : result;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Reference;

/// <summary>What one evaluation of a batch gives.</summary>
public sealed class Evaluation
{
    public double Loss;
    /// <summary>The network's outputs, [batch, outputs] row-major.</summary>
    public double[] Outputs = Array.Empty<double>();
    /// <summary>d(loss)/d(parameters) in the parameter layout (null when not asked for).</summary>
    public double[]? Gradient;
    /// <summary>
    /// Per element, the size of the terms rounding works on (Σ|terms| through every sum and product,
    /// cancellations included): what a correct implementation's rounding error is proportional to.
    /// </summary>
    public double[] OutputMagnitude = Array.Empty<double>();
    public double[]? GradientMagnitude;
    public double LossMagnitude;
    /// <summary>Set when a value sat (within the margin) on a kink: ReLU-family at 0, a Maxout tie, a BinaryStep at 0, a clamped log.</summary>
    public string? Kink;
    /// <summary>Set when any output, the loss or a gradient is NaN or infinite.</summary>
    public bool NonFinite;
}

/// <summary>
/// The reference interpreter: a slow, plain double-precision evaluator of a <see cref="CaseSpec"/>.
/// One sample at a time, one loop per formula, written from DESIGN.md and PyTorch's definitions;
/// nothing is shared with <c>NetGen.Numerics</c> or the emitters.
/// </summary>
public sealed partial class ReferenceNetwork
{
    private readonly CaseSpec _spec;
    private readonly int[] _sizes;
    private readonly int[][] _shapes;
    private readonly int[] _weightOffset, _biasOffset, _slopeOffset;

    /// <summary>The parameters, in DESIGN.md's layout.</summary>
    public double[] Parameters { get; }

    /// <summary>
    /// How close to a kink (relative to the magnitude of the terms that made the value) counts as on it.
    /// 0 flags only exact hits; float cases use a wide margin, because float rounding can move a value
    /// across the kink and change which branch the generated code takes.
    /// </summary>
    public double KinkMargin { get; set; }

    /// <summary>
    /// Losses on probabilities (BCE without a Sigmoid, CE without a Softmax) divide by y and 1 − y, which
    /// a float cannot hold to the tolerance once they are tiny (1 − y for y = 1 − 3e-8 rounds to 0 and
    /// hits the clamp). Below this floor the draw counts as a kink: 1e-3 for float, 1e-6 for double.
    /// </summary>
    public double ProbabilityFloor { get; set; } = 1e-11;

    public ReferenceNetwork(CaseSpec spec, double[] parameters)
    {
        _spec = spec;
        _sizes = spec.Sizes();
        _shapes = spec.Shapes();
        int n = spec.Layers.Count;
        _weightOffset = Enumerable.Repeat(-1, n).ToArray();
        _biasOffset = Enumerable.Repeat(-1, n).ToArray();
        _slopeOffset = Enumerable.Repeat(-1, n).ToArray();
        foreach (var (name, offset, _, layer) in spec.ExpectedTensors())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) _biasOffset[layer] = offset;
            else if (name.EndsWith(".prelu.weight", StringComparison.Ordinal) || spec.Layers[layer].Kind == LayerKind.Activation) _slopeOffset[layer] = offset;
            else _weightOffset[layer] = offset;
        }
        if (parameters.Length != spec.ParameterCount) throw new ArgumentException($"expected {spec.ParameterCount} parameters, got {parameters.Length}");
        Parameters = (double[])parameters.Clone();
    }

    /// <summary>True when the loss is computed from the last layer's logits (Softmax+CE, Sigmoid+BCE).</summary>
    public bool FusedLoss =>
        (_spec.Loss == Loss.CrossEntropy && _spec.OutputActivation == Activation.Softmax)
        || (_spec.Loss == Loss.BinaryCrossEntropy && _spec.OutputActivation == Activation.Sigmoid);

    // What the forward pass of one sample keeps for the backward pass.
    private sealed class Trace
    {
        public double[][] In = null!;     // layer input
        public double[][] Z = null!;      // pre-activation (affine output; the input for Activation layers)
        public double[][] ZScale = null!; // magnitude of the terms that made each z
        public double[][] Out = null!;    // layer output
        public double[][] InScale = null!;  // magnitude of the terms behind each input value
        public double[][] OutScale = null!; // ... and behind each output value
        public int[][] Winner = null!;    // Maxout: the winning piece per unit
    }

    /// <summary>Runs a batch forward (dropout inactive), computes the loss and, when asked, the gradients.</summary>
    public Evaluation Evaluate(double[] inputs, double[] targets, int batch, bool gradients)
    {
        int nIn = _sizes[0], nOut = _sizes[^1];
        var result = new Evaluation
        {
            Outputs = new double[batch * nOut], OutputMagnitude = new double[batch * nOut],
            Gradient = gradients ? new double[Parameters.Length] : null, GradientMagnitude = gradients ? new double[Parameters.Length] : null,
        };
        for (int b = 0; b < batch; b++)
        {
            double[] x = inputs.AsSpan(b * nIn, nIn).ToArray();
            double[] t = targets.AsSpan(b * nOut, nOut).ToArray();
            Trace trace = Forward(x, result);
            double[] y = trace.Out[^1];
            y.CopyTo(result.Outputs, b * nOut);
            trace.OutScale[^1].CopyTo(result.OutputMagnitude, b * nOut);
            var (dOut, dOutMag) = SampleLoss(trace, t, batch, result, out bool fused);
            if (gradients) Backward(trace, dOut, dOutMag, fused, result.Gradient!, result.GradientMagnitude!);
        }
        result.NonFinite = !double.IsFinite(result.Loss) || result.Outputs.Any(v => !double.IsFinite(v))
            || (result.Gradient?.Any(v => !double.IsFinite(v)) ?? false);
        return result;
    }

    /// <summary>The outputs of one sample.</summary>
    public double[] Predict(double[] x) => Forward(x, new Evaluation()).Out[^1];

    private Trace Forward(double[] x, Evaluation result)
    {
        int n = _spec.Layers.Count;
        var tr = new Trace { In = new double[n][], Z = new double[n][], ZScale = new double[n][], Out = new double[n][], Winner = new int[n][], InScale = new double[n][], OutScale = new double[n][] };
        double[] a = x;
        double[] scale = x.Select(Math.Abs).ToArray();
        for (int l = 0; l < n; l++)
        {
            LayerDesc layer = _spec.Layers[l];
            tr.In[l] = a;
            tr.InScale[l] = scale;
            int inputs = _sizes[l];
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                {
                    var (z, zs) = Affine(l, a, scale, layer.Units, inputs);
                    tr.Z[l] = z; tr.ZScale[l] = zs;
                    a = Activate(l, layer, z, zs, result);
                    break;
                }
                case LayerKind.Activation:
                    tr.Z[l] = a; tr.ZScale[l] = scale;
                    a = Activate(l, layer, a, scale, result);
                    break;
                case LayerKind.Maxout:
                {
                    int units = layer.Units, pieces = layer.Pieces;
                    var (z, zs) = Affine(l, a, scale, units * pieces, inputs);
                    tr.Z[l] = z; tr.ZScale[l] = zs;
                    var outv = new double[units];
                    var win = new int[units];
                    var outScale = new double[units];
                    for (int u = 0; u < units; u++)
                    {
                        int best = 0;
                        for (int p = 1; p < pieces; p++)
                            if (z[u * pieces + p] > z[u * pieces + best]) best = p;
                        for (int p = 0; p < pieces; p++)
                        {
                            if (p == best) continue;
                            double gap = z[u * pieces + best] - z[u * pieces + p];
                            double tieScale = Math.Max(zs[u * pieces + best], zs[u * pieces + p]);
                            if (tieScale > 0 && gap <= KinkMargin * tieScale)
                                result.Kink ??= $"Maxout tie in {_spec.LayerName(l)} unit {u}";
                        }
                        win[u] = best;
                        outv[u] = z[u * pieces + best];
                        outScale[u] = zs[u * pieces + best];
                    }
                    tr.Winner[l] = win;
                    a = outv;
                    scale = outScale;
                    tr.Out[l] = a;
                    tr.OutScale[l] = scale;
                    continue;
                }
                case LayerKind.Dropout:
                case LayerKind.Flatten:
                    // Dropout inactive (inference) or rate 0, and Flatten (NCHW is already row-major): the identity.
                    a = (double[])a.Clone();
                    break;
                case LayerKind.Conv2D:
                {
                    var (z, zs) = Convolve(l, a, scale);
                    tr.Z[l] = z; tr.ZScale[l] = zs;
                    a = Activate(l, layer, z, zs, result);
                    break;
                }
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                {
                    var (outv, outScale, win) = Pool(l, layer, a, scale, result);
                    tr.Winner[l] = win;
                    a = outv;
                    scale = outScale;
                    tr.Out[l] = a;
                    tr.OutScale[l] = scale;
                    continue;
                }
            }
            if (layer.AppliedActivation is { } act)
                scale = ActivationScale(l, act, layer.AlphaValue, tr.Z[l], a, tr.ZScale[l]);
            tr.Out[l] = a;
            tr.OutScale[l] = scale;
        }
        return tr;
    }

    /// <summary>z[r] = Σᵢ W[r,i]·a[i] + b[r], W row-major [rows, inputs]; also Σ|terms| per row.</summary>
    private (double[] Z, double[] Scale) Affine(int l, double[] a, double[] aScale, int rows, int inputs)
    {
        double[] p = Parameters;
        int w = _weightOffset[l], bOff = _biasOffset[l];
        var z = new double[rows];
        var s = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = p[bOff + r];
            double mag = Math.Abs(p[bOff + r]);
            for (int i = 0; i < inputs; i++)
            {
                sum += p[w + r * inputs + i] * a[i];
                mag += Math.Abs(p[w + r * inputs + i]) * aScale[i];
            }
            z[r] = sum;
            s[r] = mag;
        }
        return (z, s);
    }

    private double[] Activate(int l, LayerDesc layer, double[] z, double[] zScale, Evaluation result)
    {
        Activation kind = layer.Activation;
        double alpha = layer.AlphaValue;
        var a = new double[z.Length];
        if (kind == Activation.Softmax)
        {
            double max = z.Max();
            double sum = 0;
            for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i] - max);
            for (int i = 0; i < z.Length; i++) a[i] = Math.Exp(z[i] - max) / sum;
            return a;
        }
        bool kinked = kind is Activation.ReLU or Activation.LeakyReLU or Activation.PReLU or Activation.BinaryStep
            || (kind == Activation.ELU && alpha != 1.0);
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            // An exact zero made of exact zeros (scale 0) is no rounding accident: the generated code gets
            // the same 0, and the derivative there follows PyTorch's convention (ReLU'(0) = 0, LeakyReLU'(0) = α, ...).
            if (kinked && zScale[i] > 0 && Math.Abs(v) <= KinkMargin * zScale[i])
                result.Kink ??= $"{kind} at 0 in {_spec.LayerName(l)} unit {i}";
            a[i] = kind switch
            {
                Activation.Linear => v,
                Activation.BinaryStep => v >= 0 ? 1 : 0,
                Activation.Sigmoid => Sigmoid(v),
                Activation.Tanh => Math.Tanh(v),
                Activation.ReLU => v > 0 ? v : 0,
                Activation.LeakyReLU => v > 0 ? v : alpha * v,
                Activation.PReLU => v > 0 ? v : Parameters[_slopeOffset[l] + SlopeIndex(l, i)] * v,
                Activation.ELU => v > 0 ? v : alpha * (Math.Exp(v) - 1),
                Activation.Swish => v * Sigmoid(v),
                _ => throw new NotSupportedException(kind.ToString()),
            };
        }
        return a;
    }

    /// <summary>Which PReLU slope element i of layer l's pre-activation uses: one per unit, or one per channel of an image.</summary>
    private int SlopeIndex(int l, int i)
    {
        int[] shape = _spec.Layers[l].Kind == LayerKind.Activation ? _shapes[l] : _shapes[l + 1];
        return shape.Length == 3 ? i / (shape[1] * shape[2]) : i;
    }

    /// <summary>The magnitude behind a = f(z): |a| plus the input's magnitude carried through the derivative's terms.</summary>
    private double[] ActivationScale(int l, Activation kind, double alpha, double[] z, double[] a, double[] zScale)
    {
        var s = new double[a.Length];
        if (kind == Activation.Softmax)
        {
            double worst = zScale.Max();
            for (int i = 0; i < a.Length; i++) s[i] = a[i] * (1 + 2 * worst);
            return s;
        }
        for (int i = 0; i < a.Length; i++) s[i] = Math.Abs(a[i]) + zScale[i] * DerivativeMagnitude(l, kind, alpha, z[i], a[i], i);
        return s;
    }

    /// <summary>The size of the terms a derivative is computed from (1 − a² for tanh cancels near saturation: its terms are 1 + a²).</summary>
    private double DerivativeMagnitude(int l, Activation kind, double alpha, double z, double a, int i) => kind switch
    {
        Activation.Sigmoid => a * (1 + a),
        Activation.Tanh => 1 + a * a,
        Activation.Swish => Sigmoid(z) + Math.Abs(z) * Sigmoid(z) * (1 + Sigmoid(z)),
        Activation.ELU => z > 0 ? 1 : alpha * (Math.Exp(z) + 1),
        Activation.BinaryStep => 0,
        Activation.ReLU => z > 0 ? 1 : 0,
        Activation.LeakyReLU => z > 0 ? 1 : Math.Abs(alpha),
        Activation.PReLU => z > 0 ? 1 : Math.Abs(Parameters[_slopeOffset[l] + SlopeIndex(l, i)]) + 1,
        _ => 1,
    };

    /// <summary>σ(z) = 1/(1 + e^−z), written so that neither branch overflows.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>
    /// Adds one sample's loss to the total and returns its gradient: with respect to the last layer's
    /// logits when the loss is fused (<paramref name="fused"/>), otherwise with respect to its outputs.
    /// Also returns the magnitude of the terms of each gradient element.
    /// </summary>
    private (double[] G, double[] GMag) SampleLoss(Trace tr, double[] t, int batch, Evaluation result, out bool fused)
    {
        double[] y = tr.Out[^1], ys = tr.OutScale[^1];
        int n = y.Length;
        var g = new double[n];
        var m = new double[n];
        fused = FusedLoss;
        double[] zs = tr.ZScale[^1];
        switch (_spec.Loss)
        {
            case Loss.MeanSquaredError:
                // L = Σ (y − t)² / (B·n); dL/dy = 2(y − t)/(B·n).
                for (int i = 0; i < n; i++)
                {
                    result.Loss += (y[i] - t[i]) * (y[i] - t[i]) / (batch * n);
                    g[i] = 2 * (y[i] - t[i]) / (batch * n);
                    m[i] = 2 * (ys[i] + Math.Abs(t[i])) / (batch * n);
                    result.LossMagnitude += m[i] * (ys[i] + Math.Abs(t[i]));
                }
                break;
            case Loss.BinaryCrossEntropy when fused:
            {
                // From logits z: ℓ = max(z, 0) − z·t + log(1 + e^−|z|); dℓ/dz = σ(z) − t; mean over B·n.
                double[] z = tr.Z[^1];
                for (int i = 0; i < n; i++)
                {
                    result.Loss += (Math.Max(z[i], 0) - z[i] * t[i] + Math.Log(1 + Math.Exp(-Math.Abs(z[i])))) / (batch * n);
                    g[i] = (Sigmoid(z[i]) - t[i]) / (batch * n);
                    m[i] = (Sigmoid(z[i]) + t[i]) / (batch * n);
                    result.LossMagnitude += (2 * Math.Abs(z[i]) + 1 + zs[i]) / (batch * n);
                }
                break;
            }
            case Loss.BinaryCrossEntropy:
                // ℓ = −(t·max(log y, −100) + (1 − t)·max(log(1 − y), −100)); dℓ/dy = (y − t)/(y(1 − y)).
                for (int i = 0; i < n; i++)
                {
                    if (y[i] * (1 - y[i]) < 1e-11 || Math.Min(y[i], 1 - y[i]) < ProbabilityFloor) result.Kink ??= $"BCE on a probability at the edge, output {i} (y = {y[i]:R})";
                    result.Loss -= (t[i] * Math.Max(Math.Log(y[i]), -100) + (1 - t[i]) * Math.Max(Math.Log(1 - y[i]), -100)) / (batch * n);
                    g[i] = (y[i] - t[i]) / (y[i] * (1 - y[i])) / (batch * n);
                    // The division amplifies y's rounding by 1/y + 1/(1 − y).
                    m[i] = (y[i] + t[i]) / (y[i] * (1 - y[i])) / (batch * n) * (1 + ys[i] * (1 / y[i] + 1 / (1 - y[i])));
                    result.LossMagnitude += (Math.Abs(Math.Log(y[i])) + Math.Abs(Math.Log(1 - y[i])) + m[i] * ys[i] * batch * n) / (batch * n);
                }
                break;
            case Loss.CrossEntropy when fused:
            {
                // From logits z: ℓ = Σᵢ tᵢ·(logΣⱼe^zⱼ − zᵢ); dℓ/dzᵢ = pᵢ·Σⱼtⱼ − tᵢ; mean over the batch.
                double[] z = tr.Z[^1];
                double max = z.Max();
                double sum = 0;
                for (int i = 0; i < n; i++) sum += Math.Exp(z[i] - max);
                double lse = max + Math.Log(sum);
                double mass = t.Sum();
                double zMag = zs.Max() + z.Max(Math.Abs);
                for (int i = 0; i < n; i++)
                {
                    result.Loss += t[i] * (lse - z[i]) / batch;
                    g[i] = (Math.Exp(z[i] - lse) * mass - t[i]) / batch;
                    m[i] = (Math.Exp(z[i] - lse) * mass * (1 + 2 * zMag) + t[i]) / batch;
                    result.LossMagnitude += t[i] * (2 * zMag + 1) / batch;
                }
                break;
            }
            case Loss.CrossEntropy:
                // On probabilities: ℓ = −Σ t·log(max(p, 1e-12)); dℓ/dp = −t/p.
                for (int i = 0; i < n; i++)
                {
                    if (t[i] == 0) continue;
                    if (y[i] < 1e-11 || y[i] < ProbabilityFloor) result.Kink ??= $"CE on a probability near 0, output {i} (p = {y[i]:R})";
                    result.Loss -= t[i] * Math.Log(Math.Max(y[i], 1e-12)) / batch;
                    g[i] = -t[i] / y[i] / batch;
                    m[i] = t[i] / y[i] / batch * (1 + ys[i] / y[i]);
                    result.LossMagnitude += t[i] * (Math.Abs(Math.Log(y[i])) + ys[i] / y[i]) / batch;
                }
                break;
        }
        return (g, m);
    }

    private void Backward(Trace tr, double[] dOut, double[] dOutMag, bool fused, double[] grad, double[] gradMag)
    {
        double[] g = dOut, gm = dOutMag;
        for (int l = _spec.Layers.Count - 1; l >= 0; l--)
        {
            LayerDesc layer = _spec.Layers[l];
            bool skipActivation = fused && l == _spec.Layers.Count - 1; // g is already d/dz
            int inputs = _sizes[l];
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                {
                    var (dz, dzm) = skipActivation ? (g, gm) : ActivationBackward(l, layer, tr, g, gm, grad, gradMag);
                    (g, gm) = AffineBackward(l, tr.In[l], tr.InScale[l], dz, dzm, layer.Units, inputs, grad, gradMag);
                    break;
                }
                case LayerKind.Activation:
                    if (!skipActivation) (g, gm) = ActivationBackward(l, layer, tr, g, gm, grad, gradMag);
                    break;
                case LayerKind.Maxout:
                {
                    // Only the winning piece passes the gradient.
                    var dz = new double[layer.Units * layer.Pieces];
                    var dzm = new double[dz.Length];
                    for (int u = 0; u < layer.Units; u++)
                    {
                        dz[u * layer.Pieces + tr.Winner[l][u]] = g[u];
                        dzm[u * layer.Pieces + tr.Winner[l][u]] = gm[u];
                    }
                    (g, gm) = AffineBackward(l, tr.In[l], tr.InScale[l], dz, dzm, layer.Units * layer.Pieces, inputs, grad, gradMag);
                    break;
                }
                case LayerKind.Conv2D:
                {
                    var (dz, dzm) = skipActivation ? (g, gm) : ActivationBackward(l, layer, tr, g, gm, grad, gradMag);
                    (g, gm) = ConvolveBackward(l, tr.In[l], tr.InScale[l], dz, dzm, grad, gradMag);
                    break;
                }
                case LayerKind.MaxPool2D:
                case LayerKind.AvgPool2D:
                    (g, gm) = PoolBackward(l, layer, tr.Winner[l], g, gm);
                    break;
                case LayerKind.Dropout:
                case LayerKind.Flatten:
                    break;
            }
        }
    }

    /// <summary>dW[r,i] += dz[r]·a[i]; db[r] += dz[r]; returns da[i] = Σ_r W[r,i]·dz[r] (and the same sums over magnitudes).</summary>
    private (double[], double[]) AffineBackward(int l, double[] a, double[] aScale, double[] dz, double[] dzm, int rows, int inputs, double[] grad, double[] gradMag)
    {
        double[] p = Parameters;
        int w = _weightOffset[l], bOff = _biasOffset[l];
        var da = new double[inputs];
        var dam = new double[inputs];
        for (int r = 0; r < rows; r++)
        {
            grad[bOff + r] += dz[r];
            gradMag[bOff + r] += dzm[r];
            for (int i = 0; i < inputs; i++)
            {
                grad[w + r * inputs + i] += dz[r] * a[i];
                gradMag[w + r * inputs + i] += dzm[r] * aScale[i];
                da[i] += p[w + r * inputs + i] * dz[r];
                dam[i] += Math.Abs(p[w + r * inputs + i]) * dzm[r];
            }
        }
        return (da, dam);
    }

    /// <summary>dz = da ⊙ f'(z) (the Jacobian product for Softmax); PReLU also adds d/dslope. Magnitudes alongside.</summary>
    private (double[], double[]) ActivationBackward(int l, LayerDesc layer, Trace tr, double[] da, double[] dam, double[] grad, double[] gradMag)
    {
        double[] z = tr.Z[l], a = tr.Out[l], zs = tr.ZScale[l];
        double alpha = layer.AlphaValue;
        var dz = new double[z.Length];
        var dzm = new double[z.Length];
        if (layer.Activation == Activation.Softmax)
        {
            // dzᵢ = pᵢ·(daᵢ − Σⱼ pⱼ·daⱼ).
            double dot = 0, dotm = 0;
            for (int j = 0; j < z.Length; j++) { dot += a[j] * da[j]; dotm += a[j] * dam[j]; }
            for (int i = 0; i < z.Length; i++) { dz[i] = a[i] * (da[i] - dot); dzm[i] = a[i] * (dam[i] + dotm) * (1 + 2 * zs.Max()); }
            return (dz, dzm);
        }
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            double d = layer.Activation switch
            {
                Activation.Linear => 1,
                Activation.BinaryStep => 0,
                Activation.Sigmoid => Sigmoid(v) * (1 - Sigmoid(v)),
                Activation.Tanh => 1 - Math.Tanh(v) * Math.Tanh(v),
                Activation.ReLU => v > 0 ? 1 : 0,
                Activation.LeakyReLU => v > 0 ? 1 : alpha,
                Activation.PReLU => v > 0 ? 1 : Parameters[_slopeOffset[l] + SlopeIndex(l, i)],
                Activation.ELU => v > 0 ? 1 : alpha * Math.Exp(v),
                Activation.Swish => Sigmoid(v) + v * Sigmoid(v) * (1 - Sigmoid(v)),
                _ => throw new NotSupportedException(layer.Activation.ToString()),
            };
            dz[i] = da[i] * d;
            bool curved = layer.Activation is Activation.Sigmoid or Activation.Tanh or Activation.Swish or Activation.ELU;
            dzm[i] = dam[i] * (DerivativeMagnitude(l, layer.Activation, alpha, v, a[i], i) + (curved ? zs[i] : 0));
            // d(a)/d(slope) = z where z ≤ 0.
            if (layer.Activation == Activation.PReLU && v <= 0)
            {
                grad[_slopeOffset[l] + SlopeIndex(l, i)] += da[i] * v;
                gradMag[_slopeOffset[l] + SlopeIndex(l, i)] += dam[i] * zs[i];
            }
        }
        return (dz, dzm);
    }
}

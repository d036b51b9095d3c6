using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Trust.Tests.Sequences;

/// <summary>
/// The reference interpreter of a <see cref="SequenceCase"/>: a plain double-precision forward pass of one sample
/// at a time, one loop per formula of PyTorch's <c>nn.Embedding</c>, <c>nn.RNN</c> (tanh), <c>nn.LSTM</c>,
/// <c>nn.GRU</c> and <c>nn.Linear</c> (applied at every step of a sequence), nothing shared with
/// <c>NetGen.Numerics</c> or the emitters. Its gradients are central finite differences of that forward pass,
/// so they share no derivation with the generated backpropagation through time.
/// </summary>
public sealed class ReferenceSequenceNetwork
{
    private readonly SequenceCase _spec;
    private readonly (int Steps, int Width)[] _shapes;
    private readonly int[] _offset;

    public double[] Parameters { get; }

    public ReferenceSequenceNetwork(SequenceCase spec, double[] parameters)
    {
        if (parameters.Length != spec.ParameterCount) throw new ArgumentException($"expected {spec.ParameterCount} parameters, got {parameters.Length}");
        _spec = spec;
        _shapes = spec.Shapes();
        // Each layer's first tensor; the others follow in ExpectedTensors' order.
        _offset = Enumerable.Repeat(-1, spec.Layers.Count).ToArray();
        foreach (var (_, offset, _, layer) in spec.ExpectedTensors()) if (_offset[layer] < 0) _offset[layer] = offset;
        Parameters = (double[])parameters.Clone();
    }

    /// <summary>One sample forward: inputs are ids (as doubles) for token input, else [t, f] row-major; returns the output row.</summary>
    public double[] Forward(ReadOnlySpan<double> input)
    {
        // A sequence is a list of step vectors; a vector is a list of one.
        List<double[]> x = new();
        if (_spec.TokenInput) for (int t = 0; t < _spec.TimeSteps; t++) x.Add(new[] { input[t] });
        else for (int t = 0; t < _spec.TimeSteps; t++) x.Add(input.Slice(t * _spec.Features, _spec.Features).ToArray());
        for (int l = 0; l < _spec.Layers.Count; l++)
        {
            SequenceLayer layer = _spec.Layers[l];
            int inputs = _shapes[l].Width, p = _offset[l];
            x = layer.Kind switch
            {
                // e_t = W[id_t, :].
                SequenceLayerKind.Embedding => x.Select(id => Parameters.AsSpan(p + (int)id[0] * layer.Units, layer.Units).ToArray()).ToList(),
                SequenceLayerKind.SimpleRnn or SequenceLayerKind.Lstm or SequenceLayerKind.Gru => Recurrent(layer, p, inputs, x),
                SequenceLayerKind.Dense => x.Select(v => Activate(layer.Activation, Affine(p, v, layer.Units, inputs))).ToList(),
                SequenceLayerKind.Activation => x.Select(v => Activate(layer.Activation, v)).ToList(),
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

    /// <summary>z[r] = Σᵢ W[r,i]·v[i] + b[r], W at <paramref name="w"/> row-major [rows, inputs], b right after it.</summary>
    private double[] Affine(int w, double[] v, int rows, int inputs)
    {
        var z = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = Parameters[w + rows * inputs + r];
            for (int i = 0; i < inputs; i++) sum += Parameters[w + r * inputs + i] * v[i];
            z[r] = sum;
        }
        return z;
    }

    /// <summary>W·v for W at <paramref name="w"/> [rows, inputs] plus the bias at <paramref name="b"/> (no bias when b &lt; 0).</summary>
    private double[] Product(int w, int b, double[] v, int rows, int inputs)
    {
        var z = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = b >= 0 ? Parameters[b + r] : 0;
            for (int i = 0; i < inputs; i++) sum += Parameters[w + r * inputs + i] * v[i];
            z[r] = sum;
        }
        return z;
    }

    /// <summary>
    /// One recurrent layer over the steps from h₀ = c₀ = 0, PyTorch's equations, gates in its order:
    /// RNN  h = tanh(W_ih·x + b_ih + W_hh·h + b_hh);
    /// LSTM i, f, g, o = σ, σ, tanh, σ of (W_ih·x + b_ih + W_hh·h + b_hh) blocks; c = f⊙c + i⊙g; h = o⊙tanh(c);
    /// GRU  r, z = σ of the first two blocks of (W_ih·x + b_ih + W_hh·h + b_hh); n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn));
    ///      h = (1 − z)⊙n + z⊙h.
    /// Returns every step's h, or only the last one.
    /// </summary>
    private List<double[]> Recurrent(SequenceLayer layer, int p, int inputs, List<double[]> xs)
    {
        int H = layer.Units, G = layer.Gates * H;
        int wih = p, whh = wih + G * inputs, bih = whh + G * H, bhh = bih + G;
        double[] h = new double[H], c = new double[H];
        var all = new List<double[]>();
        foreach (double[] x in xs)
        {
            double[] gx = Product(wih, bih, x, G, inputs), gh = Product(whh, bhh, h, G, H);
            var next = new double[H];
            for (int u = 0; u < H; u++)
            {
                switch (layer.Kind)
                {
                    case SequenceLayerKind.SimpleRnn:
                        next[u] = Math.Tanh(gx[u] + gh[u]);
                        break;
                    case SequenceLayerKind.Lstm:
                    {
                        double i = Sigmoid(gx[u] + gh[u]), f = Sigmoid(gx[H + u] + gh[H + u]);
                        double g = Math.Tanh(gx[2 * H + u] + gh[2 * H + u]), o = Sigmoid(gx[3 * H + u] + gh[3 * H + u]);
                        c[u] = f * c[u] + i * g;
                        next[u] = o * Math.Tanh(c[u]);
                        break;
                    }
                    case SequenceLayerKind.Gru:
                    {
                        double r = Sigmoid(gx[u] + gh[u]), z = Sigmoid(gx[H + u] + gh[H + u]);
                        double n = Math.Tanh(gx[2 * H + u] + r * gh[2 * H + u]);
                        next[u] = (1 - z) * n + z * h[u];
                        break;
                    }
                }
            }
            h = next;
            all.Add(h);
        }
        return layer.ReturnSequences ? all : new List<double[]> { h };
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
            _ => throw new NotSupportedException(kind.ToString()),
        }).ToArray();
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}

using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Predict of [Input(13, 3)] [K(17)] [Dense(2)] against the recurrences of nn.RNN, nn.LSTM and nn.GRU computed
/// here by hand from the tensors found by name, so a swapped tensor (bias_ih for bias_hh matters in the GRU's
/// n gate) or a wrong gate order cannot pass.
/// </summary>
public class RecurrentReferenceTests
{
    private const int Time = 13, Inputs = 3, Hidden = 17, Outputs = 2, Batch = 3;

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>One sample through the recurrence of <paramref name="kind"/>, then the Dense on the last h.</summary>
    private static double[] Reference(string kind, Func<string, double[]> tensor, ReadOnlySpan<double> x)
    {
        int g = kind switch { "SimpleRnn" => 1, "Lstm" => 4, _ => 3 };
        double[] wIh = tensor("layers.0.weight_ih_l0"), wHh = tensor("layers.0.weight_hh_l0"), bIh = tensor("layers.0.bias_ih_l0"), bHh = tensor("layers.0.bias_hh_l0");
        double[] h = new double[Hidden], c = new double[Hidden];
        for (int t = 0; t < Time; t++)
        {
            // a = W_ih·x_t + b_ih and b = W_hh·h_{t−1} + b_hh, G·H rows each.
            double[] a = new double[g * Hidden], b = new double[g * Hidden];
            for (int r = 0; r < g * Hidden; r++)
            {
                a[r] = bIh[r];
                for (int k = 0; k < Inputs; k++) a[r] += wIh[r * Inputs + k] * x[t * Inputs + k];
                b[r] = bHh[r];
                for (int k = 0; k < Hidden; k++) b[r] += wHh[r * Hidden + k] * h[k];
            }
            double[] next = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                switch (kind)
                {
                    case "SimpleRnn":
                        next[j] = Math.Tanh(a[j] + b[j]);
                        break;
                    case "Lstm":
                        double i = Sigmoid(a[j] + b[j]), f = Sigmoid(a[Hidden + j] + b[Hidden + j]);
                        double gg = Math.Tanh(a[2 * Hidden + j] + b[2 * Hidden + j]), o = Sigmoid(a[3 * Hidden + j] + b[3 * Hidden + j]);
                        c[j] = f * c[j] + i * gg;
                        next[j] = o * Math.Tanh(c[j]);
                        break;
                    default:
                        double rr = Sigmoid(a[j] + b[j]), z = Sigmoid(a[Hidden + j] + b[Hidden + j]);
                        double n = Math.Tanh(a[2 * Hidden + j] + rr * b[2 * Hidden + j]);
                        next[j] = (1 - z) * n + z * h[j];
                        break;
                }
            }
            h = next;
        }
        double[] w = tensor("layers.1.weight"), bias = tensor("layers.1.bias");
        return Enumerable.Range(0, Outputs).Select(o => bias[o] + Enumerable.Range(0, Hidden).Sum(k => w[o * Hidden + k] * h[k])).ToArray();
    }

    private static void Check<TNet>(string kind) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(11);
        double[] p = net.Parameters.ToArray();
        double[] Tensor(string name)
        {
            ParameterTensor t = net.ParameterTensors.Single(t => t.Name == name);
            return p.AsSpan(t.Offset, t.Shape.Aggregate(1, (a, b) => a * b)).ToArray();
        }
        double[] x = GradientCheck.Random(Batch * Time * Inputs, 12, scale: 2);
        double[] y = new double[Batch * Outputs];
        net.Predict(x, y, Batch);
        for (int s = 0; s < Batch; s++)
        {
            double[] expected = Reference(kind, Tensor, x.AsSpan(s * Time * Inputs, Time * Inputs));
            for (int o = 0; o < Outputs; o++) Assert.Equal(expected[o], y[s * Outputs + o], 12);
        }
    }

    [Fact] public void SimpleRnnIsNnRnn() => Check<GcSimpleRnnLast>("SimpleRnn");
    [Fact] public void LstmIsNnLstm() => Check<GcLstmLast>("Lstm");
    [Fact] public void GruIsNnGru() => Check<GcGruLast>("Gru");
}

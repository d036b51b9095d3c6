using System;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>
/// Straightforward scalar forward passes written from PyTorch's documented equations for nn.RNN,
/// nn.LSTM and nn.GRU (one layer, batch_first, zero initial state), in double. Returns h_t of every
/// (b, t) as [batch, time, H].
/// </summary>
internal static class RecurrentReference
{
    private static double Sigmoid(double a) => 1.0 / (1.0 + Math.Exp(-a));

    /// <summary>W·v + b for gate block <paramref name="gate"/> (rows gate·H .. gate·H + H − 1) and unit j.</summary>
    private static double Affine(double[] w, double[] bias, double[] v, int vOffset, int n, int gate, int hidden, int j)
    {
        int r = gate * hidden + j;
        double s = bias[r];
        for (int k = 0; k < n; k++) s += w[r * n + k] * v[vOffset + k];
        return s;
    }

    public static double[] Forward(RecurrentKind kind, double[] x, double[] wIh, double[] wHh, double[] bIh, double[] bHh, int batch, int time, int inputs, int hidden)
    {
        var all = new double[batch * time * hidden];
        for (int b = 0; b < batch; b++)
        {
            var h = new double[hidden];
            var c = new double[hidden];
            for (int t = 0; t < time; t++)
            {
                int xo = (b * time + t) * inputs;
                var hNew = new double[hidden];
                for (int j = 0; j < hidden; j++)
                {
                    double Gx(int g) => Affine(wIh, bIh, x, xo, inputs, g, hidden, j);
                    double Gh(int g) => Affine(wHh, bHh, h, 0, hidden, g, hidden, j);
                    switch (kind)
                    {
                        case RecurrentKind.SimpleRnn:
                            // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
                            hNew[j] = Math.Tanh(Gx(0) + Gh(0));
                            break;
                        case RecurrentKind.Lstm:
                        {
                            // i, f, g, o = σ, σ, tanh, σ of (W_ih x + b_ih + W_hh h + b_hh) blocks; c' = f c + i g; h' = o tanh(c')
                            double i = Sigmoid(Gx(0) + Gh(0)), f = Sigmoid(Gx(1) + Gh(1)), g = Math.Tanh(Gx(2) + Gh(2)), o = Sigmoid(Gx(3) + Gh(3));
                            c[j] = f * c[j] + i * g; // c[j] is read and written only for unit j
                            hNew[j] = o * Math.Tanh(c[j]);
                            break;
                        }
                        default:
                        {
                            // r = σ(W_ir x + b_ir + W_hr h + b_hr); z likewise; n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 − z) n + z h
                            double r = Sigmoid(Gx(0) + Gh(0)), z = Sigmoid(Gx(1) + Gh(1));
                            double n = Math.Tanh(Gx(2) + r * Gh(2));
                            hNew[j] = (1 - z) * n + z * h[j];
                            break;
                        }
                    }
                }
                h = hNew;
                Array.Copy(h, 0, all, (b * time + t) * hidden, hidden);
            }
        }
        return all;
    }

    /// <summary>The layer output from all states: everything with return sequences, else the last step of each sample.</summary>
    public static double[] Output(double[] all, int batch, int time, int hidden, bool returnSequences)
    {
        if (returnSequences) return all;
        var y = new double[batch * hidden];
        for (int b = 0; b < batch; b++) Array.Copy(all, (b * time + time - 1) * hidden, y, b * hidden, hidden);
        return y;
    }
}

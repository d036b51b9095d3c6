using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// The three matrix products of a fully connected layer, W of shape [units, inputs] row-major
/// (PyTorch's <c>nn.Linear</c>), activations row-major [batch, features].
/// </summary>
public static class Dense
{
    /// <summary>y[b,u] = Σᵢ x[b,i]·W[u,i] + bias[u]  (y = x·Wᵀ + b).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xr = x.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                ReadOnlySpan<T> wr = w.Slice(u * inputs, inputs);
                T s = bias[u];
                for (int i = 0; i < inputs; i++) s += xr[i] * wr[i];
                y[b * units + u] = s;
            }
        }
    }

    /// <summary>dW[u,i] = Σ_b dy[b,u]·x[b,i] and db[u] = Σ_b dy[b,u]  (dW = dyᵀ·x), overwriting dW and db.</summary>
    public static void BackwardWeights<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, Span<T> db, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dw.Slice(0, units * inputs).Clear();
        db.Slice(0, units).Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xr = x.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                T g = dy[b * units + u];
                db[u] += g;
                Span<T> dwr = dw.Slice(u * inputs, inputs);
                for (int i = 0; i < inputs; i++) dwr[i] += g * xr[i];
            }
        }
    }

    /// <summary>dx[b,i] = Σᵤ dy[b,u]·W[u,i]  (dx = dy·W), overwriting dx.</summary>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx.Slice(0, batch * inputs).Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxr = dx.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                T g = dy[b * units + u];
                ReadOnlySpan<T> wr = w.Slice(u * inputs, inputs);
                for (int i = 0; i < inputs; i++) dxr[i] += g * wr[i];
            }
        }
    }
}

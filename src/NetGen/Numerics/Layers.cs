using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>Inverted dropout: the mask holds 0 or 1/(1 − rate) per element.</summary>
public static class Dropout
{
    /// <summary>Draws a mask and applies it: y = x ⊙ mask.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, double rate, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T keep = T.CreateTruncating(1.0 / (1.0 - rate));
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = rng.NextDouble() < rate ? T.Zero : keep;
            y[i] = x[i] * mask[i];
        }
    }

    /// <summary>dx = dy ⊙ mask.</summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < dy.Length; i++) dx[i] = dy[i] * mask[i];
    }
}

/// <summary>Maxout: a[b,u] = maxₚ z[b, u·pieces + p]; the gradient flows to the arg-max piece only.</summary>
public static class Maxout
{
    /// <summary>Takes each unit's maximum piece and records which one won.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<int> argmax, int batch, int units, int pieces) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < batch * units; r++)
        {
            int o = r * pieces, best = 0;
            T max = z[o];
            for (int p = 1; p < pieces; p++) if (z[o + p] > max) { max = z[o + p]; best = p; }
            a[r] = max;
            argmax[r] = best;
        }
    }

    /// <summary>dz[b, u·pieces + p] = da[b,u] where p won, else 0.</summary>
    public static void Backward<T>(ReadOnlySpan<T> da, ReadOnlySpan<int> argmax, Span<T> dz, int batch, int units, int pieces) where T : unmanaged, IFloatingPointIeee754<T>
    {
        dz.Slice(0, batch * units * pieces).Clear();
        for (int r = 0; r < batch * units; r++) dz[r * pieces + argmax[r]] = da[r];
    }
}

/// <summary>Rosenblatt's perceptron rule, written as a gradient so every optimizer can apply it.</summary>
public static class Perceptron
{
    /// <summary>dW[u,i] = −Σ_b (t − y)[b,u]·x[b,i]; db[u] = −Σ_b (t − y)[b,u]. With SGD and batch 1 this is w += lr·(t − y)·x.</summary>
    public static void Gradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dw, Span<T> db, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dw.Slice(0, units * inputs).Clear();
        db.Slice(0, units).Clear();
        for (int b = 0; b < batch; b++)
            for (int u = 0; u < units; u++)
            {
                T e = t[b * units + u] - y[b * units + u];
                if (e == T.Zero) continue;
                db[u] -= e;
                for (int i = 0; i < inputs; i++) dw[u * inputs + i] -= e * x[b * inputs + i];
            }
    }
}

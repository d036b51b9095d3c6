using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// The losses and their gradients with respect to the network's output, PyTorch's <c>mean</c>
/// reductions. The fused forms take logits and are stable for any finite logit.
/// </summary>
public static class Losses
{
    /// <summary>L = mean((y − t)²) over every element.</summary>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < y.Length; i++) { T d = y[i] - t[i]; s += d * d; }
        return s / T.CreateTruncating(y.Length);
    }

    /// <summary>dL/dy = 2·(y − t) / N.</summary>
    public static void MeanSquaredErrorGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(2.0) / T.CreateTruncating(y.Length);
        for (int i = 0; i < y.Length; i++) dy[i] = scale * (y[i] - t[i]);
    }

    /// <summary>L = −mean(t·log y + (1 − t)·log(1 − y)), each log clamped at −100 as PyTorch does.</summary>
    public static T BinaryCrossEntropy<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(-100.0);
        T s = T.Zero;
        for (int i = 0; i < y.Length; i++)
            s -= t[i] * T.Max(T.Log(y[i]), floor) + (T.One - t[i]) * T.Max(T.Log(T.One - y[i]), floor);
        return s / T.CreateTruncating(y.Length);
    }

    /// <summary>dL/dy = (y − t) / (y·(1 − y)) / N, with y·(1 − y) kept above 1e-12.</summary>
    public static void BinaryCrossEntropyGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateTruncating(y.Length);
        T eps = T.CreateTruncating(1e-12);
        for (int i = 0; i < y.Length; i++)
            dy[i] = (y[i] - t[i]) / T.Max(y[i] * (T.One - y[i]), eps) / n;
    }

    /// <summary>From logits z: L = mean(max(z,0) − z·t + log(1 + e^−|z|)) (sigmoid and BCE fused).</summary>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < z.Length; i++)
            s += T.Max(z[i], T.Zero) - z[i] * t[i] + T.LogP1(T.Exp(-T.Abs(z[i])));
        return s / T.CreateTruncating(z.Length);
    }

    /// <summary>dL/dz = (σ(z) − t) / N, given y = σ(z).</summary>
    public static void BinaryCrossEntropyWithLogitsGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateTruncating(y.Length);
        for (int i = 0; i < y.Length; i++) dz[i] = (y[i] - t[i]) / n;
    }

    /// <summary>L = −(1/B)·Σ t·log y on probabilities y (log clamped at −100).</summary>
    public static T CrossEntropy<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(-100.0);
        T s = T.Zero;
        for (int i = 0; i < y.Length; i++)
            if (t[i] != T.Zero) s -= t[i] * T.Max(T.Log(y[i]), floor);
        return s / T.CreateTruncating(batch);
    }

    /// <summary>dL/dy = −t / y / B (y kept above 1e-12).</summary>
    public static void CrossEntropyGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b = T.CreateTruncating(batch);
        T eps = T.CreateTruncating(1e-12);
        for (int i = 0; i < y.Length; i++) dy[i] = -t[i] / T.Max(y[i], eps) / b;
    }

    /// <summary>From logits z: L = (1/B)·Σ_b (Σᵢ tᵢ·(logΣⱼe^zⱼ − zᵢ)) (softmax and cross entropy fused, log-sum-exp).</summary>
    public static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, int batch, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> zr = z.Slice(b * n, n), tr = t.Slice(b * n, n);
            T max = zr[0];
            for (int i = 1; i < n; i++) if (zr[i] > max) max = zr[i];
            T sum = T.Zero;
            for (int i = 0; i < n; i++) sum += T.Exp(zr[i] - max);
            T logSumExp = max + T.Log(sum);
            for (int i = 0; i < n; i++) total += tr[i] * (logSumExp - zr[i]);
        }
        return total / T.CreateTruncating(batch);
    }

    /// <summary>dL/dz = (p·Σⱼtⱼ − t) / B, given p = softmax(z) (p − t for one-hot targets).</summary>
    public static void SoftmaxCrossEntropyGradient<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> t, Span<T> dz, int batch, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T inv = T.One / T.CreateTruncating(batch);
        for (int b = 0; b < batch; b++)
        {
            int o = b * n;
            T mass = T.Zero;
            for (int i = 0; i < n; i++) mass += t[o + i];
            for (int i = 0; i < n; i++) dz[o + i] = (p[o + i] * mass - t[o + i]) * inv;
        }
    }
}

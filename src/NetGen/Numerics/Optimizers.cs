using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>The update rules, each exactly as <c>torch.optim</c> computes it (weight decay λ adds λ·w to g first).</summary>
public static class Optimizers
{
    /// <summary>SGD: w −= lr·(g + λw).</summary>
    public static void Sgd<T>(Span<T> w, ReadOnlySpan<T> g, T lr, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++) w[i] -= lr * (g[i] + weightDecay * w[i]);
    }

    /// <summary>Momentum (PyTorch's, dampening 0): v = μ·v + g; w −= lr·v.</summary>
    public static void Momentum<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, T lr, T momentum, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            T gi = g[i] + weightDecay * w[i];
            v[i] = momentum * v[i] + gi;
            w[i] -= lr * v[i];
        }
    }

    /// <summary>RMSprop: s = ρ·s + (1 − ρ)·g²; w −= lr·g / (√s + ε).</summary>
    public static void RmsProp<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> s, T lr, T rho, T epsilon, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++)
        {
            T gi = g[i] + weightDecay * w[i];
            s[i] = rho * s[i] + (T.One - rho) * gi * gi;
            w[i] -= lr * gi / (T.Sqrt(s[i]) + epsilon);
        }
    }

    /// <summary>
    /// Adam (step t ≥ 1): m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²;
    /// w −= (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), the order of operations of <c>torch.optim.Adam</c>.
    /// </summary>
    public static void Adam<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T lr, T beta1, T beta2, T epsilon, T weightDecay, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T bias1 = T.One - T.Pow(beta1, T.CreateTruncating(step));
        T bias2 = T.One - T.Pow(beta2, T.CreateTruncating(step));
        T stepSize = lr / bias1;
        T sqrtBias2 = T.Sqrt(bias2);
        for (int i = 0; i < w.Length; i++)
        {
            T gi = g[i] + weightDecay * w[i];
            m[i] = beta1 * m[i] + (T.One - beta1) * gi;
            v[i] = beta2 * v[i] + (T.One - beta2) * gi * gi;
            w[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / sqrtBias2 + epsilon);
        }
    }
}

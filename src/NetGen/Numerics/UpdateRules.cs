using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

// The optimizers' per-parameter rules, written once: the CPU kernels in Optimizers use them for every
// element their vector loops do not cover (the vector loops repeat the same operations in the same
// order, so the bits agree), and the generated GPU update kernels call them for every element.

/// <summary>SGD (<c>torch.optim.SGD</c>): w ← w − lr·(g + λw).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SgdRule<T>(T learningRate, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The updated parameter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Step(T w, T g) => w - learningRate * (g + weightDecay * w);
}

/// <summary>Momentum (<c>torch.optim.SGD</c>, dampening 0): v ← μv + (g + λw); w ← w − lr·v.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct MomentumRule<T>(T learningRate, T momentum, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The updated parameter; <paramref name="v"/> is updated in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Step(T w, T g, ref T v)
    {
        T gi = g + weightDecay * w;
        v = momentum * v + gi;
        return w - learningRate * v;
    }
}

/// <summary>RMSprop (<c>torch.optim.RMSprop</c>): s ← ρs + (1 − ρ)g²; w ← w − lr·g / (√s + ε), g including λw.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct RmsPropRule<T>(T learningRate, T rho, T epsilon, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _decay = T.One - rho;

    /// <summary>The updated parameter; <paramref name="s"/> is updated in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Step(T w, T g, ref T s)
    {
        T gi = g + weightDecay * w;
        s = rho * s + _decay * gi * gi;
        return w - learningRate * gi / (T.Sqrt(s) + epsilon);
    }
}

/// <summary>
/// Adam (<c>torch.optim.Adam</c>, step t ≥ 1): m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// w ← w − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), g including λw. Build it with <see cref="ForStep"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct AdamRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _decay1, _decay2, _stepSize, _sqrtBias2, _epsilon, _weightDecay;

    private AdamRule(T beta1, T beta2, T stepSize, T sqrtBias2, T epsilon, T weightDecay)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _decay1 = T.One - beta1;
        _decay2 = T.One - beta2;
        _stepSize = stepSize;
        _sqrtBias2 = sqrtBias2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
    }

    /// <summary>The rule for optimizer step <paramref name="step"/> (1 for the first): the bias corrections computed once.</summary>
    public static AdamRule<T> ForStep(T learningRate, T beta1, T beta2, T epsilon, T weightDecay, long step)
    {
        T bias1 = T.One - T.Pow(beta1, T.CreateTruncating(step));
        T bias2 = T.One - T.Pow(beta2, T.CreateTruncating(step));
        return new AdamRule<T>(beta1, beta2, learningRate / bias1, T.Sqrt(bias2), epsilon, weightDecay);
    }

    internal T Beta1 => _beta1;
    internal T Beta2 => _beta2;
    internal T Decay1 => _decay1;
    internal T Decay2 => _decay2;
    internal T StepSize => _stepSize;
    internal T SqrtBias2 => _sqrtBias2;
    internal T Epsilon => _epsilon;
    internal T WeightDecay => _weightDecay;

    /// <summary>The updated parameter; <paramref name="m"/> and <paramref name="v"/> are updated in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Step(T w, T g, ref T m, ref T v)
    {
        T gi = g + _weightDecay * w;
        m = _beta1 * m + _decay1 * gi;
        v = _beta2 * v + _decay2 * gi * gi;
        return w - _stepSize * m / (T.Sqrt(v) / _sqrtBias2 + _epsilon);
    }
}

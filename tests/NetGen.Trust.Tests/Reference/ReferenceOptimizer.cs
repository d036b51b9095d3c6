using System;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Reference;

/// <summary>
/// The optimizer updates exactly as <c>torch.optim</c> defines them (weight decay λ adds λ·w to the
/// gradient first), in double precision. State layout as <c>INetwork.OptimizerState</c>: Momentum v;
/// RmsProp s; Adam m then v.
/// </summary>
public sealed class ReferenceOptimizer
{
    private readonly CaseSpec _spec;
    private readonly int _n;

    public double[] State { get; }
    public long Step { get; set; }

    public ReferenceOptimizer(CaseSpec spec, int parameterCount)
    {
        _spec = spec;
        _n = parameterCount;
        State = new double[Slots(spec.Optimizer) * parameterCount];
    }

    public static int Slots(Optimizer o) => o switch { Optimizer.Sgd => 0, Optimizer.Momentum => 1, Optimizer.RmsProp => 1, _ => 2 };

    /// <summary>One update of <paramref name="w"/> from the gradient <paramref name="g"/>.</summary>
    public void Update(double[] w, ReadOnlySpan<double> g)
    {
        Step++;
        double lr = _spec.LearningRateValue, lambda = _spec.WeightDecayValue;
        for (int i = 0; i < _n; i++)
        {
            double gi = g[i] + lambda * w[i];
            switch (_spec.Optimizer)
            {
                case Optimizer.Sgd:
                    // w ← w − lr·g
                    w[i] -= lr * gi;
                    break;
                case Optimizer.Momentum:
                    // v ← μ·v + g (dampening 0; v starts at 0, so the first v is g); w ← w − lr·v
                    State[i] = _spec.MomentumValue * State[i] + gi;
                    w[i] -= lr * State[i];
                    break;
                case Optimizer.RmsProp:
                    // s ← ρ·s + (1 − ρ)·g²; w ← w − lr·g/(√s + ε)
                    State[i] = _spec.RmsDecayValue * State[i] + (1 - _spec.RmsDecayValue) * gi * gi;
                    w[i] -= lr * gi / (Math.Sqrt(State[i]) + _spec.EpsilonValue);
                    break;
                case Optimizer.Adam:
                {
                    // m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); w ← w − lr·m̂/(√v̂ + ε)
                    double b1 = _spec.Beta1Value, b2 = _spec.Beta2Value;
                    ref double m = ref State[i];
                    ref double v = ref State[_n + i];
                    m = b1 * m + (1 - b1) * gi;
                    v = b2 * v + (1 - b2) * gi * gi;
                    double mHat = m / (1 - Math.Pow(b1, Step));
                    double vHat = v / (1 - Math.Pow(b2, Step));
                    w[i] -= lr * mHat / (Math.Sqrt(vHat) + _spec.EpsilonValue);
                    break;
                }
            }
        }
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

public static partial class Optimizers
{
    /// <summary>
    /// AdamW (<c>torch.optim.AdamW</c>, step t ≥ 1): first the decoupled decay w ← w·(1 − lr·λ), then
    /// m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; w −= (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)
    /// (ε outside the square root, PyTorch's order of operations).
    /// </summary>
    /// <remarks>
    /// λ applies to whatever span is passed: to decay matrices only (nanoGPT's grouping: every parameter
    /// tensor of two or more dimensions — Dense/attention/feed-forward weights, embeddings — decays; biases
    /// and LayerNorm weights do not), call it once per tensor with <paramref name="weightDecay"/> = 0 for
    /// the one-dimensional ones. Nothing is allocated.
    /// </remarks>
    /// <param name="w">Parameters, updated in place.</param>
    /// <param name="g">Gradients, same length.</param>
    /// <param name="m">First moments, same length, zero before step 1.</param>
    /// <param name="v">Second moments, same length, zero before step 1.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">β₁ (0.9).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    /// <param name="weightDecay">λ (PyTorch's default 0.01).</param>
    /// <param name="step">The step number t, counting from 1.</param>
    public static void AdamW<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T lr, T beta1, T beta2, T epsilon, T weightDecay, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(w.Length, g.Length, nameof(g));
        Check(w.Length, m.Length, nameof(m));
        Check(w.Length, v.Length, nameof(v));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        T bias1 = T.One - T.Pow(beta1, T.CreateTruncating(step));
        T bias2 = T.One - T.Pow(beta2, T.CreateTruncating(step));
        T stepSize = lr / bias1;
        T sqrtBias2 = T.Sqrt(bias2);
        T decay1 = T.One - beta1, decay2 = T.One - beta2;
        T shrink = T.One - lr * weightDecay;
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)w.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vb1 = Vector256.Create(beta1), vb2 = Vector256.Create(beta2), vd1 = Vector256.Create(decay1), vd2 = Vector256.Create(decay2);
            Vector256<T> vstep = Vector256.Create(stepSize), vsb2 = Vector256.Create(sqrtBias2), veps = Vector256.Create(epsilon), vshrink = Vector256.Create(shrink);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                // w ← w·(1 − lr·λ), then the Adam step on the decayed w.
                Vector256<T> wi = Vector256.LoadUnsafe(ref wr, i) * vshrink;
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, i);
                Vector256<T> mi = vb1 * Vector256.LoadUnsafe(ref mr, i) + vd1 * gi;
                Vector256<T> vi = vb2 * Vector256.LoadUnsafe(ref vr, i) + vd2 * gi * gi;
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (wi - vstep * mi / (Vector256.Sqrt(vi) / vsb2 + veps)).StoreUnsafe(ref wr, i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref wr, i) * shrink;
            T gi = Unsafe.Add(ref gr, i);
            T mi = beta1 * Unsafe.Add(ref mr, i) + decay1 * gi;
            T vi = beta2 * Unsafe.Add(ref vr, i) + decay2 * gi * gi;
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
            Unsafe.Add(ref wr, i) = wi - stepSize * mi / (T.Sqrt(vi) / sqrtBias2 + epsilon);
        }
    }
}

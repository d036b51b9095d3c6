using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>The update rules, each exactly as <c>torch.optim</c> computes it (weight decay λ adds λ·w to g first).</summary>
/// <remarks>
/// For float and double the updates run on 256-bit vectors (they are bound by memory, so wider
/// vectors gain nothing) with the scalar form's operations in the scalar form's order and no fused
/// multiply-add, so every element gets exactly the bits the scalar loop would give it.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static partial class Optimizers
{
    private static bool Vectorize<T>() => Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated;

    /// <summary>SGD over one range (see <see cref="Sgd{T}"/>).</summary>
    private static void SgdRange<T>(Span<T> w, ReadOnlySpan<T> g, T lr, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        nuint n = (nuint)w.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vlr = Vector256.Create(lr), vwd = Vector256.Create(weightDecay);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> wi = Vector256.LoadUnsafe(ref wr, i);
                (wi - vlr * (Vector256.LoadUnsafe(ref gr, i) + vwd * wi)).StoreUnsafe(ref wr, i);
            }
        }
        // The rest, element by element, by the rule the GPU kernels also call.
        var rule = new SgdRule<T>(lr, weightDecay);
        for (; i < n; i++) Unsafe.Add(ref wr, i) = rule.Step(Unsafe.Add(ref wr, i), Unsafe.Add(ref gr, i));
    }

    /// <summary>Momentum (PyTorch's, dampening 0): v = μ·v + g; w −= lr·v.</summary>
    public static void Momentum<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, T lr, T momentum, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(w.Length, g.Length, nameof(g));
        Check(w.Length, v.Length, nameof(v));
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T vr = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)w.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vlr = Vector256.Create(lr), vmu = Vector256.Create(momentum), vwd = Vector256.Create(weightDecay);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> wi = Vector256.LoadUnsafe(ref wr, i);
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, i) + vwd * wi;
                Vector256<T> vi = vmu * Vector256.LoadUnsafe(ref vr, i) + gi;
                vi.StoreUnsafe(ref vr, i);
                (wi - vlr * vi).StoreUnsafe(ref wr, i);
            }
        }
        // The rest, element by element, by the rule the GPU kernels also call.
        var rule = new MomentumRule<T>(lr, momentum, weightDecay);
        for (; i < n; i++) Unsafe.Add(ref wr, i) = rule.Step(Unsafe.Add(ref wr, i), Unsafe.Add(ref gr, i), ref Unsafe.Add(ref vr, i));
    }

    /// <summary>RMSprop: s = ρ·s + (1 − ρ)·g²; w −= lr·g / (√s + ε).</summary>
    public static void RmsProp<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> s, T lr, T rho, T epsilon, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(w.Length, g.Length, nameof(g));
        Check(w.Length, s.Length, nameof(s));
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T sr = ref MemoryMarshal.GetReference(s);
        nuint n = (nuint)w.Length, i = 0;
        T decay = T.One - rho;
        if (Vectorize<T>())
        {
            Vector256<T> vlr = Vector256.Create(lr), vrho = Vector256.Create(rho), vdecay = Vector256.Create(decay), veps = Vector256.Create(epsilon), vwd = Vector256.Create(weightDecay);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> wi = Vector256.LoadUnsafe(ref wr, i);
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, i) + vwd * wi;
                Vector256<T> si = vrho * Vector256.LoadUnsafe(ref sr, i) + vdecay * gi * gi;
                si.StoreUnsafe(ref sr, i);
                (wi - vlr * gi / (Vector256.Sqrt(si) + veps)).StoreUnsafe(ref wr, i);
            }
        }
        // The rest, element by element, by the rule the GPU kernels also call.
        var rule = new RmsPropRule<T>(lr, rho, epsilon, weightDecay);
        for (; i < n; i++) Unsafe.Add(ref wr, i) = rule.Step(Unsafe.Add(ref wr, i), Unsafe.Add(ref gr, i), ref Unsafe.Add(ref sr, i));
    }

    /// <summary>Adam over one range (see <see cref="Adam{T}"/>).</summary>
    private static void AdamRange<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T lr, T beta1, T beta2, T epsilon, T weightDecay, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = AdamRule<T>.ForStep(lr, beta1, beta2, epsilon, weightDecay, step);
        T stepSize = rule.StepSize, sqrtBias2 = rule.SqrtBias2, decay1 = rule.Decay1, decay2 = rule.Decay2;
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T mr = ref MemoryMarshal.GetReference(m);
        ref T vr = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)w.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vb1 = Vector256.Create(beta1), vb2 = Vector256.Create(beta2), vd1 = Vector256.Create(decay1), vd2 = Vector256.Create(decay2);
            Vector256<T> vstep = Vector256.Create(stepSize), vsb2 = Vector256.Create(sqrtBias2), veps = Vector256.Create(epsilon), vwd = Vector256.Create(weightDecay);
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> wi = Vector256.LoadUnsafe(ref wr, i);
                Vector256<T> gi = Vector256.LoadUnsafe(ref gr, i) + vwd * wi;
                Vector256<T> mi = vb1 * Vector256.LoadUnsafe(ref mr, i) + vd1 * gi;
                Vector256<T> vi = vb2 * Vector256.LoadUnsafe(ref vr, i) + vd2 * gi * gi;
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
                (wi - vstep * mi / (Vector256.Sqrt(vi) / vsb2 + veps)).StoreUnsafe(ref wr, i);
            }
        }
        // The rest, element by element, by the rule the GPU kernels also call.
        for (; i < n; i++) Unsafe.Add(ref wr, i) = rule.Step(Unsafe.Add(ref wr, i), Unsafe.Add(ref gr, i), ref Unsafe.Add(ref mr, i), ref Unsafe.Add(ref vr, i));
    }

    private static void Check(int required, int length, string name)
    {
        if (length < required) throw new ArgumentException($"Expected at least {required} elements, got {length}.", name);
    }
}

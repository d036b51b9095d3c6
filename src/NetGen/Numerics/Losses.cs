using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The losses and their gradients with respect to the network's output, PyTorch's <c>mean</c>
/// reductions. The fused forms take logits and are stable for any finite logit.
/// </summary>
/// <remarks>
/// Element-wise gradients run on 256-bit vectors for float and double with the scalar form's
/// operations and order (the same bits); the loss values are sums, vectorised, so their rounding
/// differs from a sequential sum within float tolerance (and is the same run to run).
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Losses
{
    private static bool Vectorize<T>() => Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated;

    /// <summary>L = mean((y − t)²) over every element.</summary>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (t.Length < y.Length) throw new ArgumentException("Targets shorter than outputs.", nameof(t));
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T tr = ref MemoryMarshal.GetReference(t);
        nuint n = (nuint)y.Length, i = 0;
        T s = T.Zero;
        if (Vectorize<T>() && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> acc = Vector256<T>.Zero;
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> d = Vector256.LoadUnsafe(ref yr, i) - Vector256.LoadUnsafe(ref tr, i);
                acc += d * d;
            }
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) s += LossTerms.SquaredError(Unsafe.Add(ref yr, i), Unsafe.Add(ref tr, i));
        return s / T.CreateTruncating(y.Length);
    }

    /// <summary>dL/dy = 2·(y − t) / N.</summary>
    public static void MeanSquaredErrorGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(2.0) / T.CreateTruncating(y.Length);
        Map(y, t, dy, new MeanSquaredErrorGradientOperator<T>(scale));
    }

    /// <summary>L = −mean(t·log y + (1 − t)·log(1 − y)), each log clamped at −100 as PyTorch does.</summary>
    public static T BinaryCrossEntropy<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(LossTerms.LogFloor);
        T s = T.Zero;
        for (int i = 0; i < y.Length; i++)
            s += LossTerms.BinaryCrossEntropy(y[i], t[i], floor);
        return s / T.CreateTruncating(y.Length);
    }

    /// <summary>dL/dy = (y − t) / (y·(1 − y)) / N, with y·(1 − y) kept above 1e-12.</summary>
    public static void BinaryCrossEntropyGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Map(y, t, dy, new BinaryCrossEntropyGradientOperator<T>(T.CreateTruncating(y.Length), T.CreateTruncating(1e-12)));
    }

    /// <summary>From logits z: L = mean(max(z,0) − z·t + log(1 + e^−|z|)) (sigmoid and BCE fused).</summary>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < z.Length; i++)
            s += LossTerms.BinaryCrossEntropyWithLogits(z[i], t[i]);
        return s / T.CreateTruncating(z.Length);
    }

    /// <summary>dL/dz = (σ(z) − t) / N, given y = σ(z).</summary>
    public static void BinaryCrossEntropyWithLogitsGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Map(y, t, dz, new BinaryCrossEntropyWithLogitsGradientOperator<T>(T.CreateTruncating(y.Length)));
    }

    /// <summary>L = −(1/B)·Σ t·log y on probabilities y (log clamped at −100).</summary>
    public static T CrossEntropy<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(LossTerms.LogFloor);
        T s = T.Zero;
        for (int i = 0; i < y.Length; i++)
            if (t[i] != T.Zero) s += LossTerms.CrossEntropy(y[i], t[i], floor);
        return s / T.CreateTruncating(batch);
    }

    /// <summary>dL/dy = −t / y / B (y kept above 1e-12).</summary>
    public static void CrossEntropyGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Map(y, t, dy, new CrossEntropyGradientOperator<T>(T.CreateTruncating(batch), T.CreateTruncating(1e-12)));
    }

    /// <summary>From logits z: L = (1/B)·Σ_b (Σᵢ tᵢ·(logΣⱼe^zⱼ − zᵢ)) (softmax and cross entropy fused, log-sum-exp).</summary>
    public static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, int batch, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> zr = z.Slice(b * n, n), tr = t.Slice(b * n, n);
            T max = RowMath.Max(zr);
            T logSumExp = max + T.Log(RowMath.SumExp(zr, max, default));
            // Σ t·(lse − z) = lse·Σt − Σ t·z would cancel; keep the per-element form.
            T row = T.Zero;
            for (int i = 0; i < n; i++) row += LossTerms.SoftmaxCrossEntropy(logSumExp, zr[i], tr[i]);
            total += row;
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
            T mass = RowMath.Sum(t.Slice(o, n));
            Map(p.Slice(o, n), t.Slice(o, n), dz.Slice(o, n), new SoftmaxCrossEntropyGradientOperator<T>(mass, inv));
        }
    }

    /// <summary>
    /// dL/dz = (softmax(z)·Σⱼtⱼ − t) / B from the logits z themselves (a Linear output read as logits, as
    /// PyTorch's <c>CrossEntropyLoss</c> does): softmax is written into <paramref name="dz"/>, then the gradient over it.
    /// </summary>
    public static void SoftmaxCrossEntropyGradientFromLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> dz, int batch, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // p = softmax(z) row by row, in dz
        Activations.SoftmaxForward(z, dz, batch, n);
        // dz = (p·Σt − t) / B, in place (each element reads only its own p)
        SoftmaxCrossEntropyGradient<T>(dz, t, dz, batch, n);
    }

    /// <summary>dL/dz = (σ(z) − t) / N from the logits z themselves (a Linear output read as logits, as <c>BCEWithLogitsLoss</c>).</summary>
    public static void BinaryCrossEntropyWithLogitsGradientFromLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // σ(z) = 1 / (1 + e^−z), in dz
        for (int i = 0; i < z.Length; i++) dz[i] = T.One / (T.One + T.Exp(-z[i]));
        // dz = (σ − t) / N, in place
        BinaryCrossEntropyWithLogitsGradient<T>(dz, t, dz);
    }

    // ---- Element-wise gradients: one operator each (LossOperators.cs), shared with the GPU kernels. ----

    /// <summary>d[i] = op(y[i], t[i]).</summary>
    private static void Map<T, TOp>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> d, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, ILossGradientOperator<T>
    {
        if (t.Length < y.Length || d.Length < y.Length) throw new ArgumentException("Targets or gradient shorter than outputs.");
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T tr = ref MemoryMarshal.GetReference(t);
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)y.Length, i = 0;
        if (Vectorize<T>())
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref yr, i), Vector256.LoadUnsafe(ref tr, i)).StoreUnsafe(ref dr, i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref yr, i), Unsafe.Add(ref tr, i));
    }

    /// <summary>T.Max lane-wise: NaN wins (so a NaN output still poisons the gradient, as in the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Max<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, y) | ~Vector256.Equals(x, x), x, y);
}

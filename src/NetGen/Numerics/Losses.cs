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
        for (; i < n; i++) { T d = Unsafe.Add(ref yr, i) - Unsafe.Add(ref tr, i); s += d * d; }
        return s / T.CreateTruncating(y.Length);
    }

    /// <summary>dL/dy = 2·(y − t) / N.</summary>
    public static void MeanSquaredErrorGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(2.0) / T.CreateTruncating(y.Length);
        Map(y, t, dy, new MseGradient<T>(scale));
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
        Map(y, t, dy, new BceGradient<T>(T.CreateTruncating(y.Length), T.CreateTruncating(1e-12)));
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
        Map(y, t, dz, new BceWithLogitsGradient<T>(T.CreateTruncating(y.Length)));
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
        Map(y, t, dy, new CrossEntropyGradientOp<T>(T.CreateTruncating(batch), T.CreateTruncating(1e-12)));
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
            for (int i = 0; i < n; i++) row += tr[i] * (logSumExp - zr[i]);
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
            Map(p.Slice(o, n), t.Slice(o, n), dz.Slice(o, n), new SoftmaxCrossEntropyGradientOp<T>(mass, inv));
        }
    }

    // ---- Element-wise gradients: one operator each (scalar and vector forms, same operations). ----

    private interface IBinaryOp<T> where T : unmanaged
    {
        T Invoke(T y, T t);
        Vector256<T> Invoke(Vector256<T> y, Vector256<T> t);
    }

    /// <summary>d[i] = op(y[i], t[i]).</summary>
    private static void Map<T, TOp>(ReadOnlySpan<T> y, ReadOnlySpan<T> t, Span<T> d, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<T>
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

    private readonly struct MseGradient<T>(T scale) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T y, T t) => scale * (y - t);
        public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => Vector256.Create(scale) * (y - t);
    }

    private readonly struct BceGradient<T>(T n, T eps) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T y, T t) => (y - t) / T.Max(y * (T.One - y), eps) / n;
        public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => (y - t) / Max(y * (Vector256<T>.One - y), Vector256.Create(eps)) / Vector256.Create(n);
    }

    private readonly struct BceWithLogitsGradient<T>(T n) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T y, T t) => (y - t) / n;
        public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => (y - t) / Vector256.Create(n);
    }

    private readonly struct CrossEntropyGradientOp<T>(T b, T eps) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T y, T t) => -t / T.Max(y, eps) / b;
        public Vector256<T> Invoke(Vector256<T> y, Vector256<T> t) => -t / Max(y, Vector256.Create(eps)) / Vector256.Create(b);
    }

    private readonly struct SoftmaxCrossEntropyGradientOp<T>(T mass, T inv) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T p, T t) => (p * mass - t) * inv;
        public Vector256<T> Invoke(Vector256<T> p, Vector256<T> t) => (p * Vector256.Create(mass) - t) * Vector256.Create(inv);
    }

    /// <summary>T.Max lane-wise: NaN wins (so a NaN output still poisons the gradient, as in the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Max<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, y) | ~Vector256.Equals(x, x), x, y);
}

using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Batch normalisation as PyTorch's <c>nn.BatchNorm1d</c> (vectors [batch, features]) and
/// <c>nn.BatchNorm2d</c> (images [batch, C, H, W], one statistic per channel). Both are the layout
/// [batch, channels, spatial]: spatial = 1 for vectors, H·W for images. Per channel c, over its
/// m = batch·spatial values: y = weight[c]·(x − μ_c)/√(σ²_c + ε) + bias[c].
/// </summary>
/// <remarks>
/// Training mode normalises with the batch's mean and biased variance and moves the running
/// statistics toward them, the variance unbiased (·m/(m − 1)), with momentum 0.1:
/// running = (1 − 0.1)·running + 0.1·batch statistic. Inference mode uses the running statistics.
/// Vectors are normalised a vector of features at a time (along a row), images a vector of positions
/// at a time (along a plane). Nothing here allocates; the caller keeps the batch mean and 1/√(σ² + ε)
/// of the forward pass for the backward pass.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchNorm
{
    /// <summary>PyTorch's default momentum of the running statistics.</summary>
    public const double Momentum = 0.1;

    /// <summary>PyTorch's default ε added to the variance.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>
    /// Training-mode forward: per channel μ = (1/m)·Σx, σ² = (1/m)·Σ(x − μ)² (biased, two passes),
    /// <paramref name="mean"/>[c] = μ, <paramref name="invStd"/>[c] = 1/√(σ² + ε), y = weight·(x − μ)·invStd + bias;
    /// then runningMean ← 0.9·runningMean + 0.1·μ and runningVar ← 0.9·runningVar + 0.1·σ²·m/(m − 1).
    /// </summary>
    /// <param name="x">[batch, channels, spatial] inputs.</param>
    /// <param name="weight">[channels] scale (γ).</param>
    /// <param name="bias">[channels] shift (β).</param>
    /// <param name="runningMean">[channels] running mean, updated; empty to leave the running statistics alone.</param>
    /// <param name="runningVar">[channels] running (unbiased) variance, updated; empty together with <paramref name="runningMean"/>.</param>
    /// <param name="y">[batch, channels, spatial] outputs; may be the same memory as <paramref name="x"/>.</param>
    /// <param name="mean">[channels] batch mean, written (kept for <see cref="Backward{T}"/>).</param>
    /// <param name="invStd">[channels] 1/√(σ² + ε), written (kept for <see cref="Backward{T}"/>).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Features (1d) or channels (2d).</param>
    /// <param name="spatial">1 for vectors, height·width for images.</param>
    /// <exception cref="ArgumentException">A channel has a single value (batch·spatial = 1, PyTorch's
    /// "Expected more than 1 value per channel when training"), or a span is shorter than its shape.</exception>
    public static void ForwardTraining<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> runningMean, Span<T> runningVar,
        Span<T> y, Span<T> mean, Span<T> invStd, int batch, int channels, int spatial)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, channels, spatial);
        long count = (long)batch * spatial;
        if (count < 2)
            throw new ArgumentException($"Batch normalisation in training mode needs more than one value per channel, but got batch {batch} × {spatial} position(s) = {count}; train with a batch of at least 2.", nameof(x));
        long size = count * channels;
        Check(x.Length, size, nameof(x));
        Check(y.Length, size, nameof(y));
        Check(weight.Length, channels, nameof(weight));
        Check(bias.Length, channels, nameof(bias));
        Check(mean.Length, channels, nameof(mean));
        Check(invStd.Length, channels, nameof(invStd));
        bool update = !runningMean.IsEmpty || !runningVar.IsEmpty;
        if (update)
        {
            Check(runningMean.Length, channels, nameof(runningMean));
            Check(runningVar.Length, channels, nameof(runningVar));
        }
        T m = T.CreateTruncating(count), inverseCount = T.One / m;
        // μ_c = (1/m)·Σ x over the channel's values.
        SumPerChannel(x, mean, batch, channels, spatial);
        RowMath.Scale(mean.Slice(0, channels), inverseCount);
        // invStd temporarily holds Σ (x − μ_c)², the second pass (no cancellation of large means).
        SquaredDeviationsPerChannel(x, mean, invStd, batch, channels, spatial);
        T momentum = T.CreateTruncating(Momentum), epsilon = T.CreateTruncating(Epsilon);
        T unbiased = m / (m - T.One);
        for (int c = 0; c < channels; c++)
        {
            T variance = invStd[c] * inverseCount;
            if (update)
            {
                // running ← (1 − momentum)·running + momentum·statistic, the variance unbiased.
                runningMean[c] = BatchNormMath.RunningAverage(runningMean[c], mean[c], momentum);
                runningVar[c] = BatchNormMath.RunningAverage(runningVar[c], variance * unbiased, momentum);
            }
            invStd[c] = T.One / T.Sqrt(variance + epsilon);
        }
        // y = (x − μ)·(weight·invStd) + bias
        Normalize(x, y, mean, invStd, weight, bias, batch, channels, spatial, fromVariance: false);
    }

    /// <summary>
    /// Inference-mode forward: y = weight·(x − runningMean)/√(runningVar + ε) + bias per channel.
    /// Spans and shapes as <see cref="ForwardTraining{T}"/>; <paramref name="y"/> may be <paramref name="x"/>. Any batch, 1 included.
    /// </summary>
    public static void ForwardInference<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, int batch, int channels, int spatial)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, channels, spatial);
        long size = (long)batch * spatial * channels;
        Check(x.Length, size, nameof(x));
        Check(y.Length, size, nameof(y));
        Check(weight.Length, channels, nameof(weight));
        Check(bias.Length, channels, nameof(bias));
        Check(runningMean.Length, channels, nameof(runningMean));
        Check(runningVar.Length, channels, nameof(runningVar));
        Normalize(x, y, runningMean, runningVar, weight, bias, batch, channels, spatial, fromVariance: true);
    }

    /// <summary>
    /// Training-mode backward, with x̂ = (x − μ)·invStd from the forward pass's <paramref name="mean"/> and <paramref name="invStd"/>:
    /// dbias[c] = Σ dy, dweight[c] = Σ dy·x̂, dx = weight·invStd·(dy − dbias/m − x̂·dweight/m).
    /// Overwrites <paramref name="dx"/>, <paramref name="weightGradient"/> and <paramref name="biasGradient"/>;
    /// <paramref name="dx"/> may be the same memory as <paramref name="dy"/>.
    /// </summary>
    /// <param name="x">[batch, channels, spatial] the forward pass's inputs.</param>
    /// <param name="dy">[batch, channels, spatial] gradient of the loss with respect to y.</param>
    /// <param name="weight">[channels] scale (γ).</param>
    /// <param name="mean">[channels] batch mean from <see cref="ForwardTraining{T}"/>.</param>
    /// <param name="invStd">[channels] 1/√(σ² + ε) from <see cref="ForwardTraining{T}"/>.</param>
    /// <param name="dx">[batch, channels, spatial] gradient with respect to x, written.</param>
    /// <param name="weightGradient">[channels] dL/dweight, written.</param>
    /// <param name="biasGradient">[channels] dL/dbias, written.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="channels">Features (1d) or channels (2d).</param>
    /// <param name="spatial">1 for vectors, height·width for images.</param>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        Span<T> dx, Span<T> weightGradient, Span<T> biasGradient, int batch, int channels, int spatial)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, channels, spatial);
        long count = (long)batch * spatial, size = count * channels;
        Check(x.Length, size, nameof(x));
        Check(dy.Length, size, nameof(dy));
        Check(dx.Length, size, nameof(dx));
        Check(weight.Length, channels, nameof(weight));
        Check(mean.Length, channels, nameof(mean));
        Check(invStd.Length, channels, nameof(invStd));
        Check(weightGradient.Length, channels, nameof(weightGradient));
        Check(biasGradient.Length, channels, nameof(biasGradient));
        if (count == 0)
        {
            weightGradient.Slice(0, channels).Clear();
            biasGradient.Slice(0, channels).Clear();
            return;
        }
        // dbias_c = Σ dy;  weightGradient temporarily Σ dy·(x − μ_c).
        SumPerChannel(dy, biasGradient, batch, channels, spatial);
        CenteredDotsPerChannel(x, dy, mean, weightGradient, batch, channels, spatial);
        // dweight_c = invStd_c·Σ dy·(x − μ_c) = Σ dy·x̂.
        for (int c = 0; c < channels; c++) weightGradient[c] *= invStd[c];
        // dx = k·dy + (x − μ)·u + v with k = weight·invStd, u = −k·invStd·dweight/m, v = −k·dbias/m.
        InputGradient(x, dy, dx, weight, mean, invStd, weightGradient, biasGradient, T.One / T.CreateTruncating(count), batch, channels, spatial);
    }

    private static bool Vectorize<T>() where T : unmanaged => Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated;

    /// <summary>sums[c] = Σ_b Σ_s v[b, c, s]. Overwrites sums.</summary>
    private static void SumPerChannel<T>(ReadOnlySpan<T> v, Span<T> sums, int batch, int channels, int spatial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums = sums.Slice(0, channels);
        sums.Clear();
        for (int b = 0; b < batch; b++)
        {
            if (spatial == 1) AddRow(v.Slice(b * channels, channels), sums);
            else
                for (int c = 0; c < channels; c++) sums[c] += RowMath.Sum(v.Slice((b * channels + c) * spatial, spatial));
        }
    }

    /// <summary>sums[c] = Σ_b Σ_s (x[b, c, s] − mean[c])². Overwrites sums.</summary>
    private static void SquaredDeviationsPerChannel<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mean, Span<T> sums, int batch, int channels, int spatial) where T : unmanaged, IFloatingPointIeee754<T>
        => CenteredDotsPerChannel(x, x, mean, sums, batch, channels, spatial);

    /// <summary>sums[c] = Σ_b Σ_s g[b, c, s]·(x[b, c, s] − mean[c]) (g = x gives the squared deviations). Overwrites sums.</summary>
    private static void CenteredDotsPerChannel<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> mean, Span<T> sums, int batch, int channels, int spatial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums = sums.Slice(0, channels);
        sums.Clear();
        ref T rm = ref MemoryMarshal.GetReference(mean);
        ref T rs = ref MemoryMarshal.GetReference(sums);
        for (int b = 0; b < batch; b++)
        {
            if (spatial == 1)
            {
                // Along the row: sums[c..c+v] += g·(x − mean[c..c+v]).
                ref T rx = ref MemoryMarshal.GetReference(x.Slice(b * channels, channels));
                ref T rg = ref MemoryMarshal.GetReference(g.Slice(b * channels, channels));
                int c = 0;
                if (Vectorize<T>())
                    for (; c <= channels - Vector256<T>.Count; c += Vector256<T>.Count)
                    {
                        Vector256<T> d = Vector256.LoadUnsafe(ref rx, (nuint)c) - Vector256.LoadUnsafe(ref rm, (nuint)c);
                        (Vector256.LoadUnsafe(ref rs, (nuint)c) + Vector256.LoadUnsafe(ref rg, (nuint)c) * d).StoreUnsafe(ref rs, (nuint)c);
                    }
                for (; c < channels; c++) Unsafe.Add(ref rs, c) += Unsafe.Add(ref rg, c) * (Unsafe.Add(ref rx, c) - Unsafe.Add(ref rm, c));
                continue;
            }
            for (int c = 0; c < channels; c++)
            {
                // Along the plane: Σ_s g·(x − mean[c]).
                int o = (b * channels + c) * spatial;
                sums[c] += CenteredDot(x.Slice(o, spatial), g.Slice(o, spatial), mean[c]);
            }
        }
    }

    /// <summary>Σᵢ g[i]·(x[i] − m).</summary>
    private static T CenteredDot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rg = ref MemoryMarshal.GetReference(g);
        int n = x.Length, i = 0;
        T s = T.Zero;
        if (Vectorize<T>() && n >= Vector256<T>.Count)
        {
            Vector256<T> acc = Vector256<T>.Zero, vm = Vector256.Create(m);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                acc += Vector256.LoadUnsafe(ref rg, (nuint)i) * (Vector256.LoadUnsafe(ref rx, (nuint)i) - vm);
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++) s += Unsafe.Add(ref rg, i) * (Unsafe.Add(ref rx, i) - m);
        return s;
    }

    /// <summary>sums[i] += v[i].</summary>
    private static void AddRow<T>(ReadOnlySpan<T> v, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rv = ref MemoryMarshal.GetReference(v);
        ref T rs = ref MemoryMarshal.GetReference(sums);
        int n = v.Length, i = 0;
        if (Vectorize<T>())
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref rs, (nuint)i) + Vector256.LoadUnsafe(ref rv, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rs, i) += Unsafe.Add(ref rv, i);
    }

    /// <summary>
    /// y = (x − center[c])·scale_c + bias[c] with scale_c = weight[c]·spread[c] (spread = invStd), or
    /// weight[c]/√(spread[c] + ε) when <paramref name="fromVariance"/> (spread = the running variance).
    /// </summary>
    private static void Normalize<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> center, ReadOnlySpan<T> spread, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias,
        int batch, int channels, int spatial, bool fromVariance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T epsilon = T.CreateTruncating(Epsilon);
        ref T rcen = ref MemoryMarshal.GetReference(center);
        ref T rspr = ref MemoryMarshal.GetReference(spread);
        ref T rw = ref MemoryMarshal.GetReference(weight);
        ref T rb = ref MemoryMarshal.GetReference(bias);
        for (int b = 0; b < batch; b++)
        {
            if (spatial == 1)
            {
                // Along the row, a vector of features: scale from that vector's statistics.
                ref T rx = ref MemoryMarshal.GetReference(x.Slice(b * channels, channels));
                ref T ry = ref MemoryMarshal.GetReference(y.Slice(b * channels, channels));
                int c = 0;
                if (Vectorize<T>())
                {
                    Vector256<T> veps = Vector256.Create(epsilon);
                    for (; c <= channels - Vector256<T>.Count; c += Vector256<T>.Count)
                    {
                        Vector256<T> s = Vector256.LoadUnsafe(ref rspr, (nuint)c);
                        Vector256<T> scale = Vector256.LoadUnsafe(ref rw, (nuint)c) * (fromVariance ? Vector256<T>.One / Vector256.Sqrt(s + veps) : s);
                        Vector256<T> d = Vector256.LoadUnsafe(ref rx, (nuint)c) - Vector256.LoadUnsafe(ref rcen, (nuint)c);
                        (d * scale + Vector256.LoadUnsafe(ref rb, (nuint)c)).StoreUnsafe(ref ry, (nuint)c);
                    }
                }
                for (; c < channels; c++)
                {
                    T s = Unsafe.Add(ref rspr, c);
                    T scale = Unsafe.Add(ref rw, c) * (fromVariance ? T.One / T.Sqrt(s + epsilon) : s);
                    Unsafe.Add(ref ry, c) = BatchNormMath.Affine(Unsafe.Add(ref rx, c), Unsafe.Add(ref rcen, c), scale, Unsafe.Add(ref rb, c));
                }
                continue;
            }
            for (int c = 0; c < channels; c++)
            {
                // Along the plane, one scale and shift for the channel.
                T s = spread[c];
                T scale = weight[c] * (fromVariance ? T.One / T.Sqrt(s + epsilon) : s);
                int o = (b * channels + c) * spatial;
                AffineCentered(x.Slice(o, spatial), y.Slice(o, spatial), center[c], scale, bias[c]);
            }
        }
    }

    /// <summary>y[i] = (x[i] − m)·a + c.</summary>
    private static void AffineCentered<T>(ReadOnlySpan<T> x, Span<T> y, T m, T a, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vm = Vector256.Create(m), va = Vector256.Create(a), vc = Vector256.Create(c);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                ((Vector256.LoadUnsafe(ref rx, (nuint)i) - vm) * va + vc).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) = BatchNormMath.Affine(Unsafe.Add(ref rx, i), m, a, c);
    }

    /// <summary>dx = k·dy + (x − μ)·u + v per channel, k = weight·invStd, u = −k·invStd·dweight/m, v = −k·dbias/m.</summary>
    private static void InputGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd,
        ReadOnlySpan<T> dweight, ReadOnlySpan<T> dbias, T inverseCount, int batch, int channels, int spatial) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rw = ref MemoryMarshal.GetReference(weight);
        ref T rm = ref MemoryMarshal.GetReference(mean);
        ref T ri = ref MemoryMarshal.GetReference(invStd);
        ref T rdw = ref MemoryMarshal.GetReference(dweight);
        ref T rdb = ref MemoryMarshal.GetReference(dbias);
        for (int b = 0; b < batch; b++)
        {
            if (spatial == 1)
            {
                // Along the row: each vector of features with its own k, u, v.
                ref T rx = ref MemoryMarshal.GetReference(x.Slice(b * channels, channels));
                ref T rg = ref MemoryMarshal.GetReference(dy.Slice(b * channels, channels));
                ref T rd = ref MemoryMarshal.GetReference(dx.Slice(b * channels, channels));
                int c = 0;
                if (Vectorize<T>())
                {
                    Vector256<T> vinv = Vector256.Create(inverseCount);
                    for (; c <= channels - Vector256<T>.Count; c += Vector256<T>.Count)
                    {
                        Vector256<T> istd = Vector256.LoadUnsafe(ref ri, (nuint)c);
                        Vector256<T> k = Vector256.LoadUnsafe(ref rw, (nuint)c) * istd;
                        Vector256<T> u = -(k * istd * Vector256.LoadUnsafe(ref rdw, (nuint)c) * vinv);
                        Vector256<T> v = -(k * Vector256.LoadUnsafe(ref rdb, (nuint)c) * vinv);
                        Vector256<T> d = Vector256.LoadUnsafe(ref rx, (nuint)c) - Vector256.LoadUnsafe(ref rm, (nuint)c);
                        (k * Vector256.LoadUnsafe(ref rg, (nuint)c) + (d * u + v)).StoreUnsafe(ref rd, (nuint)c);
                    }
                }
                for (; c < channels; c++)
                {
                    T istd = Unsafe.Add(ref ri, c), k = Unsafe.Add(ref rw, c) * istd;
                    T u = -(k * istd * Unsafe.Add(ref rdw, c) * inverseCount), v = -(k * Unsafe.Add(ref rdb, c) * inverseCount);
                    Unsafe.Add(ref rd, c) = BatchNormMath.InputGradient(Unsafe.Add(ref rx, c), Unsafe.Add(ref rg, c), Unsafe.Add(ref rm, c), k, u, v);
                }
                continue;
            }
            for (int c = 0; c < channels; c++)
            {
                // Along the plane, one k, u, v for the channel.
                T istd = invStd[c], k = weight[c] * istd;
                T u = -(k * istd * dweight[c] * inverseCount), v = -(k * dbias[c] * inverseCount);
                int o = (b * channels + c) * spatial;
                PlaneInputGradient(x.Slice(o, spatial), dy.Slice(o, spatial), dx.Slice(o, spatial), mean[c], k, u, v);
            }
        }
    }

    /// <summary>dx[i] = k·dy[i] + ((x[i] − m)·u + v).</summary>
    private static void PlaneInputGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, T m, T k, T u, T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rg = ref MemoryMarshal.GetReference(dy);
        ref T rd = ref MemoryMarshal.GetReference(dx);
        int n = x.Length, i = 0;
        if (Vectorize<T>())
        {
            Vector256<T> vm = Vector256.Create(m), vk = Vector256.Create(k), vu = Vector256.Create(u), vv = Vector256.Create(v);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (vk * Vector256.LoadUnsafe(ref rg, (nuint)i) + ((Vector256.LoadUnsafe(ref rx, (nuint)i) - vm) * vu + vv)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref rd, i) = BatchNormMath.InputGradient(Unsafe.Add(ref rx, i), Unsafe.Add(ref rg, i), m, k, u, v);
    }

    private static void CheckShape(int batch, int channels, int spatial)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size must not be negative.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "The number of channels must be positive.");
        if (spatial <= 0) throw new ArgumentOutOfRangeException(nameof(spatial), spatial, "The positions per channel must be positive (1 for vectors, height·width for images).");
    }

    private static void Check(int length, long size, string name)
    {
        if (length < size) throw new ArgumentException($"Expected at least {size} values in {name}, but got {length}.", name);
    }
}

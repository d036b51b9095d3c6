using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// A learned positional embedding added to a sequence: y[b, t, :] = x[b, t, :] + weight[t, :],
/// weight [maxLength, width] (<c>{name}.weight</c>), initialised N(0, 0.02).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PositionalEmbedding
{
    /// <summary>The initial standard deviation (GPT-2's).</summary>
    public const double InitialStandardDeviation = 0.02;

    /// <summary>y[b, t, :] = x[b, t, :] + weight[t, :] for t &lt; time (y may be x itself).</summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="weight">[maxLength, width], maxLength ≥ time.</param>
    /// <param name="y">Output [batch, time, width].</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Features per position.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> y, int batch, int time, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, time, width);
        Check(x.Length, (long)batch * time * width, nameof(x));
        Check(weight.Length, (long)time * width, nameof(weight));
        Check(y.Length, (long)batch * time * width, nameof(y));
        int n = time * width;
        for (int b = 0; b < batch; b++)
        {
            AttentionRows.Add(y.Slice(b * n, n), x.Slice(b * n, n), weight.Slice(0, n));
        }
    }

    /// <summary>
    /// Step form: y[b, :] = x[b, :] + weight[position, :] for one new row per sample (y may be x itself).
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> y, int position, int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, 1, width);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Check(x.Length, (long)batch * width, nameof(x));
        Check(weight.Length, (long)(position + 1) * width, nameof(weight));
        Check(y.Length, (long)batch * width, nameof(y));
        for (int b = 0; b < batch; b++)
        {
            AttentionRows.Add(y.Slice(b * width, width), x.Slice(b * width, width), weight.Slice(position * width, width));
        }
    }

    /// <summary>
    /// dweight[t, :] = Σ_b dy[b, t, :] for t &lt; time (rows time..maxLength−1 set to 0), overwritten;
    /// dx = dy (skipped when dx is empty; dx may be dy itself).
    /// </summary>
    /// <param name="dy">Output gradient [batch, time, width].</param>
    /// <param name="dx">Input gradient [batch, time, width], or empty when not needed.</param>
    /// <param name="dweight">[maxLength, width].</param>
    /// <param name="maxLength">Rows of the weight (all of dweight is written).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Features per position.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, Span<T> dweight, int batch, int time, int width, int maxLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, time, width);
        if (maxLength < time) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must be at least the sequence length {time}.");
        int n = time * width;
        Check(dy.Length, (long)batch * n, nameof(dy));
        Check(dweight.Length, (long)maxLength * width, nameof(dweight));
        dweight.Slice(0, maxLength * width).Clear();
        for (int b = 0; b < batch; b++) AttentionRows.Add(dweight.Slice(0, n), dy.Slice(b * n, n));
        if (!dx.IsEmpty)
        {
            Check(dx.Length, (long)batch * n, nameof(dx));
            dy.Slice(0, batch * n).CopyTo(dx);
        }
    }

    /// <summary>weight ~ N(0, 0.02²).</summary>
    public static void Initialize<T>(Span<T> weight, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
        => Initializers.Normal(weight, 0, InitialStandardDeviation, ref rng);

    internal static void CheckShape(int batch, int time, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
    }

    internal static void Check(int length, long required, string name)
    {
        if (length < required) throw new ArgumentException($"Expected at least {required} elements, got {length}.", name);
    }
}

/// <summary>Global average pooling over time: y[b, f] = (1/time)·Σ_t x[b, t, f] (Keras's <c>GlobalAveragePooling1D</c>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GlobalAveragePooling1D
{
    /// <summary>y[b, :] = mean over t of x[b, t, :].</summary>
    /// <param name="x">Input [batch, time, width].</param>
    /// <param name="y">Output [batch, width].</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Features per position.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int time, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        PositionalEmbedding.CheckShape(batch, time, width);
        PositionalEmbedding.Check(x.Length, (long)batch * time * width, nameof(x));
        PositionalEmbedding.Check(y.Length, (long)batch * width, nameof(y));
        T inverse = T.One / T.CreateTruncating(time);
        for (int b = 0; b < batch; b++)
        {
            Span<T> yr = y.Slice(b * width, width);
            // Σ_t x[b, t, :], then · 1/time.
            x.Slice(b * time * width, width).CopyTo(yr);
            for (int t = 1; t < time; t++) AttentionRows.Add(yr, x.Slice((b * time + t) * width, width));
            RowMath.Scale(yr, inverse);
        }
    }

    /// <summary>dx[b, t, :] = dy[b, :]/time for every t, overwritten.</summary>
    /// <param name="dy">Output gradient [batch, width].</param>
    /// <param name="dx">Input gradient [batch, time, width].</param>
    /// <param name="batch">Samples.</param>
    /// <param name="time">Sequence length.</param>
    /// <param name="width">Features per position.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int time, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        PositionalEmbedding.CheckShape(batch, time, width);
        PositionalEmbedding.Check(dy.Length, (long)batch * width, nameof(dy));
        PositionalEmbedding.Check(dx.Length, (long)batch * time * width, nameof(dx));
        T inverse = T.One / T.CreateTruncating(time);
        for (int b = 0; b < batch; b++)
        {
            Span<T> first = dx.Slice(b * time * width, width);
            dy.Slice(b * width, width).CopyTo(first);
            RowMath.Scale(first, inverse);
            for (int t = 1; t < time; t++) first.CopyTo(dx.Slice((b * time + t) * width, width));
        }
    }
}

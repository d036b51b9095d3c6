using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The forward products of the recurrent kernels, y = x·Wᵀ + b with W [units, inputs] (PyTorch's
/// layout), computed in broadcast form against a transposed copy Wᵀ [inputs, units].
/// </summary>
/// <remarks>
/// Why: the per-step hidden product is small-M (batch rows) × short-K (H) × wide-N (G·H). Dense's dot
/// form sums every output's lanes at the end, which for K = 64–128 costs about as much as the
/// multiply-adds; the broadcast form (Dense.BackwardInput's kernel: a row of x broadcast against
/// contiguous rows of Wᵀ) needs no horizontal sums and no per-element epilogue. Wᵀ is made once per
/// forward call (G·H·inputs copies, against batch·time·G·H·inputs multiply-adds) in a buffer owned by
/// the calling thread, grown on first use and reused after: warm calls allocate nothing. Each output
/// is one FMA chain from zero over the reduction in order, then + bias, whatever the thread count.
/// </remarks>
internal static class RecurrentProducts
{
    [ThreadStatic] private static float[]? t_floats;
    [ThreadStatic] private static double[]? t_doubles;

    /// <summary>Wᵀ [inputs, units] of W [units, inputs], in this thread's buffer (valid until the next call on this thread).</summary>
    public static ReadOnlySpan<T> Transposed<T>(ReadOnlySpan<T> w, int units, int inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = units * inputs;
        Span<T> buffer = Buffer<T>(n);
        // Wᵀ[i, u] = W[u, i], in tiles of 8 × 8 so both sides stay in a few cache lines.
        for (int u0 = 0; u0 < units; u0 += 8)
            for (int i0 = 0; i0 < inputs; i0 += 8)
                for (int u = u0; u < Math.Min(u0 + 8, units); u++)
                    for (int i = i0; i < Math.Min(i0 + 8, inputs); i++)
                        buffer[i * units + u] = w[u * inputs + i];
        return buffer.Slice(0, n);
    }

    /// <summary>y[r, u] = Σᵢ x[r, i]·Wᵀ[i, u] + bias[u] for r &lt; rows (y = x·Wᵀ + b, with the transposed copy).</summary>
    public static void Product<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightTransposed, ReadOnlySpan<T> bias, Span<T> y, int rows, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dx = dy·W with dy := x [rows, inputs], W := Wᵀ [inputs, units], dx := y [rows, units].
        Dense.BackwardInput(x, weightTransposed, y, rows, units, inputs);
        for (int r = 0; r < rows; r++) RecurrentMath.AddInPlace(y.Slice(r * units, units), bias.Slice(0, units));
    }

    private static Span<T> Buffer<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            if (t_floats is null || t_floats.Length < n) t_floats = new float[n];
            return MemoryMarshal.Cast<float, T>(t_floats.AsSpan());
        }
        if (typeof(T) == typeof(double))
        {
            if (t_doubles is null || t_doubles.Length < n) t_doubles = new double[n];
            return MemoryMarshal.Cast<double, T>(t_doubles.AsSpan());
        }
        return new T[n]; // other element types (Half, NFloat): the scalar reference path, not the fast one
    }
}

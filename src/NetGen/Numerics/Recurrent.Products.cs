using System;
using System.Numerics;
using System.Runtime.CompilerServices;
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
    /// <summary>This thread's buffers, by slot: 0 Transposed, 1 StackedTransposed, 2 and 3 the LSTM forward's per-step rows.</summary>
    [ThreadStatic] private static float[]?[]? t_floats;
    [ThreadStatic] private static double[]?[]? t_doubles;

    /// <summary>
    /// The row stride of a product output <paramref name="units"/> wide: one 256-bit vector more when a row is a
    /// multiple of 1 KiB (an LSTM's 4H = 512 floats). Rows of Wᵀ 2 KiB apart map to two of every 4 KiB of L1
    /// sets, so a panel of B that should stay in L1 kept being evicted; measured on the LSTM's products (AVX2,
    /// 32 KiB 8-way L1): 2048×64→512 2.04 ms, →520 1.69 ms; 64 steps of 32×128→512 3.71 ms, →520 3.21 ms.
    /// </summary>
    public static int PaddedWidth<T>(int units) where T : unmanaged
        => units * Unsafe.SizeOf<T>() % 1024 == 0 ? units + 32 / Unsafe.SizeOf<T>() : units;

    /// <summary>
    /// [W_ih W_hh]ᵀ with rows padded to <paramref name="width"/>: [inputs + hidden, width], row i &lt; inputs is
    /// column i of W_ih, row inputs + k column k of W_hh, columns from <paramref name="units"/> on zero. So
    /// [x_t, h_{t−1}]·this = W_ih·x_t + W_hh·h_{t−1} in one product (this thread's buffer, valid until the next call).
    /// </summary>
    public static ReadOnlySpan<T> StackedTransposed<T>(ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, int units, int inputs, int hidden, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (inputs + hidden) * width;
        Span<T> buffer = Buffer<T>(1, n).Slice(0, n);
        buffer.Clear();
        TransposeInto(weightIh, units, inputs, buffer, width);
        TransposeInto(weightHh, units, hidden, buffer.Slice(inputs * width), width);
        return buffer;
    }

    /// <summary>This thread's scratch of <paramref name="n"/> elements in <paramref name="slot"/> (2 or 3), grown on first use.</summary>
    public static Span<T> Scratch<T>(int slot, int n) where T : unmanaged, IFloatingPointIeee754<T> => Buffer<T>(slot, n).Slice(0, n);

    /// <summary>dst[i·width + u] = W[u·inputs + i]: Wᵀ into rows <paramref name="width"/> apart.</summary>
    private static unsafe void TransposeInto<T>(ReadOnlySpan<T> w, int units, int inputs, Span<T> dst, int width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (units == 0 || inputs == 0) return;
        if (dst.Length < (long)(inputs - 1) * width + units) throw new ArgumentException($"The destination needs {(long)(inputs - 1) * width + units} elements, but has {dst.Length}.", nameof(dst));
        fixed (T* pw = w, pd = dst) MatrixTranspose.Transpose(pw, inputs, pd, width, units, inputs);
    }

    /// <summary>Wᵀ [inputs, units] of W [units, inputs], in this thread's buffer (valid until the next call on this thread).</summary>
    public static ReadOnlySpan<T> Transposed<T>(ReadOnlySpan<T> w, int units, int inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = units * inputs;
        Span<T> buffer = Buffer<T>(0, n);
        // Wᵀ[i, u] = W[u, i].
        TransposeInto(w, units, inputs, buffer, units);
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

    private static Span<T> Buffer<T>(int slot, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float[]?[] slots = t_floats ??= new float[4][];
            if (slots[slot] is not { } a || a.Length < n) slots[slot] = a = new float[n];
            return MemoryMarshal.Cast<float, T>(a.AsSpan());
        }
        if (typeof(T) == typeof(double))
        {
            double[]?[] slots = t_doubles ??= new double[4][];
            if (slots[slot] is not { } a || a.Length < n) slots[slot] = a = new double[n];
            return MemoryMarshal.Cast<double, T>(a.AsSpan());
        }
        return new T[n]; // other element types (Half, NFloat): the scalar reference path, not the fast one
    }
}

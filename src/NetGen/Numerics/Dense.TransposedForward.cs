using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The forward product of tall batches with short reductions (a Transformer's projections: 768 rows × 128
/// inputs) in broadcast form: y = x·Wᵀ computed as x times the transposed weights, the kernel that computes
/// dx = dy·W, so no output needs a horizontal lane sum.
/// </summary>
/// <remarks>
/// The dot form's register block (6 rows × 4 units) ends every output with a sum of its vector's lanes; at 128
/// inputs that is one tree of shuffles per 8 multiply-adds, and the dot form reaches about 115 GFLOP/s where the
/// broadcast form of the same shapes reaches 190–215 (Zen 5, one thread, 768 rows, <c>NetGen.Benchmarks
/// --attention</c>: 128 → 384 637 → 393 µs, 128 → 512 860 → 512 µs, 512 → 128 591 → 518 µs). Units that are not
/// whole vectors keep the dot form (128 → 65: 120 µs in the dot form, 161 in the broadcast form's column tails).
/// W is transposed once per call into aligned scratch (slot 2), rows padded to whole cache lines. The output
/// is a different summation order from the dot form's (each element one FMA chain over the inputs in order),
/// fixed by the shape, so the bits still never depend on the thread count.
/// </remarks>
public static unsafe partial class Dense
{
    /// <summary>Whether tall, short-reduction forward products take the broadcast form (tests turn it off to compare).</summary>
    internal static bool TransposedForward { get; set; } = true;

    /// <summary>Rows from which the transposition (inputs × units element moves) is repaid by the faster product.</summary>
    private const int TransposedForwardMinimumRows = 256;

    /// <summary>Largest reduction that takes the broadcast form (the longest measured: 512 inputs, 591 → 518 µs).</summary>
    private const int TransposedForwardMaximumInputs = 512;

    /// <summary>
    /// Whether this product takes <see cref="TransposedForwardProduct"/>: AVX-512, tall, short reduction, whole vectors
    /// of units. The shape alone decides (never the activation), so z has the same bits whatever f follows.
    /// </summary>
    internal static bool UseTransposedForward<T>(int batch, int inputs, int units) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedForward && Simd.Use512<T>() && batch >= TransposedForwardMinimumRows && inputs <= TransposedForwardMaximumInputs
           && units % Vector512<T>.Count == 0;

    /// <summary>z = x·Wᵀ + b by the broadcast kernel on Wᵀ, then y = f(z).</summary>
    private static void TransposedForwardProduct<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        int stride = AlignedScratch.PaddedStride<T>(units);
        T* transposed = AlignedScratch.Get<T>(2, (nint)inputs * stride);
        fixed (T* pw = w) MatrixTranspose.Transpose(pw, inputs, transposed, stride, units, inputs);
        // z[b, u] = Σᵢ x[b, i]·Wᵀ[i, u]: rows = samples, reduction = inputs, B row i = Wᵀ[i, :].
        BroadcastProduct<T, Vector512<T>, Simd512<T>>(x, inputs, 1, new ReadOnlySpan<T>(transposed, inputs * stride), stride, z, units, batch, units, inputs);
        // + bias, then the activation (one vector pass when it has vector forms), as the dot form's epilogue.
        for (int b = 0; b < batch; b++) AttentionRows.Add(z.Slice(b * units, units), bias);
        if (typeof(TOp) == typeof(LinearOperator<T>))
        {
            if (!Unsafe.AreSame(ref z[0], ref y[0])) z.Slice(0, batch * units).CopyTo(y);
        }
        else if (TOp.IsVectorized) Activations.Forward(op, z.Slice(0, batch * units), y);
        else for (int o = 0; o < batch * units; o++) y[o] = op.Invoke(z[o]);
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// Dropout's mask, written once for the CPU kernel (<see cref="Dropout.Forward"/>) and the generated GPU
/// kernels. Element i of a call drops when draw i of the layer's SplitMix64 stream, i.e.
/// mix(state + (i + 1)·γ), satisfies NextDouble() &lt; rate; as an integer test that is
/// (bits &gt;&gt; 11) &lt; ⌈rate·2⁵³⌉, so devices need no doubles.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutMask
{
    /// <summary>SplitMix64's increment γ.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>⌈rate·2⁵³⌉: the draws whose top 53 bits fall below it are dropped.</summary>
    public static ulong Threshold(double rate)
    {
        double scaled = Math.Ceiling(rate * 9007199254740992.0);
        return scaled > 0 ? (ulong)Math.Min(scaled, 9007199254740992.0) : 0;
    }

    /// <summary>The bits of draw <paramref name="index"/> (from 0) of a stream in state <paramref name="state"/>, without advancing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Draw(ulong state, ulong index) => new SplitMix64(unchecked(state + index * Gamma)).NextUInt64();

    /// <summary>Whether a draw drops its element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Drops(ulong bits, ulong threshold) => (bits >> 11) < threshold;

    /// <summary>
    /// Draws a mask without applying it: mask[i] = 0 when the generator's (i+1)-th draw drops (probability
    /// <paramref name="rate"/>), else 1/(1 − rate) — the same bits as the mask <see cref="Dropout.Forward"/> writes
    /// from the same state. The generator advances by mask.Length draws. Nothing is allocated.
    /// </summary>
    /// <param name="mask">The mask to fill, every element.</param>
    /// <param name="rate">The probability of dropping, in [0, 1).</param>
    /// <param name="rng">The network's dropout generator.</param>
    public static void Fill<T>(Span<T> mask, double rate, ref SplitMix64 rng) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        T keep = KeepScale<T>(rate);
        ulong threshold = Threshold(rate);
        // mask[i] = 0 if draw i falls below the threshold, else the kept scale.
        for (int i = 0; i < mask.Length; i++) mask[i] = Drops(rng.NextUInt64(), threshold) ? T.Zero : keep;
    }

    /// <summary>The kept elements' scale, 1 / (1 − rate), in the element type.</summary>
    public static T KeepScale<T>(double rate) where T : System.Numerics.INumberBase<T> => T.CreateTruncating(1.0 / (1.0 - rate));
}

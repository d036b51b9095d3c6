using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>PyTorch's initialisations for the sequence layers.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SequenceInitializers
{
    /// <summary>
    /// U(−1/√H, 1/√H), what <c>nn.RNN</c>, <c>nn.LSTM</c> and <c>nn.GRU</c> use for all four tensors
    /// (weight_ih, weight_hh, bias_ih, bias_hh); call once per tensor.
    /// </summary>
    public static void Recurrent<T>(Span<T> tensor, int hidden, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        Initializers.Uniform(tensor, 1.0 / Math.Sqrt(hidden), ref rng);
    }

    /// <summary>N(mean, std²) by Box–Muller (two uniforms per pair of values): <c>nn.Embedding</c> uses N(0, 1).</summary>
    public static void Normal<T>(Span<T> tensor, double mean, double std, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
        => Initializers.Normal(tensor, mean, std, ref rng);
}

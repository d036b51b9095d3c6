using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// SplitMix64: a tiny, fast generator whose whole state is one <see cref="ulong"/>, so a network can
/// save and restore it. The same seed gives the same numbers on every machine and .NET version.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public struct SplitMix64(ulong state)
{
    /// <summary>The state; setting it rewinds or replays the sequence.</summary>
    public ulong State = state;

    /// <summary>The generator for an <see cref="int"/> seed.</summary>
    public static SplitMix64 FromSeed(int seed) => new(0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed);

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}

/// <summary>Parameter initialisation: He (Kaiming) uniform before ReLU-family activations, Glorot (Xavier) uniform otherwise.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static partial class Initializers
{
    /// <summary>U(−b, b) with b = √(6 / fanIn) (<c>kaiming_uniform_</c>, gain √2).</summary>
    public static void HeUniform<T>(Span<T> w, int fanIn, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
        => Uniform(w, Math.Sqrt(6.0 / fanIn), ref rng);

    /// <summary>U(−b, b) with b = √(6 / (fanIn + fanOut)) (<c>xavier_uniform_</c>).</summary>
    public static void GlorotUniform<T>(Span<T> w, int fanIn, int fanOut, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
        => Uniform(w, Math.Sqrt(6.0 / (fanIn + fanOut)), ref rng);

    /// <summary>U(−bound, bound), drawn in double and rounded once.</summary>
    public static void Uniform<T>(Span<T> w, double bound, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i++) w[i] = T.CreateTruncating((2.0 * rng.NextDouble() - 1.0) * bound);
    }

    /// <summary>N(mean, deviation²) by Box–Muller from pairs of draws (two values per pair), drawn in double and rounded once (Embedding: N(0, 1)).</summary>
    public static void Normal<T>(Span<T> w, double mean, double deviation, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i += 2)
        {
            // u₁ ∈ (0, 1] so the logarithm is finite; r = √(−2 ln u₁), θ = 2π·u₂; z₀ = r·cos θ, z₁ = r·sin θ.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1)), theta = 2.0 * Math.PI * u2;
            w[i] = T.CreateTruncating(mean + deviation * r * Math.Cos(theta));
            if (i + 1 < w.Length) w[i + 1] = T.CreateTruncating(mean + deviation * r * Math.Sin(theta));
        }
    }

    /// <summary>Every element set to one value (PReLU slopes start at 0.25).</summary>
    public static void Constant<T>(Span<T> w, T value) where T : unmanaged, IFloatingPointIeee754<T> => w.Fill(value);
}

using System;
using System.Numerics;
using NetGen.Numerics;

namespace NetGen.Gan;

/// <summary>
/// The generator's input: latent vectors drawn from N(0, 1) (as <c>torch.randn</c>), seeded and
/// reproducible, without allocation.
/// </summary>
public static class LatentNoise
{
    /// <summary>
    /// Fills <paramref name="z"/> with independent standard normal values by the Box–Muller
    /// transform: two uniforms u1 ∈ (0, 1], u2 ∈ [0, 1) give r = √(−2·ln u1) and the pair
    /// r·cos(2πu2), r·sin(2πu2). The same generator state gives the same values.
    /// </summary>
    public static void Normal<T>(Span<T> z, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i += 2)
        {
            // u1 in (0, 1] so the logarithm is finite.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
            z[i] = T.CreateTruncating(radius * cos);
            if (i + 1 < z.Length) z[i + 1] = T.CreateTruncating(radius * sin);
        }
    }

    /// <summary>
    /// Fills <paramref name="z"/> with standard normal values truncated to [−<paramref name="threshold"/>,
    /// <paramref name="threshold"/>]: a value beyond it is drawn again (BigGAN's truncation trick, which trades the
    /// samples' variety for their fidelity). The same generator state gives the same values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not positive and finite.</exception>
    public static void TruncatedNormal<T>(Span<T> z, double threshold, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(threshold > 0 && double.IsFinite(threshold)))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The truncation threshold must be positive and finite.");
        int filled = 0;
        while (filled < z.Length)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
            if (Math.Abs(radius * cos) <= threshold) z[filled++] = T.CreateTruncating(radius * cos);
            if (filled < z.Length && Math.Abs(radius * sin) <= threshold) z[filled++] = T.CreateTruncating(radius * sin);
        }
    }
}

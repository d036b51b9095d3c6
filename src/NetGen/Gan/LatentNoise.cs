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
}

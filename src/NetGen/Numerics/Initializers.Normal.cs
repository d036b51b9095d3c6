using System;
using System.Numerics;

namespace NetGen.Numerics;

public static partial class Initializers
{
    /// <summary>
    /// N(mean, std²) (<c>nn.init.normal_</c>): Box–Muller in double from two uniforms of
    /// <paramref name="rng"/> per pair of values, each value rounded once.
    /// </summary>
    public static void Normal<T>(Span<T> w, double mean, double standardDeviation, ref SplitMix64 rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Length; i += 2)
        {
            // r = √(−2 ln u₁) with u₁ in (0, 1]; the pair r·cos(2πu₂), r·sin(2πu₂) is independent N(0, 1).
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * u2);
            w[i] = T.CreateTruncating(mean + standardDeviation * r * cos);
            if (i + 1 < w.Length) w[i + 1] = T.CreateTruncating(mean + standardDeviation * r * sin);
        }
    }
}

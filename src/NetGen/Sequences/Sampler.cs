using System;
using System.Numerics;
using NetGen.Numerics;

namespace NetGen.Sequences;

/// <summary>
/// Draws the next token for generation from one row of logits or probabilities, with temperature
/// and top-k, from a seeded <see cref="SplitMix64"/> (the same seed and inputs give the same tokens
/// on every machine). Allocation-free: the caller passes a scratch of <see cref="ScratchLength"/> doubles.
/// </summary>
public static class Sampler
{
    /// <summary>The scratch a call needs for <paramref name="classes"/> classes: 2·classes doubles.</summary>
    public static int ScratchLength(int classes) => 2 * classes;

    /// <summary>
    /// Samples i with probability ∝ exp(logitᵢ / temperature) over the <paramref name="topK"/> largest
    /// logits (topK ≤ 0 or ≥ the row length: all; ties at the k-th value are taken in index order, so
    /// exactly k candidates remain). temperature ≤ 0 returns the arg max (the first one on ties) and
    /// draws nothing.
    /// </summary>
    public static int FromLogits<T>(ReadOnlySpan<T> logits, double temperature, int topK, ref SplitMix64 rng, Span<double> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = logits.Length;
        Check(n, scratch.Length);
        Span<double> z = scratch.Slice(0, n);
        for (int i = 0; i < n; i++)
        {
            z[i] = double.CreateTruncating(logits[i]);
            if (double.IsNaN(z[i]) || double.IsPositiveInfinity(z[i])) throw new ArgumentException($"Logit {i} is {z[i]}.", nameof(logits));
        }
        return Sample(z, scratch.Slice(n, n), temperature, topK, ref rng);
    }

    /// <summary>
    /// The same from probabilities (a softmax row): p^(1/temperature), renormalised, is the
    /// distribution sampled, which is <see cref="FromLogits"/> on log p. Zero probabilities are never drawn.
    /// </summary>
    public static int FromProbabilities<T>(ReadOnlySpan<T> probabilities, double temperature, int topK, ref SplitMix64 rng, Span<double> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = probabilities.Length;
        Check(n, scratch.Length);
        Span<double> z = scratch.Slice(0, n);
        for (int i = 0; i < n; i++)
        {
            double p = double.CreateTruncating(probabilities[i]);
            if (!(p >= 0) || double.IsPositiveInfinity(p)) throw new ArgumentException($"Probability {i} is {p}; expected a finite value ≥ 0.", nameof(probabilities));
            z[i] = Math.Log(p);
        }
        return Sample(z, scratch.Slice(n, n), temperature, topK, ref rng);
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty) throw new ArgumentException("The row is empty.", nameof(values));
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static void Check(int n, int scratch)
    {
        if (n == 0) throw new ArgumentException("The row to sample from is empty.");
        if (scratch < 2L * n) throw new ArgumentException($"The scratch needs {2L * n} doubles (2 × {n} classes), got {scratch}.", nameof(scratch));
    }

    /// <summary>z: the logits as doubles (finite or −∞), destroyed; weights: n doubles.</summary>
    private static int Sample(Span<double> z, Span<double> weights, double temperature, int topK, ref SplitMix64 rng)
    {
        int n = z.Length, best = ArgMax<double>(z);
        if (double.IsNegativeInfinity(z[best])) throw new ArgumentException("Every class has probability zero (logit −∞).");
        if (!(temperature > 0)) return best;
        int k = topK <= 0 || topK >= n ? n : topK;

        // The k-th largest value (a selection on a copy) and how many ties at it may still enter.
        z.CopyTo(weights);
        double threshold = k == n ? double.NegativeInfinity : KthLargest(weights, k);
        int above = 0;
        if (k < n) foreach (double v in z) if (v > threshold) above++;
        int tiesLeft = k - above;

        // wᵢ = exp((zᵢ − z_max) / temperature) for the candidates, 0 for the rest; Σ w ≥ 1 (the max has weight 1).
        double zMax = z[best], total = 0;
        for (int i = 0; i < n; i++)
        {
            bool candidate = k == n || z[i] > threshold || (z[i] == threshold && tiesLeft-- > 0);
            weights[i] = candidate ? Math.Exp((z[i] - zMax) / temperature) : 0.0;
            total += weights[i];
        }

        // Inverse CDF: the first i whose running sum passes u·Σw (rounding can only leave the last candidate).
        double u = rng.NextDouble() * total, running = 0;
        int last = best;
        for (int i = 0; i < n; i++)
        {
            if (weights[i] == 0) continue;
            running += weights[i];
            last = i;
            if (running > u) return i;
        }
        return last;
    }

    /// <summary>The k-th largest element (1-based) by quickselect with a median-of-three pivot; reorders <paramref name="values"/>.</summary>
    private static double KthLargest(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1, target = k - 1; // rank in descending order
        while (lo < hi)
        {
            // Median of three as the pivot, then a Hoare partition into ≥ pivot | ≤ pivot.
            int mid = lo + (hi - lo) / 2;
            double a = values[lo], b = values[mid], c = values[hi];
            double pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] > pivot) i++;
                while (values[j] < pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return values[target];
        }
        return values[target];
    }
}

using System;
using System.Runtime.CompilerServices;
using NetGen.Sequences;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

public class SamplerTests
{
    private static readonly float[] Logits = [0.5f, 2.0f, -1.0f, 1.5f, 0.0f, 3.0f, -0.5f, 1.0f];

    private static int[] Draw(float[] logits, double temperature, int topK, int seed, int count)
    {
        var rng = SplitMix64.FromSeed(seed);
        double[] scratch = new double[Sampler.ScratchLength(logits.Length)];
        var drawn = new int[count];
        for (int i = 0; i < count; i++) drawn[i] = Sampler.FromLogits<float>(logits, temperature, topK, ref rng, scratch);
        return drawn;
    }

    [Fact]
    public void The_same_seed_gives_the_same_tokens_and_another_seed_others()
    {
        Assert.Equal(Draw(Logits, 1.0, 0, 7, 200), Draw(Logits, 1.0, 0, 7, 200));
        Assert.NotEqual(Draw(Logits, 1.0, 0, 7, 200), Draw(Logits, 1.0, 0, 8, 200));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Top_k_never_picks_outside_the_k_largest_and_reaches_all_of_them(int k)
    {
        // Sorted descending the logits are 3.0 (5), 2.0 (1), 1.5 (3), 1.0 (7), 0.5 (0).
        int[] order = [5, 1, 3, 7, 0, 4, 6, 2];
        int[] drawn = Draw(Logits, 5.0, k, 3, 4000); // a high temperature, so every candidate is drawn often
        var seen = new bool[Logits.Length];
        foreach (int i in drawn)
        {
            Assert.Contains(i, order.AsSpan(0, k).ToArray());
            seen[i] = true;
        }
        for (int r = 0; r < k; r++) Assert.True(seen[order[r]], $"top-{k} candidate {order[r]} never drawn");
    }

    [Fact]
    public void Top_k_with_ties_keeps_exactly_k_candidates()
    {
        float[] tied = [1f, 2f, 2f, 2f, 0f];
        int[] drawn = Draw(tied, 100.0, 2, 1, 3000);
        foreach (int i in drawn) Assert.True(i == 1 || i == 2, $"drew {i}");
        Assert.Contains(1, drawn);
        Assert.Contains(2, drawn);
    }

    [Fact]
    public void Temperature_towards_zero_is_the_arg_max()
    {
        Assert.All(Draw(Logits, 0.0, 0, 1, 50), i => Assert.Equal(5, i));
        Assert.All(Draw(Logits, 1e-6, 0, 1, 500), i => Assert.Equal(5, i));
        Assert.All(Draw(Logits, 1e-6, 3, 2, 500), i => Assert.Equal(5, i));
        Assert.Equal(5, Sampler.ArgMax<float>(Logits));
    }

    [Fact]
    public void Frequencies_follow_the_softmax_at_temperature_one_and_probabilities_match_logits()
    {
        const int n = 40000;
        int[] counts = new int[Logits.Length];
        foreach (int i in Draw(Logits, 1.0, 0, 11, n)) counts[i]++;
        double total = 0;
        foreach (float z in Logits) total += Math.Exp(z);
        for (int i = 0; i < Logits.Length; i++)
        {
            double p = Math.Exp(Logits[i]) / total, sd = Math.Sqrt(p * (1 - p) / n);
            Assert.True(Math.Abs(counts[i] / (double)n - p) <= 5 * sd + 1e-9, $"class {i}: frequency {counts[i] / (double)n}, softmax {p}");
        }
        // From probabilities: p = softmax(logits), so the same draws (log p = logit − log Σ, same distribution, same uniforms).
        double[] probabilities = Array.ConvertAll(Logits, z => Math.Exp(z) / total);
        var a = SplitMix64.FromSeed(4); var b = SplitMix64.FromSeed(4);
        double[] scratch = new double[2 * Logits.Length];
        int same = 0;
        for (int i = 0; i < 1000; i++)
            if (Sampler.FromLogits<float>(Logits, 0.7, 0, ref a, scratch) == Sampler.FromProbabilities<double>(probabilities, 0.7, 0, ref b, scratch)) same++;
        Assert.True(same >= 995, $"{same} of 1000 draws agree"); // only float rounding at a boundary may differ
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Zero_probabilities_are_never_drawn_bad_rows_throw_and_sampling_allocates_nothing()
    {
        double[] p = [0.0, 0.5, 0.0, 0.5];
        var rng = SplitMix64.FromSeed(1);
        double[] scratch = new double[8];
        for (int i = 0; i < 500; i++) Assert.Contains(Sampler.FromProbabilities<double>(p, 1.3, 0, ref rng, scratch), new[] { 1, 3 });
        Assert.Throws<ArgumentException>(() => Sampler.FromLogits<float>([1f, float.NaN], 1.0, 0, ref rng, scratch));
        Assert.Throws<ArgumentException>(() => Sampler.FromProbabilities<double>([0.5, -0.1], 1.0, 0, ref rng, scratch));
        Assert.Throws<ArgumentException>(() => Sampler.FromLogits<float>(Logits, 1.0, 0, ref rng, new double[3]));
        Assert.Throws<ArgumentException>(() => Sampler.FromLogits<float>([], 1.0, 0, ref rng, scratch));

        double[] big = new double[2 * Logits.Length];
        Sampler.FromLogits<float>(Logits, 0.8, 3, ref rng, big);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Sampler.FromLogits<float>(Logits, 0.8, 3, ref rng, big);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

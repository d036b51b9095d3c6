using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// The generated Step of causal attention networks (key/value caches): on every prefix its output equals Predict's
/// row at the prefix's last position (the positions after it filled with other tokens, which a causal network
/// ignores), in double to 1e-12 and in float to a tight tolerance; 0 bytes per Step; past MaxSteps an
/// InvalidOperationException until ResetState; non-causal attention has no Step.
/// </summary>
public class GptStepTests
{
    private static int[] Ids(int count, int vocabulary, int seed)
    {
        var rng = SplitMix64.FromSeed(seed);
        return Enumerable.Range(0, count).Select(_ => (int)(rng.NextUInt64() % (ulong)vocabulary)).ToArray();
    }

    /// <summary>
    /// For each prefix length p: Predict on the prefix followed by other tokens, row p − 1, against the p-th Step.
    /// Predict runs between the steps (the two share activation buffers, not the Step state).
    /// </summary>
    private static void StepEqualsPredictOnEveryPrefix<TNet, T>(TNet net, Action<int, T[]> step, Action resetState, int time, int vocabulary, int stepOutputs, double tolerance)
        where TNet : ITokenNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] ids = Ids(time, vocabulary, 11);
        T[] row = new T[stepOutputs], all = new T[time * stepOutputs];
        Assert.Equal(net.OutputSize, all.Length);
        for (int pass = 0; pass < 2; pass++) // the second pass after ResetState must give the same again
        {
            resetState();
            for (int p = 1; p <= time; p++)
            {
                step(ids[p - 1], row);
                // The tokens after the prefix differ from the sequence's own (and per prefix): causality makes them irrelevant.
                int[] input = ids.Take(p).Concat(Ids(time - p, vocabulary, 100 + p).Select(v => (v + 1) % vocabulary)).ToArray();
                net.Predict(input, all);
                for (int o = 0; o < stepOutputs; o++)
                {
                    double expected = double.CreateTruncating(all[(p - 1) * stepOutputs + o]), actual = double.CreateTruncating(row[o]);
                    Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
                        $"{typeof(TNet).Name} prefix {p}, output {o}: Predict {expected:R}, Step {actual:R}");
                }
            }
        }
    }

    [Fact]
    public void OneBlockOneHeadDouble()
    {
        var net = new StepGptOneBlock();
        net.InitializeParameters(3);
        Assert.Equal(5, StepGptOneBlock.MaxSteps);
        StepEqualsPredictOnEveryPrefix<StepGptOneBlock, double>(net, (t, o) => net.Step(t, o), net.ResetState, 5, 7, StepGptOneBlock.StepOutputSize, 1e-12);
    }

    [Fact]
    public void TwoBlocksThreeHeadsThenOneDouble()
    {
        var net = new GcTokenGpt();
        net.InitializeParameters(4);
        Assert.Equal(11, GcTokenGpt.StepOutputSize);
        StepEqualsPredictOnEveryPrefix<GcTokenGpt, double>(net, (t, o) => net.Step(t, o), net.ResetState, 7, 11, GcTokenGpt.StepOutputSize, 1e-12);
    }

    [Fact]
    public void MultiHeadAttentionStackDouble()
    {
        var net = new StepAttentionStack();
        net.InitializeParameters(5);
        StepEqualsPredictOnEveryPrefix<StepAttentionStack, double>(net, (t, o) => net.Step(t, o), net.ResetState, 6, 9, StepAttentionStack.StepOutputSize, 1e-12);
    }

    [Fact]
    public void HeadsEqualToTheWidthThenOneHeadOver17Double()
    {
        var net = new StepGptWide();
        net.InitializeParameters(6);
        StepEqualsPredictOnEveryPrefix<StepGptWide, double>(net, (t, o) => net.Step(t, o), net.ResetState, 4, 5, StepGptWide.StepOutputSize, 1e-12);
    }

    [Fact]
    public void TwoBlocksFourHeadsFloat()
    {
        var net = new FloatTokenGpt();
        net.InitializeParameters(7);
        StepEqualsPredictOnEveryPrefix<FloatTokenGpt, float>(net, (t, o) => net.Step(t, o), net.ResetState, 16, 29, FloatTokenGpt.StepOutputSize, 2e-6);
    }

    [Fact]
    public void StepPastTimeStepsThrowsUntilResetState()
    {
        var net = new StepGptOneBlock();
        double[] row = new double[StepGptOneBlock.StepOutputSize], first = new double[row.Length];
        net.Step(2, first);
        for (int t = 1; t < StepGptOneBlock.MaxSteps; t++) net.Step(t % 7, row);
        var e = Assert.Throws<InvalidOperationException>(() => net.Step(1, row));
        Assert.Contains("5 steps", e.Message);
        Assert.Contains("ResetState", e.Message);
        Assert.Throws<InvalidOperationException>(() => net.Step(1, row)); // still full
        net.ResetState();
        net.Step(2, row);
        Assert.Equal(first, row); // position 0 again, the same distribution bit for bit
    }

    [Fact]
    public void BadTokenOrOutputSizeThrowsWithoutTakingAStep()
    {
        var net = new StepGptOneBlock();
        double[] row = new double[StepGptOneBlock.StepOutputSize], first = new double[row.Length];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.Step(7, row));
        Assert.Contains("7", e.Message);
        Assert.Throws<ArgumentException>(() => net.Step(1, new double[StepGptOneBlock.StepOutputSize + 1]));
        net.Step(2, first);
        net.ResetState();
        net.Step(2, row);
        Assert.Equal(first, row);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void StepAllocatesNothingAfterTheFirst()
    {
        var net = new FloatTokenGpt();
        float[] row = new float[FloatTokenGpt.StepOutputSize];
        int[] ids = Ids(FloatTokenGpt.MaxSteps, 29, 9);
        net.Step(ids[0], row);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 50; round++)
        {
            net.ResetState();
            foreach (int id in ids) net.Step(id, row);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, row.Sum(), 4);
    }

    [Fact]
    public void NonCausalAttentionHasNoStep()
    {
        Assert.Null(typeof(NonCausalTokenEncoder).GetMethod("Step"));
        Assert.Null(typeof(NonCausalTokenEncoder).GetMethod("ResetState"));
        Assert.Null(typeof(GcTokenBert).GetMethod("Step"));
        Assert.NotNull(typeof(StepAttentionStack).GetMethod("Step"));
    }
}

using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// DESIGN.md §6, Concurrency, for the inference-only classes ([Network(Weights = ...)]): many threads calling
/// Predict on one instance, with mixed batch sizes (some above ScratchBatch), get bit for bit what one thread gets;
/// one thread alone allocates nothing, from the first call on (the pool's first scratch set is made with the instance).
/// </summary>
public class EmbeddedConcurrencyTests
{
    private static readonly int[] BatchSizes = { 1, 3, 17, 40, 5, 1, 33 };

    private static float[] Inputs(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
    }

    [Fact]
    public void ManyThreadsOnOneInferenceOnlyInstanceGetTheSequentialOutputsBitForBit()
    {
        const int samples = 2_000, calls = 1_500;
        var net = new EmbeddedConv();
        float[] x = Inputs(samples * EmbeddedConv.InputSize, 4);
        var rng = new Random(5);
        (int Start, int Batch)[] plan = Enumerable.Range(0, calls).Select(i =>
        {
            int batch = BatchSizes[i % BatchSizes.Length];
            return (rng.Next(samples - batch), batch);
        }).ToArray();

        // One thread, the calls in order; then the same calls from many threads at once, in another order.
        float[][] expected = plan.Select(c => Predict(net, x, c.Start, c.Batch)).ToArray();
        float[][] actual = new float[calls][];
        Parallel.For(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 12 }, i =>
        {
            int k = (int)((i * 7919L) % calls);
            actual[k] = Predict(net, x, plan[k].Start, plan[k].Batch);
        });

        int different = 0;
        for (int k = 0; k < calls; k++)
            for (int j = 0; j < expected[k].Length; j++)
                if (BitConverter.SingleToInt32Bits(expected[k][j]) != BitConverter.SingleToInt32Bits(actual[k][j])) different++;
        Assert.Equal(0, different);
        Assert.Contains(expected, y => y.Any(v => v != 0));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void OneThreadAllocatesNothingFromTheFirstCall()
    {
        var net = new EmbeddedMlp();
        float[] x = Inputs(40 * EmbeddedMlp.InputSize, 6);
        float[] y = new float[40 * EmbeddedMlp.OutputSize];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            net.Predict(x, y, 40);
            net.Predict(x.AsSpan(0, EmbeddedMlp.InputSize), y.AsSpan(0, EmbeddedMlp.OutputSize));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static float[] Predict(EmbeddedConv net, float[] x, int start, int batch)
    {
        var y = new float[batch * EmbeddedConv.OutputSize];
        net.Predict(x.AsSpan(start * EmbeddedConv.InputSize, batch * EmbeddedConv.InputSize), y, batch);
        return y;
    }
}

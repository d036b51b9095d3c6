using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Issue 17 item 2 (DESIGN.md §6, Concurrency): many threads calling Predict on one instance, with mixed
/// batch sizes, get bit for bit what one thread gets; one thread alone still allocates nothing.
/// </summary>
public class ConcurrentPredictTests
{
    private static readonly int[] BatchSizes = { 1, 3, 17, 64, 5, 1, 33 };

    /// <summary>Calls: (first sample, batch size), mixed sizes, over a pool of samples.</summary>
    private static (int Start, int Batch)[] Calls(int count, int samples)
    {
        var rng = Numerics.SplitMix64.FromSeed(3);
        return Enumerable.Range(0, count).Select(i =>
        {
            int batch = BatchSizes[i % BatchSizes.Length];
            return ((int)(rng.NextUInt64() % (ulong)(samples - batch)), batch);
        }).ToArray();
    }

    [Fact]
    public void ManyThreadsWithMixedBatchSizesGetTheSequentialOutputsBitForBit()
    {
        const int samples = 20_000, calls = 6_000;
        var net = new SharedClassifier();
        float[] x = GradientCheck.Random(samples * SharedClassifier.InputSize, 8).Select(v => (float)v).ToArray();
        (int Start, int Batch)[] plan = Calls(calls, samples);

        // The sequential run: one thread, the same calls in order.
        float[][] expected = plan.Select(c =>
        {
            var y = new float[c.Batch * SharedClassifier.OutputSize];
            Predict(net, x, c.Start, c.Batch, y);
            return y;
        }).ToArray();

        // The same calls from many threads at once, in another order, on the same instance.
        float[][] actual = plan.Select(c => new float[c.Batch * SharedClassifier.OutputSize]).ToArray();
        int started = 0;
        Parallel.For(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            int k = (int)((i * 7919L) % calls);
            Interlocked.Increment(ref started);
            Predict(net, x, plan[k].Start, plan[k].Batch, actual[k]);
        });
        Assert.Equal(calls, started);

        int different = 0;
        for (int k = 0; k < calls; k++)
            for (int j = 0; j < expected[k].Length; j++)
                if (BitConverter.SingleToInt32Bits(expected[k][j]) != BitConverter.SingleToInt32Bits(actual[k][j])) different++;
        Assert.Equal(0, different);
        Assert.Contains(expected, y => y.Any(v => v != 0));
    }

    [Fact]
    public void ConcurrentSingleSamplePredictMatchesTheSequentialRun()
    {
        const int samples = 4_000;
        var net = new SharedClassifier(seed: 5);
        float[] x = GradientCheck.Random(samples * SharedClassifier.InputSize, 9).Select(v => (float)v).ToArray();
        var sequential = new float[samples * SharedClassifier.OutputSize];
        for (int s = 0; s < samples; s++) net.Predict(x.AsSpan(s * 64, 64), sequential.AsSpan(s * 3, 3));
        var single = new float[samples * SharedClassifier.OutputSize];
        Parallel.For(0, samples, new ParallelOptions { MaxDegreeOfParallelism = 12 },
            s => net.Predict(x.AsSpan(s * 64, 64), single.AsSpan(s * 3, 3)));
        Assert.Equal(sequential, single);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void SingleThreadPredictAllocatesNothingAfterTheFirstCall()
    {
        var net = new SharedClassifier();
        float[] x = GradientCheck.Random(64 * SharedClassifier.InputSize, 10).Select(v => (float)v).ToArray();
        var y = new float[64 * SharedClassifier.OutputSize];
        // The first call at each batch size (and the first read of BatchSizes) may set things up once.
        foreach (int batch in BatchSizes)
        {
            net.Predict(x.AsSpan(0, batch * 64), y.AsSpan(0, batch * 3), batch);
            net.Predict(x.AsSpan(0, 64), y.AsSpan(0, 3));
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2_000; i++)
        {
            int batch = BatchSizes[i % BatchSizes.Length];
            net.Predict(x.AsSpan(0, batch * 64), y.AsSpan(0, batch * 3), batch);
            net.Predict(x.AsSpan(0, 64), y.AsSpan(0, 3));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PredictDuringConcurrentPredictsLeavesTrainingStateAlone()
    {
        // Predict does not touch the instance's training buffers: ComputeLoss before and after many concurrent Predicts agree.
        var net = new SharedClassifier();
        float[] x = GradientCheck.Random(17 * 64, 11).Select(v => (float)v).ToArray();
        float[] t = new float[17 * 3];
        for (int i = 0; i < 17; i++) t[i * 3 + i % 3] = 1;
        float loss = net.ComputeLoss(x, t, 17);
        Parallel.For(0, 2_000, i => { var y = new float[3]; net.Predict(x.AsSpan(i % 17 * 64, 64), y); });
        Assert.Equal(loss, net.ComputeLoss(x, t, 17));
    }

    private static void Predict(SharedClassifier net, float[] x, int start, int batch, float[] y)
    {
        if (batch == 1) net.Predict(x.AsSpan(start * 64, 64), y);
        else net.Predict(x.AsSpan(start * 64, batch * 64), y, batch);
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Data;
using Xunit;

namespace NetGen.Distributed.Tests;

/// <summary>What stops a run from silently training the wrong thing, and the step's allocation-freedom.</summary>
public class SafeguardTests
{
    [Fact]
    public void A_rank_starting_from_other_parameters_is_named_before_any_step()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            DataParallelTrainer.Fit(new SgdNet(), SyntheticData.Classes(20, seed: 1), new DataParallelOptions { GlobalBatchSize = 8 }, new TwinGroup(perturb: 2)));
        Assert.Contains("Rank 1 differs from rank 0 in the parameters", e.Message);
    }

    [Fact]
    public void A_rank_with_other_data_is_named_before_any_step()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            DataParallelTrainer.Fit(new SgdNet(), SyntheticData.Classes(20, seed: 1), new DataParallelOptions { GlobalBatchSize = 8 }, new TwinGroup(perturb: 4)));
        Assert.Contains("Rank 1 differs from rank 0 in the training sample count", e.Message);
    }

    [Fact]
    public void Verify_refuses_an_update_that_is_not_the_networks_and_leaves_the_network_as_it_was()
    {
        var net = new MomentumNet();
        (float[] x, float[] t) = SyntheticData.Batch<float>(SyntheticData.Classes(6, seed: 2), 0, 6, 3);
        net.TrainStep(x, t, 6); // non-zero optimizer state and step
        byte[] before = Snapshot(net);
        OptimizerUpdate<float>.For(typeof(MomentumNet)).Verify(net, x, t, 6);
        Assert.Equal(before, Snapshot(net));
        var e = Assert.Throws<NotSupportedException>(() => OptimizerUpdate<float>.For(typeof(SgdNet)).Verify(net, x, t, 6));
        Assert.Contains("MomentumNet", e.Message);
        Assert.Equal(before, Snapshot(net));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void A_step_allocates_nothing_after_warm_up()
    {
        Dataset data = SyntheticData.Classes(40, seed: 3);
        var net = new AdamDropoutNet();
        var step = new ShardedGradientStep<AdamDropoutNet, float>(net, data, ShardPlan.Create(4, 1, 0), SingleProcessCollectives.Instance, 16);
        int[] full = new int[16], tail = new int[8];
        for (int i = 0; i < 16; i++) full[i] = i;
        for (int i = 0; i < 8; i++) tail[i] = 32 + i;
        step.Run(data, full);
        step.Run(data, tail); // every part size once
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) step.Run(data, i % 2 == 0 ? full : tail);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"50 steps allocated {allocated} bytes");
    }

    private static byte[] Snapshot(MomentumNet net) =>
        [.. MemoryMarshal.AsBytes(net.Parameters), .. MemoryMarshal.AsBytes(net.OptimizerState), .. BitConverter.GetBytes(net.OptimizerStep), .. BitConverter.GetBytes(net.RandomState)];

    /// <summary>Two ranks seen from rank 0: rank 1 sends what rank 0 sends, except one long changed at <c>perturb</c>.</summary>
    private sealed class TwinGroup(int perturb) : ICollectives
    {
        public int Rank => 0;
        public int Size => 2;
        public void AllGather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
        {
            send.CopyTo(receive);
            send.CopyTo(receive[send.Length..]);
            if (typeof(T) == typeof(long)) MemoryMarshal.Cast<T, long>(receive[send.Length..])[perturb] ^= 1;
        }
        public void Broadcast<T>(Span<T> values, int root) where T : unmanaged { }
        public void Barrier() { }
    }
}

using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>0 bytes allocated across many forward + backward passes and many Steps, after a warm-up.</summary>
public class RecurrentAllocationTests
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Theory]
    [InlineData(RecurrentKind.SimpleRnn, 1)]
    [InlineData(RecurrentKind.Lstm, 1)]
    [InlineData(RecurrentKind.Gru, 1)]
    [InlineData(RecurrentKind.Lstm, 2)]
    [InlineData(RecurrentKind.Gru, 2)]
    public void Forward_backward_and_step_allocate_nothing(RecurrentKind kind, int threads)
    {
        // 2 threads with a low threshold: the per-step products then go through the worker pool too.
        using var scope = new ParallelismScope(threads, threads > 1 ? 1024 : -1);
        const int batch = 8, time = 16, inputs = 10, hidden = 32;
        var layer = new RecurrentHarness<float>(kind, batch, time, inputs, hidden, returnSequences: true, seed: 1);
        float[] x = TestData.Random<float>(batch * time * inputs, 1), dy = TestData.Random<float>(layer.Y.Length, 2);
        float[] state = new float[batch * hidden], cell = new float[batch * hidden], scratch = new float[2 * batch * layer.Gates * hidden];
        float[] xt = new float[batch * inputs];
        void Run(int times)
        {
            for (int i = 0; i < times; i++)
            {
                layer.Forward(x);
                layer.Backward(x, dy);
                for (int s = 0; s < 10; s++) layer.Step(xt, state, cell, scratch);
            }
        }
        Run(3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(50);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(state[0]) && layer.DWeightHh[0] != 0f);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Embedding_and_clip_norm_allocate_nothing()
    {
        float[] weight = TestData.Random<float>(65 * 16, 1), y = new float[64 * 16], dw = new float[weight.Length];
        int[] ids = new int[64];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 7) % 65;
        Embedding.Forward<float>(ids, weight, y, 64, 65, 16);
        Embedding.Backward<float>(ids, y, dw, 64, 65, 16);
        GradientClipping.ClipNorm<float>(dw, 1f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Embedding.Forward<float>(ids, weight, y, 64, 65, 16);
            Embedding.Backward<float>(ids, y, dw, 64, 65, 16);
            GradientClipping.ClipNorm<float>(dw, 1f);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

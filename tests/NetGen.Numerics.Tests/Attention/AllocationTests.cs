using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>Every attention kernel allocates nothing once warmed up.</summary>
public class AllocationTests
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void KernelsAllocateNothingOverManyCalls()
    {
        const int batch = 2, time = 9, width = 16, heads = 4, feedForward = 24, calls = 200;
        int n = batch * time * width;
        float[] x = TestData.Random<float>(n, 1), y = new float[n], dx = new float[n], dy = TestData.Random<float>(n, 2);
        float[] p = new float[TransformerBlock.ParameterCount(width, feedForward)], g = new float[p.Length];
        var rng = SplitMix64.FromSeed(1);
        TransformerBlock.Initialize<float>(p, width, feedForward, ref rng);
        float[] cache = new float[TransformerBlock.CacheSize(batch, time, width, heads, feedForward)];
        float[] scratch = new float[TransformerBlock.ScratchSize(batch, time, width, heads, feedForward)];
        float[] state = new float[TransformerBlock.StateSize(batch, time, width)];
        float[] stepScratch = new float[TransformerBlock.StepScratchSize(batch, time, width, feedForward)];
        float[] row = new float[batch * width], rowOut = new float[batch * width];
        float[] pos = TestData.Random<float>(time * width, 3), dpos = new float[time * width], pooled = new float[batch * width];
        float[] m = new float[p.Length], v = new float[p.Length];
        float[] mean = new float[batch * time], rstd = new float[batch * time], lnw = new float[width], lnb = new float[width], dlnw = new float[width], dlnb = new float[width];
        var gelu = default(GeluOperator<float>);
        float sink = 0;

        void All(int step)
        {
            TransformerBlock.Forward<float>(x, p, y, cache, scratch, batch, time, width, heads, feedForward, causal: true);
            TransformerBlock.Backward<float>(dy, x, p, cache, dx, g, scratch, batch, time, width, heads, feedForward, causal: true);
            TransformerBlock.Step<float>(row, p, state, step % time, rowOut, stepScratch, batch, time, width, heads, feedForward);
            LayerNorm.Forward<float>(x, lnw, lnb, y, mean, rstd, batch * time, width);
            LayerNorm.Backward<float>(dy, x, lnw, mean, rstd, dx, dlnw, dlnb, batch * time, width);
            PositionalEmbedding.Forward<float>(x, pos, y, batch, time, width);
            PositionalEmbedding.Backward<float>(dy, dx, dpos, batch, time, width, time);
            GlobalAveragePooling1D.Forward<float>(x, pooled, batch, time, width);
            GlobalAveragePooling1D.Backward<float>(pooled, dx, batch, time, width);
            GradientClipping.ClipNorm<float>(g, 1f);
            Optimizers.AdamW<float>(p, g, m, v, 1e-4f, 0.9f, 0.99f, 1e-8f, 0.1f, step + 1);
            sink += gelu.Invoke(x[step % n]) + ErrorFunction.Erf(x[step % n]);
        }

        All(0); // warm-up: JIT, static tables
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= calls; i++) All(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(sink) && float.IsFinite(y[0]) && float.IsFinite(dx[0]), "finite results");
    }
}

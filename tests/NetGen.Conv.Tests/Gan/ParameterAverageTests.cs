using System;
using System.Runtime.CompilerServices;
using NetGen.Conv.Tests.Networks;
using NetGen.Gan;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>The exponential moving average of a generator's weights: the recurrence, the copy out, the checks, no allocation.</summary>
public class ParameterAverageTests
{
    [Fact]
    public void Average_follows_the_recurrence_from_the_starting_weights()
    {
        // Two updates with decay 0.75 after the parameters moved to p1 then p2: a = 0.75·(0.75·p0 + 0.25·p1) + 0.25·p2.
        var g = new TinyDcGenerator();
        double[] p0 = g.Parameters.ToArray();
        var average = new ParameterAverage<double>(g, 0.75);
        Assert.Equal(p0, average.Average.ToArray());
        double[] p1 = new double[p0.Length], p2 = new double[p0.Length];
        for (int i = 0; i < p0.Length; i++) { p1[i] = p0[i] + 1 + i % 7; p2[i] = -2 * p0[i] + 0.5; }
        p1.CopyTo(g.Parameters);
        average.Update(g);
        p2.CopyTo(g.Parameters);
        average.Update(g);
        for (int i = 0; i < p0.Length; i++)
            Assert.Equal(0.75 * (0.75 * p0[i] + 0.25 * p1[i]) + 0.25 * p2[i], average.Average[i], 12);
    }

    [Fact]
    public void CopyTo_writes_the_average_and_the_sources_running_statistics_and_leaves_the_source_alone()
    {
        var g = new TinyDcGenerator();
        var sampler = new TinyDcGenerator();
        var average = new ParameterAverage<double>(g, 0.5);
        for (int i = 0; i < g.Parameters.Length; i++) g.Parameters[i] += 3;
        for (int i = 0; i < g.Buffers.Length; i++) g.Buffers[i] = 0.25 + i;
        double[] trained = g.Parameters.ToArray();
        average.Update(g);
        average.CopyTo(sampler, g);
        Assert.Equal(average.Average.ToArray(), sampler.Parameters.ToArray());
        Assert.Equal(g.Buffers.ToArray(), sampler.Buffers.ToArray());
        Assert.Equal(trained, g.Parameters.ToArray());
        for (int i = 0; i < trained.Length; i++) Assert.Equal(trained[i] - 1.5, sampler.Parameters[i], 12); // halfway back from +3
    }

    [Fact]
    public void Bad_decay_and_mismatched_networks_are_refused()
    {
        var g = new TinyDcGenerator();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage<double>(g, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage<double>(g, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage<double>(g, double.NaN));
        var average = new ParameterAverage<double>(g, 0.9);
        var other = new TinyDcDiscriminator();
        var e = Assert.Throws<ArgumentException>(() => average.Update(other));
        Assert.Contains($"{other.Parameters.Length} parameters", e.Message);
        Assert.Throws<ArgumentException>(() => average.CopyTo(other, g));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Update_allocates_nothing()
    {
        var g = new TinyDcGeneratorFloat();
        var average = new ParameterAverage<float>(g, 0.999);
        average.Update(g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) average.Update(g);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

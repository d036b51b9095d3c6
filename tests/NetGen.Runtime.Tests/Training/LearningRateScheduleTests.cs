using System;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void StepDecayMultipliesByGammaEveryStepSizeEpochs()
    {
        var s = new StepDecay(stepSize: 3, gamma: 0.1);
        Assert.Equal([1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01], [.. Rates(s, 7, 1.0)], new Close());
    }

    [Fact]
    public void ExponentialDecayMultipliesByGammaEveryEpoch()
    {
        var s = new ExponentialDecay(0.5);
        Assert.Equal([0.2, 0.1, 0.05, 0.025], [.. Rates(s, 4, 0.2)], new Close());
    }

    [Fact]
    public void CosineAnnealingFollowsHalfACosineThenStaysAtTheMinimum()
    {
        var s = new CosineAnnealing(period: 4, minimumRate: 0.1);
        double half = 0.1 + (1.0 - 0.1) * (1 + Math.Cos(Math.PI / 4)) / 2;
        Assert.Equal([1.0, half, 0.55, 0.1 + 0.9 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.1, 0.1], [.. Rates(s, 6, 1.0)], new Close());
    }

    [Fact]
    public void InvalidSchedulesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0));
    }

    private static double[] Rates(LearningRateSchedule s, int epochs, double initial)
    {
        var r = new double[epochs];
        for (int e = 0; e < epochs; e++) r[e] = s.RateAt(e, initial);
        return r;
    }

    private sealed class Close : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;
        public int GetHashCode(double x) => 0;
    }
}

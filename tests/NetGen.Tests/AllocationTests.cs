using System;
using System.Runtime.CompilerServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>After the first call with a batch size, no call allocates managed memory.</summary>
public class AllocationTests
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStepAllocatesNothingAfterTheFirst()
    {
        var net = new DigitClassifier();
        const int batch = 32;
        float[] x = new float[batch * DigitClassifier.InputSize], t = new float[batch * DigitClassifier.OutputSize];
        var rng = new Random(1);
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        for (int b = 0; b < batch; b++) t[b * 10 + b % 10] = 1;
        net.TrainStep(x, t, batch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) net.TrainStep(x, t, batch);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void PredictComputeLossAndSmallerBatchesAllocateNothing()
    {
        var net = new GcOdd17();
        double[] x = new double[5 * GcOdd17.InputSize], y = new double[5 * GcOdd17.OutputSize], t = new double[y.Length];
        net.TrainStep(x, t, 5);
        net.Predict(x, y, 5);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            net.Predict(x, y, 5);
            net.Predict(x.AsSpan(0, GcOdd17.InputSize), y.AsSpan(0, GcOdd17.OutputSize));
            net.ComputeLoss(x, t, 5);
            net.TrainStep(x.AsSpan(0, 3 * GcOdd17.InputSize), t.AsSpan(0, 3 * GcOdd17.OutputSize), 3);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

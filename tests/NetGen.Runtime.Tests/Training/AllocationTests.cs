using System;
using System.Runtime.CompilerServices;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>After warm-up, training steps allocate nothing (measured on this thread; the progress reporter off).</summary>
public class AllocationTests
{
    private static Dataset Data() => new Dataset(new float[64 * 4], new float[64], 64, 4, 1).ScaleFeatures(1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingEpochsAllocateZeroBytesAfterWarmUp(bool withMetricsAndValidation)
    {
        Dataset data = Data();
        for (int i = 0; i < data.Features.Length; i++) data.Features[i] = (i % 7) / 7f;
        for (int i = 0; i < data.Count; i++) data.Targets[i] = i % 3;
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        var options = new TrainingOptions
        {
            BatchSize = 5, // 13 steps, the last of 4 samples
            Metrics = withMetricsAndValidation ? [TrainingMetric.Accuracy, TrainingMetric.MeanSquaredError] : [],
            ValidationData = withMetricsAndValidation ? data.Slice(0, 20) : null,
        };
        var loop = new TrainingLoop<LinearModel<float>, float>(net, DatasetRange.All(data), options.ValidationData is { } held ? DatasetRange.All(held) : null, options);
        var validationMetrics = new double[loop.MetricNames.Length];
        loop.RunEpoch(1, 100, stopOnNonFinite: true, progress: null); // warm-up: the network sizes its buffers, the JIT compiles
        loop.Validate(validationMetrics);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 2; epoch <= 40; epoch++)
        {
            loop.RunEpoch(epoch, 100, stopOnNonFinite: true, progress: null);
            loop.Validate(validationMetrics);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated); // 39 epochs × 13 steps
        Assert.Equal(40 * 13, net.TrainStepCalls);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void FitAllocatesPerEpochNotPerStep()
    {
        // The same number of epochs with 64 steps or 1 step each must allocate the same: nothing scales with steps.
        long Allocated(int batchSize)
        {
            Dataset data = Data();
            for (int i = 0; i < data.Count; i++) data.Targets[i] = i % 3;
            var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
            Trainer.Fit(net, data, new TrainingOptions { Epochs = 1, BatchSize = batchSize }); // warm up the network and the JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            Trainer.Fit(net, data, new TrainingOptions { Epochs = 10, BatchSize = batchSize });
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long perStepBatches = Allocated(1), oneBatch = Allocated(64);
        // Buffers sized by the batch differ (64 vs 1 rows of 4 + 3 + 3 floats): allow exactly that difference, nothing per step.
        Assert.InRange(Math.Abs(oneBatch - perStepBatches), 0, 64 * 10 * sizeof(float) + 256);
    }
}

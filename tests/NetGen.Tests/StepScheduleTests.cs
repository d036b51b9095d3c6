using System;
using System.Linq;
using NetGen.Data;
using NetGen.Tests.Networks;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests;

/// <summary>The trainer's per-step learning-rate schedule (warm-up then cosine) and its held-out evaluations every N steps.</summary>
public class StepScheduleTests
{
    private const int Samples = 40, Batch = 4;

    private static Dataset Data(out double[] x, out double[] t)
    {
        x = GradientCheck.Random(Samples * GcTanh.InputSize, 1);
        t = GradientCheck.Random(Samples * GcTanh.OutputSize, 2);
        return new Dataset(x, t, Samples, GcTanh.InputSize, GcTanh.OutputSize);
    }

    [Fact]
    public void WarmupCosineSetsTheRateBeforeEveryStep()
    {
        // Fit with the schedule equals a hand loop that sets lr = get_lr(t) before TrainStep t (no shuffling).
        Dataset data = Data(out double[] x, out double[] t);
        var schedule = new WarmupCosineSchedule(warmupSteps: 3, decaySteps: 15, maximumRate: 0.2, minimumRate: 0.02);
        var fitted = new GcTanh();
        Trainer.Fit(fitted, data, new TrainingOptions { Epochs = 2, BatchSize = Batch, Shuffle = false, StepSchedule = schedule });

        var byHand = new GcTanh();
        int step = 0;
        for (int epoch = 0; epoch < 2; epoch++)
            for (int start = 0; start < Samples; start += Batch, step++)
            {
                byHand.LearningRate = schedule.RateAt(step);
                byHand.TrainStep(x.AsSpan(start * GcTanh.InputSize, Batch * GcTanh.InputSize), t.AsSpan(start * GcTanh.OutputSize, Batch * GcTanh.OutputSize), Batch);
            }
        Assert.Equal(20, step);
        Assert.Equal(byHand.Parameters.ToArray(), fitted.Parameters.ToArray());
        Assert.Equal(0.02, fitted.LearningRate, 12);                   // step 19 is past the decay: the floor
        Assert.Equal(0.2 * 1 / 4, schedule.RateAt(0), 12);             // warm-up: η_max·(t + 1)/(W + 1)
    }

    [Fact]
    public void EvaluatesTheHeldOutSplitEveryNSteps()
    {
        Dataset data = Data(out _, out _);
        // 32 training samples (the last 8 held out) in batches of 4: 8 steps per epoch, 3 epochs.
        History every3 = Trainer.Fit(new GcTanh(), data, new TrainingOptions { Epochs = 3, BatchSize = Batch, ValidationSplit = 0.2, EvaluationInterval = 3 });
        Assert.Equal(new long[] { 3, 6, 9, 12, 15, 18, 21, 24 }, every3.Evaluations.Select(e => e.Step));
        Assert.Equal(new[] { 1, 1, 2, 2, 2, 3, 3, 3 }, every3.Evaluations.Select(e => e.Epoch));
        Assert.All(every3.Evaluations, e => Assert.True(double.IsFinite(e.ValidationLoss) && e.ValidationLoss > 0));

        // Evaluating every epoch's worth of steps gives exactly the per-epoch val_loss (same parameters, same split).
        History everyEpoch = Trainer.Fit(new GcTanh(), data, new TrainingOptions { Epochs = 3, BatchSize = Batch, ValidationSplit = 0.2, EvaluationInterval = 8 });
        Assert.Equal(everyEpoch.Epochs.Select(e => e.ValidationLoss!.Value), everyEpoch.Evaluations.Select(e => e.ValidationLoss));
    }

    [Fact]
    public void EvaluationNeedsAHeldOutSplit()
    {
        Dataset data = Data(out _, out _);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(new GcTanh(), data, new TrainingOptions { EvaluationInterval = 5 }));
        Assert.Contains("ValidationSplit", e.Message);
    }
}

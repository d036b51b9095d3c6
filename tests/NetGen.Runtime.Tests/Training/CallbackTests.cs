using System.Collections.Generic;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

public class CallbackTests
{
    /// <summary>A context over no network: records stop requests and snapshot calls.</summary>
    private sealed class FakeContext() : TrainingContext(10, new History(), 0.1)
    {
        public override double LearningRate { get; set; } = 0.1;
        public int Captures, Restores;
        public override ParameterSnapshot CaptureParameters(ParameterSnapshot? reuse = null) { Captures++; return reuse ?? new ParameterSnapshot(new float[1]); }
        public override void RestoreParameters(ParameterSnapshot snapshot) => Restores++;
    }

    private static EpochSummary Epoch(int epoch, string name, double value) =>
        new(epoch, 1, default, 0.1, new Dictionary<string, double> { ["loss"] = 1, [name] = value });

    [Fact]
    public void EarlyStoppingCountsPatienceAndMinDelta()
    {
        var stop = new EarlyStopping("val_loss", patience: 2, minDelta: 0.02, restoreBestWeights: true);
        var ctx = new FakeContext();
        stop.OnTrainingBegin(ctx);
        double[] values = [1.0, 0.9, 0.95, 0.89, 0.5];
        int epoch = 0;
        while (!ctx.StopRequested) { epoch++; stop.OnEpochEnd(ctx, Epoch(epoch, "val_loss", values[epoch - 1])); }
        // 0.9 improves on 1.0 by more than 0.02; 0.95 does not; 0.89 improves by only 0.01: two epochs without improvement.
        Assert.Equal(4, epoch);
        Assert.Equal(4, stop.StoppedEpoch);
        Assert.Equal(2, stop.BestEpoch);
        Assert.Equal(0.9, stop.BestValue);
        Assert.Equal(2, ctx.Captures); // at epochs 1 and 2
        stop.OnTrainingEnd(ctx);
        Assert.Equal(1, ctx.Restores);
        Assert.Contains("val_loss", ctx.StopReason);
    }

    [Fact]
    public void EarlyStoppingOnAccuracyWantsItToRise()
    {
        var stop = new EarlyStopping("val_accuracy", patience: 1);
        Assert.True(stop.HigherIsBetter);
        var ctx = new FakeContext();
        stop.OnTrainingBegin(ctx);
        stop.OnEpochEnd(ctx, Epoch(1, "val_accuracy", 0.5));
        stop.OnEpochEnd(ctx, Epoch(2, "val_accuracy", 0.7));
        Assert.False(ctx.StopRequested);
        stop.OnEpochEnd(ctx, Epoch(3, "val_accuracy", 0.6));
        Assert.True(ctx.StopRequested);
        Assert.Equal(2, stop.BestEpoch);
    }

    [Fact]
    public void EarlyStoppingOnAValueTrainingDoesNotRecordSaysWhatIsRecorded()
    {
        var stop = new EarlyStopping("val_loss");
        var ctx = new FakeContext();
        stop.OnTrainingBegin(ctx);
        var e = Assert.Throws<System.InvalidOperationException>(() => stop.OnEpochEnd(ctx, Epoch(1, "accuracy", 1)));
        Assert.Contains("it records: loss, accuracy", e.Message);
    }

    [Fact]
    public void EarlyStoppingEndsFitAfterPatienceEpochsWithoutImprovement()
    {
        // Learning rate 0: the loss never changes, so only the first epoch "improves".
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, learningRate: 0);
        History h = Trainer.Fit(net, TrainerTests.StandardizedIris(), new TrainingOptions
        {
            Epochs = 20, BatchSize = 50, Shuffle = false, Callbacks = [new EarlyStopping("loss", patience: 3)],
        });
        Assert.Equal(4, h.Epochs.Count);
        Assert.StartsWith("Early stopping", h.StopReason);
    }

    [Fact]
    public void RestoreBestWeightsPutsBackTheBestEpochsParameters()
    {
        // Monitoring the loss as if higher were better: epoch 1 (highest loss) stays "best".
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, learningRate: 0.1);
        var recorder = new ParameterRecorder(net);
        Trainer.Fit(net, TrainerTests.StandardizedIris(), new TrainingOptions
        {
            Epochs = 10, BatchSize = 16,
            Callbacks = [recorder, new EarlyStopping("loss", patience: 3, restoreBestWeights: true, mode: MonitorMode.Max)],
        });
        Assert.Equal(4, recorder.PerEpoch.Count);
        Assert.Equal(recorder.PerEpoch[0], net.Parameters.ToArray());
        Assert.NotEqual(recorder.PerEpoch[^1], net.Parameters.ToArray());
    }

    [Fact]
    public void SchedulerSetsTheLearningRateEachEpoch()
    {
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, learningRate: 0.4);
        History h = Trainer.Fit(net, TrainerTests.StandardizedIris(), new TrainingOptions
        {
            Epochs = 5, BatchSize = 150, Callbacks = [new LearningRateScheduler(new StepDecay(stepSize: 2, gamma: 0.5))],
        });
        double[] rates = [.. System.Linq.Enumerable.Select(h.Epochs, e => e.LearningRate)];
        Assert.Equal([0.4, 0.4, 0.2, 0.2, 0.1], rates);
        Assert.Equal(0.1, net.LearningRate);
    }

    private sealed class ParameterRecorder(LinearModel<float> net) : TrainingCallback
    {
        public List<float[]> PerEpoch { get; } = new();
        public override void OnEpochEnd(TrainingContext context, EpochSummary summary) => PerEpoch.Add(net.Parameters.ToArray());
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

public class TrainerTests
{
    internal static Dataset StandardizedIris()
    {
        Dataset iris = CsvLoader.Load(TestFiles.Data("sklearn/iris.csv")).Shuffle(seed: 1);
        return Standardizer.Fit(iris).Transform(iris);
    }

    [Fact]
    public void SoftmaxRegressionLearnsIrisAndHistoryRecordsEveryEpoch()
    {
        Dataset iris = StandardizedIris();
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, learningRate: 0.1);
        History history = Trainer.Fit(net, iris, new TrainingOptions
        {
            Epochs = 30, BatchSize = 16, Seed = 3, ValidationSplit = 0.2, Metrics = [TrainingMetric.Accuracy],
        });
        Assert.Equal(30, history.Epochs.Count);
        Assert.Null(history.StopReason);
        Assert.True(history["loss"][^1] < history["loss"][0] / 2, $"loss {history["loss"][0]} → {history["loss"][^1]}");
        Assert.True(history["accuracy"][^1] > 0.9);
        Assert.True(history["val_accuracy"][^1] > 0.85);
        Assert.Equal(30, history["val_loss"].Count);
        Assert.Equal(8, history.Epochs[0].Steps); // 120 training samples in batches of 16
        Assert.True(Evaluation.EvaluateClassifier(net, iris).Accuracy > 0.9);
    }

    [Fact]
    public void SameSeedGivesIdenticalParametersAndAnotherSeedDoesNot()
    {
        Dataset iris = StandardizedIris();
        float[] Train(int seed)
        {
            var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
            Trainer.Fit(net, iris, new TrainingOptions { Epochs = 3, BatchSize = 10, Seed = seed });
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(5), Train(5));
        Assert.NotEqual(Train(5), Train(6));
    }

    [Theory]
    [InlineData(1, 150)]    // stochastic
    [InlineData(32, 5)]     // mini-batch, last batch of 22
    [InlineData(150, 1)]    // full batch
    [InlineData(1000, 1)]   // larger than the data: one batch
    public void BatchSizeSetsTheNumberOfStepsPerEpoch(int batchSize, int steps)
    {
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        History h = Trainer.Fit(net, StandardizedIris(), new TrainingOptions { Epochs = 2, BatchSize = batchSize });
        Assert.Equal(steps, h.Epochs[0].Steps);
        Assert.Equal(2 * steps, net.TrainStepCalls);
    }

    [Fact]
    public void LabelTargetsTrainExactlyAsOneHotTargets()
    {
        Dataset labels = StandardizedIris();
        var a = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        var b = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 7, Seed = 9 };
        Trainer.Fit(a, labels, options);
        Trainer.Fit(b, labels.ToOneHot(3), options);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
    }

    [Fact]
    public void SeparateValidationSetIsUsedWhole()
    {
        Dataset iris = StandardizedIris();
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        History h = Trainer.Fit(net, iris.Slice(0, 100), new TrainingOptions { Epochs = 1, BatchSize = 50, ValidationData = iris.Slice(100, 50) });
        Assert.Equal(2, h.Epochs[0].Steps);
        var evaluated = Evaluation.EvaluateClassifier(net, iris.Slice(100, 50));
        Assert.Equal(evaluated.Loss, h.Epochs[0].ValidationLoss!.Value, 5);
    }

    [Fact]
    public void DoubleNetworksTrain()
    {
        var net = new LinearModel<double>(1, 1, LinearHead.MeanSquaredError, learningRate: 0.1);
        var data = new Dataset([0f, 1f, 2f, 3f], [1f, 3f, 5f, 7f], 4, 1, 1);
        History h = Trainer.Fit<LinearModel<double>, double>(net, data, new TrainingOptions { Epochs = 300, BatchSize = 4, Metrics = [TrainingMetric.MeanAbsoluteError] });
        Assert.Equal(2.0, net.Parameters[0], 3);
        Assert.Equal(1.0, net.Parameters[1], 3);
        Assert.True(h["mae"][^1] < 1e-2);
    }

    [Fact]
    public void NonFiniteLossStopsTrainingAndNamesTheLayer()
    {
        var net = new LinearModel<float>(1, 1, LinearHead.MeanSquaredError, learningRate: 1e6, layerName: "hidden");
        var data = new Dataset([1f, 2f, 3f, 4f], [1f, 2f, 3f, 4f], 4, 1, 1);
        var reports = new List<TrainingProgress>();
        History h = Trainer.Fit(net, data, new TrainingOptions { Epochs = 50, BatchSize = 1, Progress = new Recorder(reports) });
        Assert.True(h.StoppedOnNonFiniteLoss);
        Assert.Contains("First non-finite layer: hidden", h.StopReason);
        Assert.True(h.Epochs.Count < 50);
        Assert.Equal(TrainingProgressKind.Stopped, reports[^1].Kind);
        Assert.Equal(h.StopReason, reports[^1].Message);
    }

    [Fact]
    public void ProgressReportsEachBatchAndEachEpoch()
    {
        var reports = new List<TrainingProgress>();
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        Trainer.Fit(net, StandardizedIris(), new TrainingOptions { Epochs = 2, BatchSize = 50, Progress = new Recorder(reports), Metrics = [TrainingMetric.Accuracy] });
        Assert.Equal(2, reports.Count(r => r.Kind == TrainingProgressKind.EpochBegin));
        Assert.Equal(6, reports.Count(r => r.Kind == TrainingProgressKind.BatchEnd));
        TrainingProgress end = reports.Last(r => r.Kind == TrainingProgressKind.EpochEnd);
        Assert.Equal((2, 2, 3, 3), (end.Epoch, end.Epochs, end.Step, end.Steps));
        Assert.Equal(end.Summary!.Values["accuracy"], end.MetricValues.Span[0]);
        Assert.Equal(["accuracy"], end.MetricNames);
    }

    [Fact]
    public void InconsistentOptionsAndDataAreRejected()
    {
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        Dataset iris = StandardizedIris();
        Assert.Throws<ArgumentException>(() => Trainer.Fit(net, iris, new TrainingOptions { ValidationSplit = 0.1, ValidationData = iris }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(net, iris, new TrainingOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(net, iris, new TrainingOptions { ValidationSplit = 1 }));
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(new LinearModel<float>(5, 3, LinearHead.SoftmaxCrossEntropy), iris, new TrainingOptions()));
        Assert.Contains("InputSize = 5", e.Message);
        Assert.Throws<ArgumentException>(() => Trainer.Fit(net, new Dataset([0f, 0f, 0f, 0f], [7f], 1, 4, 1), new TrainingOptions()));
    }

    internal sealed class Recorder(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}

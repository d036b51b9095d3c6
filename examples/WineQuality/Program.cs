// Red wine quality: regression of a 3-8 score from 11 physico-chemical measurements, mean squared error.
using System;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

Dataset wine = CsvLoader.Load(RepoData.Path("linfa/winequality-red.csv.gz"));   // a header row, quality last
var (train, test) = wine.TrainTestSplit(testFraction: 0.2, seed: 8);
Standardizer scaler = Standardizer.Fit(train);
scaler.Transform(train);
scaler.Transform(test);

var net = new WineRegressor();
Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = 150, BatchSize = 32, Seed = 1, ValidationSplit = 0.1,
    Metrics = new[] { TrainingMetric.MeanAbsoluteError },
    Callbacks = new TrainingCallback[]
    {
        new LearningRateScheduler(new StepDecay(stepSize: 50, gamma: 0.5)),
        new EarlyStopping("val_loss", patience: 15, restoreBestWeights: true),
    },
});
RegressionReport report = Evaluation.EvaluateRegressor(net, test);
Console.WriteLine($"Wine quality on {test.Count} held-out wines: {report}");

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 3e-3f, WeightDecay = 1e-4f, Seed = 6)]
[Input(11)] [Dense(32, Activation.ELU)] [Dense(16, Activation.ELU)] [Dense(1)]
public partial class WineRegressor;

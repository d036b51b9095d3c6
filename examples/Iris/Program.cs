// Iris: multi-class classification of 150 flowers from 4 measurements, softmax and cross entropy.
using System;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

Dataset iris = CsvLoader.Load(RepoData.Path("sklearn/iris.csv"));   // scikit-learn's file: metadata row, label last
var (train, test) = iris.TrainTestSplit(testFraction: 0.3, seed: 5);
Standardizer scaler = Standardizer.Fit(train);                      // fit on the training set only
scaler.Transform(train);
scaler.Transform(test);

var net = new IrisClassifier();
Trainer.Fit(net, train, new TrainingOptions { Epochs = 100, BatchSize = 16, Seed = 1, Metrics = new[] { TrainingMetric.Accuracy } });
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
Console.WriteLine($"Iris test accuracy: {report.Accuracy:P1} on {test.Count} flowers\n");
Console.WriteLine(report);

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 2)]
[Input(4)] [Dense(16, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class IrisClassifier;

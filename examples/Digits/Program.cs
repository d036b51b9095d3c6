// scikit-learn's handwritten digits (8×8 images, 10 classes), with Maxout units and dropout.
using System;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

Dataset digits = CsvLoader.Load(RepoData.Path("sklearn/digits.csv.gz")).ScaleFeatures(1f / 16);   // pixels 0..16, label last
var (train, test) = digits.TrainTestSplit(testFraction: 0.2, seed: 11);

var net = new DigitsClassifier();
Console.WriteLine(DigitsClassifier.Summary);
Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = 40, BatchSize = 32, Seed = 1, ValidationSplit = 0.1,
    Metrics = new[] { TrainingMetric.Accuracy },
    Progress = new ConsoleProgressReporter(),
});
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
Console.WriteLine($"\nDigits test accuracy: {report.Accuracy:P2}\n");
Console.WriteLine(report.Confusion);

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, Seed = 7)]
[Input(64)] [Maxout(48, 3)] [Dropout(0.1f)] [Dense(10, Activation.Softmax)]
public partial class DigitsClassifier;

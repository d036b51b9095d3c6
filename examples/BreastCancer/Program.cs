// Breast cancer (Wisconsin): binary classification with a sigmoid output and binary cross entropy;
// precision, recall and F1 matter more than accuracy here.
using System;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

Dataset data = CsvLoader.Load(RepoData.Path("sklearn/breast_cancer.csv"));   // 569 × 30, label 0 = malignant, 1 = benign
var (train, test) = data.TrainTestSplit(testFraction: 0.25, seed: 3);
Standardizer scaler = Standardizer.Fit(train);
scaler.Transform(train);
scaler.Transform(test);

var net = new TumourClassifier();
History history = Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = 200, BatchSize = 32, Seed = 1, ValidationSplit = 0.15,
    Metrics = new[] { TrainingMetric.Accuracy },
    Callbacks = new TrainingCallback[] { new EarlyStopping("val_loss", patience: 10, restoreBestWeights: true) },
});
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
Console.WriteLine($"Stopped after {history.Epochs.Count} epochs. Test accuracy {report.Accuracy:P1}, " +
                  $"precision {report.Precision():F3}, recall {report.Recall():F3}, F1 {report.F1():F3} (macro)\n");
Console.WriteLine(report);

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 4)]
[Input(30)] [Dense(16, Activation.ReLU)] [Dropout(0.2f)] [Dense(1, Activation.Sigmoid)]
public partial class TumourClassifier;

// A NetGen classifier: one declared network, a CSV file, training with progress, evaluation.
// Run it: dotnet run -c Release [path/to/data.csv]
// Your own data: one row per sample, the features then the class index (0, 1, ...) in the last column;
// set Input to the number of features and the last Dense to the number of classes.
// iris.csv: the UCI Iris data (Fisher 1936, CC BY 4.0) as scikit-learn ships it: a metadata row, then 150 rows.
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Serialization;
using NetGen.Training;

string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "iris.csv");

// Load, hold out 20 % for testing, and standardise the features with the training set's mean and deviation.
Dataset data = CsvLoader.Load(path);
(Dataset train, Dataset test) = data.TrainTestSplit(testFraction: 0.2, seed: 1);
Standardizer scaler = Standardizer.Fit(train);
train = scaler.Transform(train);
test = scaler.Transform(test);
Console.WriteLine($"{path}: {train.Count} training and {test.Count} test samples of {train.FeatureCount} features.");
Console.WriteLine(NetGenClassifier.Model.Summary);

// Train with Keras-style progress; stop when the validation loss stops improving.
var net = new NetGenClassifier.Model();
History history = Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = 100,
    BatchSize = 16,
    Seed = 1,
    ValidationSplit = 0.2,
    Metrics = [TrainingMetric.Accuracy],
    Callbacks = [new EarlyStopping("val_loss", patience: 10, restoreBestWeights: true)],
    Progress = new ConsoleProgressReporter(),
});
Console.WriteLine($"Trained {history.Epochs.Count} epochs. {history.StopReason}");

// Evaluate on the held-out samples: accuracy, per-class precision/recall/F1, confusion matrix.
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
Console.WriteLine($"Test accuracy: {report.Accuracy:P1}");
Console.WriteLine(report);

// Save the weights (safetensors, readable by PyTorch).
SafeTensors.Save(net, "model.safetensors");
Console.WriteLine("Saved model.safetensors");

namespace NetGenClassifier
{
    /// <summary>The network: 4 features → 16 ReLU units → 3 class probabilities.</summary>
    [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 42)]
    [Input(4)]
    [Dense(16, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    public partial class Model;
}

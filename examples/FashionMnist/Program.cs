// The main job: an MLP trained on the 60,000 Fashion-MNIST images, evaluated on the 10,000 test images,
// saved as safetensors, reloaded and used for predictions. Arguments: [epochs (12)] [folder for the two plots (the temp folder)].
using System;
using System.Diagnostics;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Plots;
using NetGen.Serialization;
using NetGen.Training;

string[] classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
Console.WriteLine($"Fashion-MNIST: {train.Count:N0} training and {test.Count:N0} test images of {train.FeatureCount} pixels.");
Console.WriteLine(FashionClassifier.Summary);

var net = new FashionClassifier();
int epochs = args.Length > 0 ? int.Parse(args[0]) : 12;
var clock = Stopwatch.StartNew();
History history = Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    Seed = 1,
    ValidationSplit = 1.0 / 12,                       // the last 5,000 images, as Keras's validation_split does
    Metrics = new[] { TrainingMetric.Accuracy },
    Callbacks = new TrainingCallback[]
    {
        new LearningRateScheduler(new CosineAnnealing(epochs, minimumRate: 1e-5)),
        new EarlyStopping("val_loss", patience: 3, restoreBestWeights: true),
    },
    Progress = new ConsoleProgressReporter(),
});
Console.WriteLine($"Trained {history.Epochs.Count} epochs in {clock.Elapsed.TotalSeconds:F1} s. {history.StopReason}");

ClassificationReport report = Evaluation.EvaluateClassifier(net, new Dataset(test.Features, test.Targets, test.Count, test.FeatureCount, test.TargetCount, classes));
Console.WriteLine($"\nTest accuracy: {report.Accuracy:P2}   macro F1: {report.F1():F4}\n");
Console.WriteLine(report);

// Plots: loss and accuracy per epoch, and the test set's confusion matrix.
string plots = args.Length > 1 ? args[1] : System.IO.Path.GetTempPath();
System.IO.Directory.CreateDirectory(plots);
string historyPng = System.IO.Path.Combine(plots, "fashion-history.png"), confusionPng = System.IO.Path.Combine(plots, "fashion-confusion.png");
history.SaveHistoryPng(historyPng);
report.Confusion.SaveConfusionMatrixPng(confusionPng);
Console.WriteLine($"Plots: {historyPng}, {confusionPng}");

// Save, reload into a fresh network, and predict with it.
string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fashion-mlp.safetensors");
SafeTensors.Save(net, path);
var served = new FashionClassifier(seed: 123);
SafeTensors.Load(served, path);
Span<float> scores = stackalloc float[FashionClassifier.OutputSize];
int agree = 0;
for (int i = 0; i < 10; i++)
{
    served.Predict(test.FeatureRow(i), scores);
    int predicted = scores.IndexOf(MaxOf(scores));
    agree += predicted == test.Label(i) ? 1 : 0;
    Console.WriteLine($"  image {i}: predicted {classes[predicted],-12} actual {classes[test.Label(i)]}");
}
Console.WriteLine($"Reloaded from {path}: {agree}/10 of the first test images right.");

static float MaxOf(ReadOnlySpan<float> values) { float m = values[0]; foreach (float v in values) m = Math.Max(m, v); return m; }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2f)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionClassifier;

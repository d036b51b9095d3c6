// LeNet-5 (LeCun et al., 1998, here with ReLU and max pooling) on Fashion-MNIST: two convolution and
// pooling stages, then three dense layers, compiled at build time from the attributes at the bottom.
// Usage: dotnet run -c Release --project examples/LeNet5 -- [epochs]
// Exits with 1 when a run of four or more epochs ends below 89% test accuracy.
using System;
using System.Diagnostics;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

string[] classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
Console.WriteLine($"Fashion-MNIST: {train.Count:N0} training and {test.Count:N0} test images, each 1×28×28 (NCHW).");
Console.WriteLine(LeNet5.Summary);

var net = new LeNet5();
int epochs = args.Length > 0 ? int.Parse(args[0]) : 6;
const int BatchSize = 64;
var clock = Stopwatch.StartNew();
TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
History history = Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = epochs,
    BatchSize = BatchSize,
    Seed = 1,
    // Adam's 1e-3 annealed towards 0: the late, small steps settle the weights (about a point of accuracy).
    Callbacks = new TrainingCallback[] { new LearningRateScheduler(new CosineAnnealing(epochs, minimumRate: 1e-5)) },
    Progress = new ConsoleProgressReporter(),
});
double wall = clock.Elapsed.TotalSeconds;
// CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
int steps = history.Epochs.Count * ((train.Count + BatchSize - 1) / BatchSize);
Console.WriteLine($"Trained {history.Epochs.Count} epochs in {wall:F1} s ({wall / steps * 1000:F1} ms per step of {BatchSize}); " +
    $"CPU time {cpu:F1} s ({cpu / steps * 1000:F1} ms per step). {history.StopReason}");

ClassificationReport report = Evaluation.EvaluateClassifier(net, new Dataset(test.Features, test.Targets, test.Count, test.FeatureCount, test.TargetCount, classes));
Console.WriteLine($"\nTest accuracy: {report.Accuracy:P2}   macro F1: {report.F1():F4}\n");
Console.WriteLine(report);

const double Target = 0.89;
Console.WriteLine($"The {Target:P0} target is {(report.Accuracy >= Target ? "reached" : "NOT reached")}.");
return report.Accuracy >= Target || epochs < 4 ? 0 : 1;

/// <summary>LeNet-5: 61,706 parameters, in PyTorch's layout (conv weights [filters, channels, 5, 5]).</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 5)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5;

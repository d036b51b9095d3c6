// Trains the fixed classifier that scores GAN samples (examples/Gan, examples/DcGan): LeNet-5 on the 60,000
// Fashion-MNIST training images, Adam 1e-3 annealed by a cosine schedule, then saves its weights to
// data/models/fashion-lenet5-scorer.safetensors (with the epochs and test accuracy in the file's metadata)
// and prints the test accuracy and the scorer's own figures on real test images and on uniform noise.
// Usage: dotnet run -c Release --project examples/GanScorer -- [epochs (10)] [output file (the repo's)]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Serialization;
using NetGen.Training;

int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
// data/models next to data/fashion-mnist, unless a path is given.
string output = args.Length > 1 ? args[1]
    : Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(RepoData.Path("fashion-mnist/t10k-labels-idx1-ubyte.gz")))!, FashionLeNet5Scorer.RelativePath);
Console.WriteLine(FashionLeNet5.Summary);

// ---- Train: batch 64, Adam 1e-3 annealed towards 1e-5 over the run. ----
var scorer = new FashionLeNet5Scorer();
var clock = Stopwatch.StartNew();
Trainer.Fit(scorer.Classifier, train, new TrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    Seed = 1,
    Callbacks = new TrainingCallback[] { new LearningRateScheduler(new CosineAnnealing(epochs, minimumRate: 1e-5)) },
    Progress = new ConsoleProgressReporter(),
});
double seconds = clock.Elapsed.TotalSeconds;
scorer.SynchroniseFeatures();

// ---- Test accuracy: argmax p(y|x) against the labels. ----
int[] labels = Labels(test);
double accuracy = scorer.Accuracy(test.Features, labels);
// The same on the first 2,000 test images, as a count: the tests check the saved weights against it.
const int Slice = 2000;
int sliceCorrect = (int)Math.Round(Slice * scorer.Accuracy(test.Features.AsSpan(0, Slice * FashionLeNet5Scorer.ImageSize), labels.AsSpan(0, Slice)));
Console.WriteLine($"Trained {epochs} epochs in {seconds:F0} s ({seconds / epochs:F1} s per epoch). Test accuracy: {accuracy:P2} ({sliceCorrect}/{Slice} on the first {Slice}).");

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
SafeTensors.Save(scorer.Classifier, output, new Dictionary<string, string>
{
    ["model"] = "LeNet-5 (ReLU, max pooling) on Fashion-MNIST, pixels in [0, 1]",
    ["trained_by"] = $"dotnet run -c Release --project examples/GanScorer -- {epochs}",
    ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
    ["test_accuracy"] = accuracy.ToString("F4", CultureInfo.InvariantCulture),
    ["test_correct_first_2000"] = sliceCorrect.ToString(CultureInfo.InvariantCulture),
});
Console.WriteLine($"Saved to {output} ({new FileInfo(output).Length:N0} bytes).");

// ---- The scorer's ceiling and floor: 10,000 real images (the first training ones) and 10,000 of uniform noise vs the test images. ----
const int Samples = 10_000;
var reference = scorer.ReferenceStatistics(test.Features.AsSpan(0, Samples * FashionLeNet5Scorer.ImageSize));
float[] uniform = new float[Samples * FashionLeNet5Scorer.ImageSize];
var random = SplitMix64.FromSeed(5);
for (int i = 0; i < uniform.Length; i++) uniform[i] = (float)random.NextDouble();
var realFigures = scorer.Measure(train.Features.AsSpan(0, Samples * FashionLeNet5Scorer.ImageSize), reference);
var testFigures = scorer.Measure(test.Features.AsSpan(0, Samples * FashionLeNet5Scorer.ImageSize), reference);
var noiseFigures = scorer.Measure(uniform, reference);
Console.WriteLine("                               inception-style score   Fréchet distance to the test images");
Console.WriteLine($"  test images (themselves)      {testFigures.Score,10:F3}              {testFigures.Frechet,12:F3}");
Console.WriteLine($"  first 10,000 training images  {realFigures.Score,10:F3}              {realFigures.Frechet,12:F3}");
Console.WriteLine($"  uniform noise                 {noiseFigures.Score,10:F3}              {noiseFigures.Frechet,12:F3}");

// The loader stores each label as one float target (the class index).
static int[] Labels(Dataset data)
{
    var labels = new int[data.Count];
    for (int i = 0; i < data.Count; i++) labels[i] = (int)data.TargetRow(i)[0];
    return labels;
}

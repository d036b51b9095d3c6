// The main job's MLP (784-256-128-10, 235,146 parameters) trained data-parallel on Fashion-MNIST with MPI:
//   mpirun -np 2 dotnet examples/DistributedFashionMnist/bin/Release/net10.0/DistributedFashionMnist.dll [options]
// Options: --epochs N (3)  --batch N (64, the global batch)  --shards N (4 parts per batch: 1, 2 or 4 ranks give the
// same weights)  --steps N (stop after N steps)  --checkpoint PATH (fashion-distributed.safetensors)  --resume PATH
// Every rank loads the data and trains on its parts of each batch; rank 0 prints progress, writes the checkpoints
// and evaluates on the test set.
using System;
using System.Collections.Generic;
using NetGen;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Distributed.Mpi;
using NetGen.Metrics;
using NetGen.Numerics;

var options = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Option(string name, string fallback) => options.TryGetValue(name, out string? v) ? v : fallback;

using MpiCommunicator world = MpiCommunicator.Initialize();
bool reporter = world.Rank == 0;
// The ranks of one machine share its cores: each rank's kernels use its share of them.
Parallelism.MaxThreads = Math.Max(1, Environment.ProcessorCount / world.Size);

string[] classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset all = Load("train");
Dataset train = all.Slice(0, 55_000), validation = all.Slice(55_000, 5_000); // the last 5,000 images validate, as in FashionMnist
if (reporter)
{
    Console.WriteLine($"{world.Size} rank(s); {MpiCommunicator.LibraryVersion.Split('\n')[0]}");
    Console.WriteLine($"Fashion-MNIST: {train.Count:N0} training, {validation.Count:N0} validation images; {Parallelism.MaxThreads} thread(s) per rank.");
}

var network = new DistributedFashionClassifier();
DataParallelResult result = DataParallelTrainer.Fit(network, train, new DataParallelOptions
{
    Epochs = int.Parse(Option("epochs", "3")),
    GlobalBatchSize = int.Parse(Option("batch", "64")),
    ShardCount = int.Parse(Option("shards", "4")),
    Seed = 1,
    MaxSteps = long.Parse(Option("steps", "0")),
    CheckpointPath = Option("checkpoint", "fashion-distributed.safetensors"),
    CheckpointEverySteps = 200,
    ResumeFrom = options.GetValueOrDefault("resume"),
    ValidationData = validation,
    Progress = new ConsoleReport(),
    ProgressEverySteps = 200,
}, world);

if (reporter)
{
    Console.WriteLine($"{result.StepsThisRun} steps ({result.SamplesThisRun:N0} samples) in {result.Elapsed.TotalSeconds:F1} s: " +
                      $"{result.SamplesPerSecond:N0} samples/s over {world.Size} rank(s); " +
                      $"rank 0 spent {result.CommunicationTime.TotalMilliseconds / Math.Max(1, result.StepsThisRun):F2} ms per step in the all-gather (waiting included).");
    Dataset test = Load("t10k");
    ClassificationReport report = Evaluation.EvaluateClassifier(network,
        new Dataset(test.Features, test.Targets, test.Count, test.FeatureCount, test.TargetCount, classes));
    Console.WriteLine($"Test accuracy: {report.Accuracy:P2}   macro F1: {report.F1():F4}");
}

/// <summary>Rank 0's progress lines, printed as they come.</summary>
internal sealed class ConsoleReport : IProgress<DistributedProgress>
{
    public void Report(DistributedProgress value) => Console.WriteLine(value);
}

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2f)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DistributedFashionClassifier;

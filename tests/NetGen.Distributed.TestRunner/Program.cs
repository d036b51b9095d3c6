// Trains TinyClassifier data-parallel on synthetic data and writes the final parameters of this rank as raw
// little-endian floats, so the tests can compare runs bit for bit. Arguments (all optional):
//   --single            no MPI: the single-process reference (one process computes every part in order)
//   --out PREFIX        writes PREFIX.rank{r}.bin            --shards S   parts per global batch (default 4)
//   --epochs E (3)      --batch B (16)                       --max-steps N
//   --checkpoint PATH   --checkpoint-every N                 --resume PATH
//   --kill-rank R --kill-at-step K   rank R kills itself (SIGKILL) right after step K: the fault test
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using NetGen;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Distributed.Mpi;
using NetGen.Numerics;

var options = ParseArguments(args);
string Option(string name, string fallback) => options.TryGetValue(name, out string? v) ? v : fallback;
Parallelism.MaxThreads = 1; // the tests run several ranks on a small shared machine

MpiCommunicator? mpi = options.ContainsKey("single") ? null : MpiCommunicator.Initialize();
ICollectives group = (ICollectives?)mpi ?? SingleProcessCollectives.Instance;
int killRank = int.Parse(Option("kill-rank", "-1")), killAt = int.Parse(Option("kill-at-step", "-1"));

var network = new TinyClassifier();
DataParallelResult result = DataParallelTrainer.Fit(network, SyntheticData(), new DataParallelOptions
{
    Epochs = int.Parse(Option("epochs", "3")),
    GlobalBatchSize = int.Parse(Option("batch", "16")),
    ShardCount = int.Parse(Option("shards", "4")),
    Seed = 11,
    MaxSteps = long.Parse(Option("max-steps", "0")),
    CheckpointPath = options.GetValueOrDefault("checkpoint"),
    CheckpointEverySteps = int.Parse(Option("checkpoint-every", "0")),
    ResumeFrom = options.GetValueOrDefault("resume"),
    Progress = new ConsoleLines(),
    ProgressEverySteps = 1000,
    StepCompleted = step =>
    {
        if (group.Rank != killRank || step != killAt) return;
        Console.WriteLine($"rank {group.Rank}: killing myself after step {step}");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL: no clean-up, as when a node dies
    },
}, group);
if (options.GetValueOrDefault("out") is { } prefix)
    File.WriteAllBytes($"{prefix}.rank{group.Rank}.bin", MemoryMarshal.AsBytes<float>(network.Parameters).ToArray());
Console.WriteLine($"rank {group.Rank}/{group.Size}: {result.Steps} steps, last epoch loss {(result.EpochLosses.Length > 0 ? result.EpochLosses[^1] : double.NaN):R}");
mpi?.Dispose();

// 90 samples (not a multiple of the batch, so every epoch ends with a short batch) of 6 features in 3 classes.
static Dataset SyntheticData()
{
    const int Count = 90, Features = 6;
    var rng = SplitMix64.FromSeed(3);
    var x = new float[Count * Features];
    var y = new float[Count];
    for (int i = 0; i < Count; i++)
    {
        for (int j = 0; j < Features; j++) x[i * Features + j] = (float)(rng.NextDouble() * 2 - 1);
        float a = x[i * Features] + x[i * Features + 1], b = x[i * Features + 2] - x[i * Features + 3];
        y[i] = a > 0.3f ? 0 : b > 0 ? 1 : 2;
    }
    return new Dataset(x, y, Count, Features, 1);
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
        string name = args[i][2..];
        options[name] = name == "single" ? "" : args[++i];
    }
    return options;
}

/// <summary>Prints each report at once, on the training thread (Progress&lt;T&gt; would post it to the thread pool).</summary>
internal sealed class ConsoleLines : IProgress<DistributedProgress>
{
    public void Report(DistributedProgress value) => Console.WriteLine($"rank 0: {value}");
}

/// <summary>A network small enough that a step costs microseconds, with dropout so masks matter.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.02f, Seed = 5)]
[Input(6)]
[Dense(9, Activation.ReLU)]
[Dropout(0.25f)]
[Dense(3, Activation.Softmax)]
public partial class TinyClassifier;

using System;
using System.Diagnostics;
using System.IO;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Training;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// <c>--fit [threads]</c>: the main job's epoch (examples/FashionMnist: 784-256-128-10 with Dropout, Adam, batch 64,
/// accuracy tracked, the last 5,000 images held out) timed through <see cref="Trainer.Fit{TNetwork}"/>, and split into
/// its parts timed alone over the same 55,000 samples: the train steps (the compute), the metric's forward pass, the
/// gather of shuffled rows into the batch buffer, and the validation pass. Overhead = epoch − train steps.
/// </summary>
public static class FitProfile
{
    private const int BatchSize = 64;

    public static int Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        Dataset all = IdxLoader.LoadImagesAndLabels(DataPath("fashion-mnist/train-images-idx3-ubyte.gz"), DataPath("fashion-mnist/train-labels-idx1-ubyte.gz"));
        var net = new FashionNet();
        Console.WriteLine($"Fit-loop profile: {all.Count:N0} images, batch {BatchSize}, {threads} thread(s), the main job's options (accuracy, 1/12 held out, console progress).");

        // The epoch through Trainer.Fit: the first call warms up (JIT, buffers), the second is timed.
        TrainingOptions Options(int epochs) => new()
        {
            Epochs = epochs, BatchSize = BatchSize, Seed = 1, ValidationSplit = 1.0 / 12,
            Metrics = new[] { TrainingMetric.Accuracy },
            Progress = new ConsoleProgressReporter(),
        };
        // The epoch: Fit over 3 epochs minus Fit over 1 (both warm), halved, so the one-time set-up (the validation
        // split's copy, the buffers) is not counted in it.
        Trainer.Fit(net, all, Options(1));
        (double oneWall, double oneCpu) = Time(() => Trainer.Fit(net, all, Options(1)));
        (double threeWall, double threeCpu) = Time(() => Trainer.Fit(net, all, Options(3)));
        double fitWall = (threeWall - oneWall) / 2, fitCpu = (threeCpu - oneCpu) / 2;

        // The parts alone, over the 55,000 training samples in the epoch's 860 batches.
        int train = all.Count - all.Count / 12, steps = (train + BatchSize - 1) / BatchSize, width = all.FeatureCount, classes = FashionNet.OutputSize;
        // One-hot targets from the class ids (what the trainer's batch buffer makes of them).
        float[] t = new float[all.Count * classes];
        for (int i = 0; i < all.Count; i++) t[i * classes + (int)all.Targets[i]] = 1;
        float[] x = all.Features, outputs = new float[BatchSize * classes], gathered = new float[BatchSize * width];
        int[] order = new int[train];
        for (int i = 0; i < train; i++) order[i] = (int)((long)i * 7919 % train);
        void Steps(Action<int, int> step) { for (int s = 0; s < steps; s++) { int start = s * BatchSize; step(start, Math.Min(BatchSize, train - start)); } }
        (double stepWall, double stepCpu) = Time(() => Steps((start, n) => net.TrainStep(x.AsSpan(start * width, n * width), t.AsSpan(start * classes, n * classes), n)));
        (double predictWall, double predictCpu) = Time(() => Steps((start, n) => net.Predict(x.AsSpan(start * width, n * width), outputs.AsSpan(0, n * classes), n)));
        (double gatherWall, double gatherCpu) = Time(() => Steps((start, n) =>
        {
            for (int i = 0; i < n; i++) x.AsSpan(order[start + i] * width, width).CopyTo(gathered.AsSpan(i * width, width));
        }));
        int held = all.Count - train;
        (double validateWall, double validateCpu) = Time(() =>
        {
            for (int start = train; start < all.Count; start += 256)
            {
                int n = Math.Min(256, all.Count - start);
                net.ComputeLoss(x.AsSpan(start * width, n * width), t.AsSpan(start * classes, n * classes), n);
                net.Predict(x.AsSpan(start * width, n * width), new Span<float>(new float[n * classes]), n);
            }
        });

        Console.WriteLine();
        Console.WriteLine($"{"part",-52} {"wall",10} {"CPU (this thread)",18}");
        void Row(string name, double wall, double cpu) => Console.WriteLine($"{name,-52} {wall * 1e3,8:F1} ms {cpu * 1e3,15:F1} ms");
        Row("epoch through Trainer.Fit ((3 epochs - 1 epoch) / 2)", fitWall, fitCpu);
        Row("  one-time set-up of a Fit call (1 epoch - epoch)", oneWall - fitWall, oneCpu - fitCpu);
        Row($"  train steps alone ({steps} TrainStep calls)", stepWall, stepCpu);
        Row($"  accuracy's forward pass alone ({steps} Predict calls)", predictWall, predictCpu);
        Row($"  gather of shuffled rows alone ({train:N0} rows)", gatherWall, gatherCpu);
        Row($"  validation alone ({held:N0} samples: loss + Predict)", validateWall, validateCpu);
        Row("  overhead: epoch − train steps", fitWall - stepWall, fitCpu - stepCpu);
        Console.WriteLine($"Overhead share of the epoch: {(fitCpu - stepCpu) / fitCpu:P1} by CPU time, {(fitWall - stepWall) / fitWall:P1} by wall time.");
        return 0;
    }

    /// <summary>Wall and this thread's CPU time of one call, in seconds.</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        double cpu0 = ThreadCpuTime.Seconds();
        long t0 = Stopwatch.GetTimestamp();
        action();
        return (Stopwatch.GetElapsedTime(t0).TotalSeconds, ThreadCpuTime.Seconds() - cpu0);
    }

    private static string DataPath(string relative)
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data", relative);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException($"data/{relative} not found; run from the repository.");
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Training;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// <c>--fit [threads]</c>: the main job's epoch (examples/FashionMnist: 784-256-128-10 with Dropout, Adam, batch 64,
/// accuracy tracked, the last 5,000 images held out) timed through <see cref="Trainer.Fit{TNetwork}"/>, and split into
/// its parts timed alone over the same 55,000 samples: the train steps (the compute), the gather of shuffled rows into
/// the batch buffer, and the validation pass. Every figure is the median of <see cref="Rounds"/> interleaved rounds
/// (CPU time of this thread on one thread, wall time on more). Overhead = epoch − train steps; the loop's own overhead also leaves out the validation
/// pass, which is the network's compute on the held-out rows, not the loop's.
/// </summary>
public static class FitProfile
{
    private const int BatchSize = 64, Rounds = 5;

    public static int Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        Dataset all = IdxLoader.LoadImagesAndLabels(DataPath("fashion-mnist/train-images-idx3-ubyte.gz"), DataPath("fashion-mnist/train-labels-idx1-ubyte.gz"));
        var net = new FashionNet();
        Console.WriteLine($"Fit-loop profile: {all.Count:N0} images, batch {BatchSize}, {threads} thread(s), the main job's options (accuracy, 1/12 held out, console progress); medians of {Rounds} rounds.");

        TrainingOptions Options(int epochs, bool progress = true, bool guard = true, bool metrics = true, bool validation = true) => new()
        {
            Epochs = epochs, BatchSize = BatchSize, Seed = 1, ValidationSplit = validation ? 1.0 / 12 : 0,
            Metrics = metrics ? new[] { TrainingMetric.Accuracy } : Array.Empty<TrainingMetric>(),
            Progress = progress ? new ConsoleProgressReporter(TextWriter.Null, inPlace: true) : null,
            StopOnNonFiniteLoss = guard,
        };
        // An epoch through Fit: Fit over 3 epochs minus Fit over 1 (both warm), halved, so a Fit call's one-time
        // set-up (its buffers) is not counted in it. The progress reporter draws into TextWriter.Null: its work is
        // counted, the terminal's is not.
        (double Epoch, double SetUp) FitEpoch(Func<int, TrainingOptions> options)
        {
            double one = Time(() => Trainer.Fit(net, all, options(1))), three = Time(() => Trainer.Fit(net, all, options(3)));
            return ((three - one) / 2, one - (three - one) / 2);
        }

        // The parts alone, over the 55,000 training samples in the epoch's 860 batches.
        int train = all.Count - all.Count / 12, held = all.Count - train, steps = (train + BatchSize - 1) / BatchSize;
        int width = all.FeatureCount, classes = FashionNet.OutputSize;
        float[] t = new float[all.Count * classes]; // one-hot targets, as the trainer's batch buffer makes them
        for (int i = 0; i < all.Count; i++) t[i * classes + (int)all.Targets[i]] = 1;
        float[] x = all.Features, gathered = new float[BatchSize * width];
        int[] order = new int[train];
        for (int i = 0; i < train; i++) order[i] = (int)((long)i * 7919 % train);
        void Steps(Action<int, int> step) { for (int s = 0; s < steps; s++) { int start = s * BatchSize; step(start, Math.Min(BatchSize, train - start)); } }
        var buffer = new BatchBuffer<float>(all, 0, train, width, classes, BatchSize, "training data");

        string[] names =
        {
            "epoch through Trainer.Fit ((3 epochs - 1 epoch) / 2)",
            "  one-time set-up of a Fit call (1 epoch - epoch)",
            $"  train steps alone ({steps} TrainStep calls)",
            $"  gather alone, Span.CopyTo ({train:N0} shuffled rows)",
            "  gather alone, the trainer's BatchBuffer (prefetching)",
            $"  validation alone ({held:N0} rows: ComputeLoss, batches of 256)",
            "  epoch without the progress reporter",
            "  epoch without the divergence guard",
            "  epoch without metrics",
        };
        var samples = new double[names.Length][];
        for (int p = 0; p < names.Length; p++) samples[p] = new double[Rounds];
        Trainer.Fit(net, all, Options(1)); // warm-up: JIT, the network's buffers for batches of 64 and 256
        for (int r = 0; r < Rounds; r++)
        {
            (samples[0][r], samples[1][r]) = FitEpoch(e => Options(e));
            samples[2][r] = Time(() => Steps((start, n) => net.TrainStep(x.AsSpan(start * width, n * width), t.AsSpan(start * classes, n * classes), n)));
            samples[3][r] = Time(() => Steps((start, n) =>
            {
                for (int i = 0; i < n; i++) x.AsSpan(order[start + i] * width, width).CopyTo(gathered.AsSpan(i * width, width));
            }));
            samples[4][r] = Time(() => Steps((start, n) => buffer.Gather(all, order.AsSpan(start, n))));
            samples[5][r] = Time(() =>
            {
                // One forward pass per batch: the loss, and the metrics from its outputs (EvaluationOutputs), as the trainer does.
                for (int start = train; start < all.Count; start += 256)
                {
                    int n = Math.Min(256, all.Count - start);
                    net.ComputeLoss(x.AsSpan(start * width, n * width), t.AsSpan(start * classes, n * classes), n);
                }
            });
            samples[6][r] = FitEpoch(e => Options(e, progress: false)).Epoch;
            samples[7][r] = FitEpoch(e => Options(e, guard: false)).Epoch;
            samples[8][r] = FitEpoch(e => Options(e, metrics: false)).Epoch;
        }
        double[] median = samples.Select(Median).ToArray();

        Console.WriteLine();
        Console.WriteLine($"{(threads > 1 ? "part (wall time, median)" : "part (CPU time of this thread, median)"),-62} {"ms",9} {"min–max",17}");
        for (int p = 0; p < names.Length; p++)
            Console.WriteLine($"{names[p],-62} {median[p] * 1e3,9:F1} {samples[p].Min() * 1e3,8:F1}–{samples[p].Max() * 1e3,-8:F1}");
        double epoch = median[0], overhead = epoch - median[2], loopOnly = overhead - median[5];
        Console.WriteLine($"Overhead (epoch − train steps): {overhead * 1e3:F1} ms = {overhead / epoch:P1} of the epoch.");
        Console.WriteLine($"The loop's own overhead (also without the validation pass: shuffle, gather, metrics, guard, progress): {loopOnly * 1e3:F1} ms = {loopOnly / epoch:P1} of the epoch.");
        return 0;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One call's time in seconds: this thread's CPU time on one thread, wall time on more (the workers' time is not this thread's).</summary>
    private static double Time(Action action)
    {
        if (Parallelism.MaxThreads > 1)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        double cpu0 = ThreadCpuTime.Seconds();
        action();
        return ThreadCpuTime.Seconds() - cpu0;
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

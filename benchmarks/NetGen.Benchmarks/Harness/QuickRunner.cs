using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// The quick comparison (<c>--quick</c>): every row of the full run, each timed by a Stopwatch harness for about a
/// second (warm-up until tiered compilation settles, then the median of repeated samples), after checks that the
/// implementations compute the same function. Good for a look in two minutes; publish the BenchmarkDotNet numbers.
/// </summary>
public static class QuickRunner
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromMilliseconds(1200);
    private const double MinSampleSeconds = 0.01;

    public static int Run()
    {
        var total = Stopwatch.StartNew();
        var results = new List<Result>();
        Console.WriteLine($"NetGen quick comparison: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
                          $"Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}, .NET {Environment.Version}");

        // The peak is measured first and again last, and each time from the fastest sample: other load on a shared
        // machine can only slow a register-resident loop down, never speed it up.
        Result[] peak = MeasurePeak();

        Mlp784.Weights mlpWeights = Mlp784.CreateWeights();
        ClassificationBatch mlpData = Mlp784.CreateData();
        Checks.Mlp784(mlpWeights, mlpData);
        SimpleChains.Weights scWeights = SimpleChains.CreateWeights();
        SimpleChains.DataSet scData = SimpleChains.CreateData();
        Checks.SimpleChains(scWeights, scData);

        foreach (int batch in new[] { 1, 64 })
        {
            const string w = "MLP 784-128-10 inference";
            double flops = Mlp784.InferenceFlops(batch);
            var netgen = new NetGenMlp(mlpWeights, mlpData);
            netgen.Prepare(batch);
            results.AddRange(MeasureNetGen(w, batch, flops, netgen.Predict));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchMlp(mlpWeights, mlpData, threads);
                torch.Prepare(batch);
                results.Add(Measure(w, batch, $"TorchSharp {threads}T", threads, flops, torch.Predict));
            }
            using var onnx = OnnxModels.Mlp784(mlpWeights, mlpData, threads: 1);
            onnx.Prepare(batch);
            results.Add(Measure(w, batch, "OnnxRuntime 1T", 1, flops, onnx.Predict));
        }

        foreach (int batch in new[] { 1, 32, 64 })
        {
            const string w = "MLP 784-128-10 train step (SGD)";
            double flops = Mlp784.TrainFlops(batch);
            var netgen = new NetGenMlp(mlpWeights, mlpData);
            netgen.Prepare(batch);
            results.AddRange(MeasureNetGen(w, batch, flops, () => netgen.TrainStep()));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchMlp(mlpWeights, mlpData, threads);
                torch.Prepare(batch);
                results.Add(Measure(w, batch, $"TorchSharp {threads}T", threads, flops, torch.TrainStep));
            }
        }

        float[][] lenetWeights = LeNet5.CreateWeights();
        ClassificationBatch lenetData = LeNet5.CreateData();
        Checks.LeNet5(lenetWeights, lenetData);
        foreach (int batch in new[] { 1, 64 })
        {
            const string w = "LeNet-5 inference";
            double flops = LeNet5.InferenceFlops(batch);
            var netgen = new NetGenLeNet5(lenetWeights, lenetData);
            netgen.Prepare(batch);
            results.AddRange(MeasureNetGen(w, batch, flops, netgen.Predict));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchLeNet5(lenetWeights, lenetData, threads);
                torch.Prepare(batch);
                results.Add(Measure(w, batch, $"TorchSharp {threads}T", threads, flops, torch.Predict));
            }
            using var onnx = OnnxModels.LeNet5(lenetWeights, lenetData, threads: 1);
            onnx.Prepare(batch);
            results.Add(Measure(w, batch, "OnnxRuntime 1T", 1, flops, onnx.Predict));
        }

        foreach (int batch in new[] { 1, 64 })
        {
            const string w = "LeNet-5 train step (Adam)";
            double flops = LeNet5.TrainFlops(batch);
            var netgen = new NetGenLeNet5(lenetWeights, lenetData);
            netgen.Prepare(batch);
            results.AddRange(MeasureNetGen(w, batch, flops, () => netgen.TrainStep()));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchLeNet5(lenetWeights, lenetData, threads);
                torch.Prepare(batch);
                results.Add(Measure(w, batch, $"TorchSharp {threads}T", threads, flops, torch.TrainStep));
            }
        }

        foreach (int batch in new[] { 1, 32, 10_000 })
        {
            // Per sample, an epoch is 10,000 train steps (seconds in TorchSharp): quick mode times the first 1,000 and scales by 10.
            const string w = "SimpleChains 4-32-16-4 Adam epoch";
            int samples = batch == 1 ? SimpleChains.Samples / 10 : SimpleChains.Samples;
            double epochsPerCall = (double)samples / SimpleChains.Samples;
            string label = batch == 1 ? w + " *" : w;
            double flops = SimpleChains.EpochFlops();
            var netgen = new NetGenSimpleChains(scWeights, scData);
            netgen.Prepare(batch, samples);
            results.AddRange(MeasureNetGen(label, batch, flops, netgen.Epoch, epochsPerCall));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchSimpleChains(scWeights, scData, threads);
                torch.Prepare(batch, samples);
                results.Add(Measure(label, batch, $"TorchSharp {threads}T", threads, flops, torch.Epoch, epochsPerCall));
            }
        }

        Result[] peakAgain = MeasurePeak();
        results.InsertRange(0, peak.Zip(peakAgain, (a, b) => a.TimeNs <= b.TimeNs ? a : b));

        Console.WriteLine(CompactTable.Format(results, "Quick comparison (Stopwatch, median of repeats; noisy on a shared machine: publish the BenchmarkDotNet run)"));
        Console.WriteLine("* per sample: 1,000 train steps timed, reported x10 as the 10,000-sample epoch.");
        Console.WriteLine($"Total {total.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    private static Result[] MeasurePeak() =>
    [
        Measure("FMA peak, one core", null, "Vector512 FMA", 1, FmaPeak.Flops512, () => FmaPeak.Run512(1e-3f), fastest: true),
        Measure("FMA peak, one core", null, "Vector256 FMA", 1, FmaPeak.Flops256, () => FmaPeak.Run256(1e-3f), fastest: true),
    ];

    /// <summary>
    /// Warm-up for <see cref="WarmUp"/> (at least one call, two when calls are short), then samples of enough calls to
    /// last 10 ms until <see cref="Budget"/> is spent (at least 3 samples, or 1 when a call takes longer than a third
    /// of the budget, so a slow row costs two calls, not minutes). Returns the median time per call (the fastest with
    /// <paramref name="fastest"/>) and the managed bytes allocated per call on this thread during the samples, both
    /// divided by <paramref name="operationsPerCall"/>.
    /// </summary>
    /// <summary>
    /// NetGen twice: on one thread (the baseline of every ratio) and with both cores
    /// (<see cref="NetGen.Numerics.Parallelism.MaxThreads"/> = 2; the products split by output rows, same bits).
    /// </summary>
    private static Result[] MeasureNetGen(string workload, int? batch, double flops, Action run, double operationsPerCall = 1)
    {
        int saved = NetGen.Numerics.Parallelism.MaxThreads;
        try
        {
            NetGen.Numerics.Parallelism.MaxThreads = 1;
            Result one = Measure(workload, batch, "NetGen", 1, flops, run, operationsPerCall);
            NetGen.Numerics.Parallelism.MaxThreads = 2;
            Result two = Measure(workload, batch, "NetGen 2T", 2, flops, run, operationsPerCall);
            return new[] { one, two };
        }
        finally { NetGen.Numerics.Parallelism.MaxThreads = saved; }
    }

    private static Result Measure(string workload, int? batch, string implementation, int threads, double flops, Action run,
                                  double operationsPerCall = 1, bool fastest = false)
    {
        var sw = Stopwatch.StartNew();
        int warmCalls = 0;
        do { run(); warmCalls++; }
        while (sw.Elapsed < WarmUp && (warmCalls < 2 || sw.Elapsed.TotalSeconds / warmCalls < WarmUp.TotalSeconds / 2));
        double perCall = sw.Elapsed.TotalSeconds / warmCalls;
        int callsPerSample = (int)Math.Clamp(Math.Ceiling(MinSampleSeconds / perCall), 1, 1_000_000);
        int minSamples = perCall > Budget.TotalSeconds / 3 ? 1 : 3;

        var samples = new List<double>(256); // sized up front: growing it would count as the row's allocation
        long calls = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        sw.Restart();
        while (samples.Count < minSamples || (sw.Elapsed < Budget && samples.Count < samples.Capacity))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerSample; i++) run();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / callsPerSample);
            calls += callsPerSample;
        }
        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / calls / operationsPerCall;
        samples.Sort();
        double median = fastest ? samples[0] / operationsPerCall : (samples.Count % 2 == 1 ? samples[samples.Count / 2] : (samples[samples.Count / 2 - 1] + samples[samples.Count / 2]) / 2) / operationsPerCall;
        var r = new Result(workload, batch, implementation, threads, flops, median, allocated);
        Console.WriteLine($"  {workload,-36} {(batch?.ToString() ?? ""),6}  {implementation,-16} {CompactTable.FormatTime(median),11}  ({samples.Count} samples x {callsPerSample})");
        return r;
    }
}

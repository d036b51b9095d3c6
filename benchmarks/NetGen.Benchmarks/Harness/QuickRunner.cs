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
    private const int MinWarmCalls = 5;

    public static int Run(string? filter = null)
    {
        s_filter = filter;
        var total = Stopwatch.StartNew();
        var results = new List<Result>();
        Console.WriteLine($"NetGen quick comparison: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
                          $"Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}, .NET {Environment.Version}");

        // The peak is measured first and again last, and each time from the fastest sample: other load on a shared
        // machine can only slow a register-resident loop down, never speed it up.
        Result[] peak = MeasurePeak();
        MachineLimits.Limit[] limits = MachineLimits.Measure();

        if (Wants("MLP") || Wants("LeNet") || Wants("SimpleChains")) ClassicRows(results);
        if (Wants("Char LSTM GRU")) results.AddRange(RecurrentRows());
        if (Wants("Char GPT")) results.AddRange(GptRows());

        Result[] peakAgain = MeasurePeak();
        results.InsertRange(0, peak.Zip(peakAgain, (a, b) => a.TimeNs <= b.TimeNs ? a : b));

        // The roofline column: each row's traffic model (where its workload has one) against the limits measured above.
        for (int i = 0; i < results.Count; i++) results[i] = results[i] with { Traffic = Roofline.TrafficOf(results[i].Workload, results[i].Batch) };
        // Its FMA peak by the FMA rows' CPU time, as the rows it bounds are timed by theirs (under load the wall-time peak is lower).
        double? cpuPeak = results.Where(r => r.IsPeak && r.CpuNs is > 0).Select(r => (double?)(r.Flops / r.CpuNs!.Value)).Max();
        Roofline? roofline = Roofline.FromLimits(cpuPeak is double c && c > (CompactTable.PeakGflops(results) ?? 0) ? c : CompactTable.PeakGflops(results), limits);
        Console.WriteLine(CompactTable.Format(results, "Quick comparison (Stopwatch, median of repeats; noisy on a shared machine: publish the BenchmarkDotNet run)", roofline));
        Console.WriteLine("* per sample: 1,000 train steps timed, reported x10 as the 10,000-sample epoch.");
        Console.WriteLine();
        Console.WriteLine("Machine limits, measured at the start of this run (fastest of 7 trials):");
        foreach (MachineLimits.Limit l in limits) Console.WriteLine($"  {l.Name,-52} {l.Value,8:F1} {l.Unit}");
        if (roofline is not null) Console.WriteLine($"  Cache capacities per core in the roofline model: {roofline.DescribeCaches()}");
        // The README's table, ready to paste: quick-results.md in the current directory.
        System.IO.File.WriteAllText("quick-results.md", MarkdownTable.Format(results, roofline));
        Console.WriteLine($"The README's table from this run: {System.IO.Path.GetFullPath("quick-results.md")}");
        Console.WriteLine($"Total {total.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    /// <summary>The MLP, LeNet-5 and SimpleChains rows (issue 15's workloads).</summary>
    private static void ClassicRows(List<Result> results)
    {
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
    }

    /// <summary>
    /// The recurrent rows (issue 11): character-model train steps beside TorchSharp's nn.LSTM and nn.GRU, and one
    /// generated token at batch 1 (per token, 64 per call from a reset state). <c>--quick LSTM</c>, <c>GRU</c> or <c>Char</c>.
    /// </summary>
    private static List<Result> RecurrentRows()
    {
        var rows = new List<Result>();
        foreach (bool lstm in new[] { true, false })
        {
            string kind = lstm ? "LSTM" : "GRU";
            int gates = lstm ? 4 : 3;
            string w = $"Char {kind} 64x128 train step (Adam)";
            double flops = CharModels.RnnTrainFlops(gates, CharModels.RnnBatch);
            NetGenCharModel netgen = lstm ? NetGenCharModel.Lstm() : NetGenCharModel.Gru();
            rows.AddRange(MeasureNetGen(w, CharModels.RnnBatch, flops, () => netgen.TrainStep()));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchCharRnn(lstm, threads);
                rows.Add(Measure(w, CharModels.RnnBatch, $"TorchSharp {threads}T", threads, flops, torch.TrainStep));
            }
            if (lstm)
            {
                // Inference over the same 32 × 64 batch: NetGen's Predict vs ONNX Runtime on NetGen.Onnx's export, checked first.
                using var onnx = new OnnxCharLstm();
                Checks.CharLstm(onnx);
                var inference = new CharLstmInference(onnx.Network);
                const string f = "Char LSTM 64x128 inference";
                double forwardFlops = flops / 3;
                rows.AddRange(MeasureNetGen(f, CharModels.RnnBatch, forwardFlops, inference.Predict));
                rows.Add(Measure(f, CharModels.RnnBatch, "OnnxRuntime 1T", 1, forwardFlops, onnx.Predict));
            }
            string g = $"Char {kind} generated token";
            double tokenFlops = CharModels.RnnTokenFlops(gates);
            rows.Add(MeasureOneThread(g, 1, tokenFlops, netgen.Generate, NetGenCharModel.TokensPerGeneration));
            using (var torch = new TorchCharRnn(lstm, threads: 1))
                rows.Add(Measure(g, 1, "TorchSharp 1T", 1, tokenFlops, torch.Generate, NetGenCharModel.TokensPerGeneration));
        }
        return rows;
    }

    /// <summary>The attention row (issue 12): the nanoGPT-style block stack's training iteration beside TorchSharp's (<c>--quick GPT</c> or <c>Char</c>).</summary>
    private static List<Result> GptRows()
    {
        var rows = new List<Result>();
        {
            const string w = "Char GPT 4x128 train iter (AdamW)";
            double flops = CharModels.GptTrainFlops(CharModels.GptBatch);
            NetGenCharModel netgen = NetGenCharModel.Gpt();
            rows.AddRange(MeasureNetGen(w, CharModels.GptBatch, flops, () => netgen.TrainStep()));
            foreach (int threads in new[] { 1, 2 })
            {
                using var torch = new TorchCharGpt(threads);
                rows.Add(Measure(w, CharModels.GptBatch, $"TorchSharp {threads}T", threads, flops, torch.TrainStep));
            }
            // One generated token at batch 1: NetGen's Step with its key/value cache; TorchSharp as nanoGPT generates
            // (the model over the whole prefix, last position's logits). 64 tokens from an empty context per call.
            const string g = "Char GPT generated token";
            rows.Add(MeasureOneThread(g, 1, CharModels.GptTokenFlops(), netgen.Generate, NetGenCharModel.TokensPerGeneration));
            using (var torch = new TorchCharGpt(threads: 1))
                rows.Add(Measure(g, 1, "TorchSharp 1T", 1, CharModels.GptTokenFlops(), torch.Generate, NetGenCharModel.TokensPerGeneration));
        }
        return rows;
    }

    private static string? s_filter;

    /// <summary>Whether a workload group runs: all of them, or those whose name contains the filter (<c>--quick Char</c>).</summary>
    private static bool Wants(string workload) => s_filter is null || workload.Contains(s_filter, StringComparison.OrdinalIgnoreCase);

    private static Result[] MeasurePeak() =>
    [
        Measure("FMA peak, one core", null, "Vector512 FMA", 1, FmaPeak.Flops512, () => FmaPeak.Run512(1e-3f), fastest: true),
        Measure("FMA peak, one core", null, "Vector256 FMA", 1, FmaPeak.Flops256, () => FmaPeak.Run256(1e-3f), fastest: true),
    ];

    /// <summary>
    /// Warm-up for <see cref="WarmUp"/> (at least <see cref="MinWarmCalls"/> calls unless they take 3 s), then samples of enough calls to
    /// last 10 ms until <see cref="Budget"/> is spent (at least 3 samples, or 1 when a call takes longer than a
    /// second, so a slow row costs a few calls, not minutes). Returns the median time per call (the fastest with
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

    /// <summary>NetGen on one thread only (rows where a second thread has nothing to split: batch-1 generation).</summary>
    private static Result MeasureOneThread(string workload, int? batch, double flops, Action run, double operationsPerCall = 1)
    {
        int saved = NetGen.Numerics.Parallelism.MaxThreads;
        try
        {
            NetGen.Numerics.Parallelism.MaxThreads = 1;
            return Measure(workload, batch, "NetGen", 1, flops, run, operationsPerCall);
        }
        finally { NetGen.Numerics.Parallelism.MaxThreads = saved; }
    }

    private static Result Measure(string workload, int? batch, string implementation, int threads, double flops, Action run,
                                  double operationsPerCall = 1, bool fastest = false)
    {
        var sw = Stopwatch.StartNew();
        int warmCalls = 0;
        // At least MinWarmCalls calls: on a loaded machine a slow call could otherwise end the warm-up before the
        // tiered JIT has replaced the first-tier code of the kernels (their background compiles wait for a core too).
        do { run(); warmCalls++; }
        while ((warmCalls < MinWarmCalls && sw.Elapsed.TotalSeconds < 3) || (sw.Elapsed < WarmUp && sw.Elapsed.TotalSeconds / warmCalls < WarmUp.TotalSeconds / 2));
        double perCall = sw.Elapsed.TotalSeconds / warmCalls;
        int callsPerSample = (int)Math.Clamp(Math.Ceiling(MinSampleSeconds / perCall), 1, 1_000_000);
        int minSamples = perCall > 1.0 ? 1 : 3;

        var samples = new List<double>(256); // sized up front: growing it would count as the row's allocation
        var cpuSamples = new List<double>(256);
        long calls = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        sw.Restart();
        while (samples.Count < minSamples || (sw.Elapsed < Budget && samples.Count < samples.Capacity))
        {
            double cpuStart = ThreadCpuTime.Seconds();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerSample; i++) run();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / callsPerSample);
            cpuSamples.Add((ThreadCpuTime.Seconds() - cpuStart) * 1e9 / callsPerSample);
            calls += callsPerSample;
        }
        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / calls / operationsPerCall;
        samples.Sort();
        double median = fastest ? samples[0] / operationsPerCall : (samples.Count % 2 == 1 ? samples[samples.Count / 2] : (samples[samples.Count / 2 - 1] + samples[samples.Count / 2]) / 2) / operationsPerCall;
        cpuSamples.Sort();
        double? cpu = threads == 1 && ThreadCpuTime.IsAvailable ? cpuSamples[cpuSamples.Count / 2] / operationsPerCall : null;
        var r = new Result(workload, batch, implementation, threads, flops, median, allocated, cpu);
        Console.WriteLine($"  {workload,-36} {(batch?.ToString() ?? ""),6}  {implementation,-16} {CompactTable.FormatTime(median),11}  ({samples.Count} samples x {callsPerSample})" +
                          (cpu is double c ? $"  cpu {CompactTable.FormatTime(c)}" : ""));
        return r;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// Memory traffic of one operation, for the roofline column: the bytes it must move at least, and the bytes it
/// touches (its working set), which decide the cache level those bytes come from.
/// </summary>
/// <param name="Bytes">Bytes read plus bytes written per operation under the model in benchmarks/README.md.</param>
/// <param name="WorkingSetBytes">Bytes of every array the operation touches (parameters, their gradients and optimizer state, inputs, targets, activations).</param>
public readonly record struct Traffic(double Bytes, double WorkingSetBytes);

/// <summary>
/// The roofline bound of a row: the time the operation needs at least, the larger of its FLOPs at the FMA peak and its
/// bytes at the read bandwidth of the smallest cache level that holds its working set (both measured in the same run).
/// </summary>
public sealed class Roofline
{
    /// <summary>One level of the memory hierarchy: its capacity per core (bytes) and its one-thread read bandwidth (GB/s).</summary>
    public readonly record struct Level(string Name, double CapacityBytes, double BandwidthGBs);

    private readonly double _peakGflops;
    private readonly Level[] _levels;
    private readonly double _dramTwoThreadsGBs;

    public Roofline(double peakGflops, IReadOnlyList<Level> levels, double dramTwoThreadsGBs)
    {
        _peakGflops = peakGflops;
        _levels = levels.ToArray();
        _dramTwoThreadsGBs = dramTwoThreadsGBs;
    }

    /// <summary>
    /// The machine from the limits quick mode measured (read bandwidth of L1, L2, L3 and DRAM, one thread by its CPU
    /// time; DRAM with two threads by the wall clock) and the cache sizes Linux reports (defaults for Zen 3 elsewhere).
    /// </summary>
    public static Roofline? FromLimits(double? peakGflops, IEnumerable<MachineLimits.Limit> limits)
    {
        if (peakGflops is not double peak) return null;
        MachineLimits.Limit[] all = limits.ToArray();
        double Bandwidth(string prefix) => all.FirstOrDefault(l => l.Name.StartsWith(prefix, StringComparison.Ordinal)).Value;
        (double l1, double l2, double l3) = CacheSizes();
        var levels = new List<Level>
        {
            new("L1", l1, Bandwidth("Read bandwidth, L1")),
            new("L2", l2, Bandwidth("Read bandwidth, L2")),
            new("L3", l3, Bandwidth("Read bandwidth, L3")),
            new("DRAM", double.PositiveInfinity, Bandwidth("Read bandwidth, DRAM (")),
        };
        if (levels.Any(l => l.BandwidthGBs <= 0)) return null;
        return new Roofline(peak, levels, Bandwidth("Read bandwidth, DRAM, 2 threads at once, total"));
    }

    /// <summary>
    /// Data cache sizes of CPU 0 (L1d, L2, L3): from /sys, else from CPUID's cache-topology leaf (some VMs hide /sys's cache
    /// folder), else Zen 3's 32 KB, 512 KB, 32 MB.
    /// </summary>
    private static (double L1, double L2, double L3) CacheSizes()
    {
        double l1 = 32 << 10, l2 = 512 << 10, l3 = 32 << 20;
        const string root = "/sys/devices/system/cpu/cpu0/cache";
        try
        {
            if (!Directory.Exists(root)) return CpuidCacheSizes() ?? (l1, l2, l3);
            foreach (string index in Directory.GetDirectories(root, "index*"))
            {
                string type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (type == "Instruction") continue;
                int level = int.Parse(File.ReadAllText(Path.Combine(index, "level")).Trim(), CultureInfo.InvariantCulture);
                double size = ParseSize(File.ReadAllText(Path.Combine(index, "size")).Trim());
                if (level == 1) l1 = size; else if (level == 2) l2 = size; else if (level == 3) l3 = size;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        catch (FormatException) { }
        return (l1, l2, l3);
    }

    /// <summary>
    /// Cache sizes from CPUID: leaf 0x8000001D on AMD, 4 on Intel (the same layout), else AMD's legacy leaves (below): per subleaf the cache type (EAX 4:0;
    /// 1 data, 3 unified, 0 no more), its level (EAX 7:5), and ways × partitions × line size × sets (EBX, ECX).
    /// </summary>
    private static (double L1, double L2, double L3)? CpuidCacheSizes()
    {
        if (!System.Runtime.Intrinsics.X86.X86Base.IsSupported) return null;
        (_, int vendorEbx, _, _) = System.Runtime.Intrinsics.X86.X86Base.CpuId(0, 0);
        int leaf = vendorEbx == 0x68747541 ? unchecked((int)0x8000001D) : 4; // "Auth" (AuthenticAMD) or anything else (Intel's leaf)
        double l1 = 0, l2 = 0, l3 = 0;
        for (int sub = 0; sub < 16; sub++)
        {
            (int eax, int ebx, int ecx, _) = System.Runtime.Intrinsics.X86.X86Base.CpuId(leaf, sub);
            int type = eax & 0x1F;
            if (type == 0) break;
            if (type == 2) continue; // instruction cache
            double size = (double)(((ebx >> 22) & 0x3FF) + 1) * (((ebx >> 12) & 0x3FF) + 1) * ((ebx & 0xFFF) + 1) * ((long)(uint)ecx + 1);
            switch ((eax >> 5) & 0x7) { case 1: l1 = size; break; case 2: l2 = size; break; case 3: l3 = size; break; }
        }
        if (l1 > 0 && l2 > 0 && l3 > 0) return (l1, l2, l3);
        if (vendorEbx != 0x68747541) return null;
        // AMD's legacy leaves, which VMs that hide the topology leaf still answer: L1d in KB (0x80000005 ECX 31:24), L2 in
        // KB (0x80000006 ECX 31:16), L3 in 512 KB units (EDX 31:18). The last is the whole socket's; one core works in its
        // CCD's share, 32 MB on Zen 3 to Zen 5, so the model takes the smaller.
        (_, _, int ecx5, _) = System.Runtime.Intrinsics.X86.X86Base.CpuId(unchecked((int)0x80000005), 0);
        (_, _, int ecx6, int edx6) = System.Runtime.Intrinsics.X86.X86Base.CpuId(unchecked((int)0x80000006), 0);
        l1 = (double)((uint)ecx5 >> 24) * 1024;
        l2 = (double)((uint)ecx6 >> 16) * 1024;
        l3 = Math.Min((double)((uint)edx6 >> 18) * 512 * 1024, 32 << 20);
        return l1 > 0 && l2 > 0 && l3 > 0 ? (l1, l2, l3) : null;
    }

    private static double ParseSize(string text) => text[^1] switch
    {
        'K' => double.Parse(text[..^1], CultureInfo.InvariantCulture) * 1024,
        'M' => double.Parse(text[..^1], CultureInfo.InvariantCulture) * 1024 * 1024,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    /// <summary>The capacities the model used, for the printout: "L1 48 KB, L2 1024 KB, L3 32768 KB".</summary>
    public string DescribeCaches() => string.Join(", ", _levels.Where(l => !double.IsInfinity(l.CapacityBytes)).Select(l => $"{l.Name} {l.CapacityBytes / 1024:F0} KB"));

    /// <summary>
    /// The row's bound ("FMA" or the level its bytes come from) and the fraction of it reached: bound time / the row's
    /// time (its CPU time where measured, else the wall time). Null when the workload has no traffic model.
    /// </summary>
    public (string Bound, double Fraction)? Of(Result row)
    {
        if (row.Traffic is not Traffic traffic || double.IsNaN(row.Flops)) return null;
        int threads = Math.Max(1, row.Threads);
        double computeNs = row.Flops / (_peakGflops * threads);
        // The level that holds the working set; caches are per core (L3 too, to the measured one-thread rate), so two
        // threads get twice a level's bandwidth, except DRAM, where the two-thread measurement is the bound.
        Level level = _levels.First(l => traffic.WorkingSetBytes <= l.CapacityBytes);
        double bandwidth = level.Name == "DRAM" && threads > 1 && _dramTwoThreadsGBs > 0 ? _dramTwoThreadsGBs : level.BandwidthGBs * threads;
        double memoryNs = traffic.Bytes / bandwidth;
        double boundNs = Math.Max(computeNs, memoryNs);
        double time = row.CpuNs ?? row.TimeNs;
        return (computeNs >= memoryNs ? "FMA" : level.Name + " BW", boundNs / time);
    }

    /// <summary>The traffic model of every quick-mode workload (MLP, LeNet-5, SimpleChains, the sequence rows, the FMA loop); null for others.</summary>
    public static Traffic? TrafficOf(string workload, int? batch)
    {
        int b = batch ?? 1;
        if (workload.StartsWith("FMA peak", StringComparison.Ordinal)) return new Traffic(0, 0);
        if (workload.StartsWith("MLP 784-128-10 inference", StringComparison.Ordinal)) return Mlp784.InferenceTraffic(b);
        if (workload.StartsWith("MLP 784-128-10 train step", StringComparison.Ordinal)) return Mlp784.TrainTraffic(b);
        if (workload.StartsWith("LeNet-5 inference", StringComparison.Ordinal)) return LeNet5.InferenceTraffic(b);
        if (workload.StartsWith("LeNet-5 train step", StringComparison.Ordinal)) return LeNet5.TrainTraffic(b);
        if (workload.StartsWith("SimpleChains", StringComparison.Ordinal)) return SimpleChains.EpochTraffic(b);
        bool lstm = workload.StartsWith("Char LSTM", StringComparison.Ordinal);
        if (lstm || workload.StartsWith("Char GRU", StringComparison.Ordinal))
        {
            if (workload.Contains("train step", StringComparison.Ordinal)) return CharModels.RnnTrainTraffic(lstm, b);
            if (workload.Contains("inference", StringComparison.Ordinal)) return CharModels.RnnInferenceTraffic(b);
            if (workload.Contains("generated token", StringComparison.Ordinal)) return CharModels.RnnTokenTraffic(lstm);
        }
        if (workload.StartsWith("Char GPT", StringComparison.Ordinal))
            return workload.Contains("generated token", StringComparison.Ordinal) ? CharModels.GptTokenTraffic() : CharModels.GptTrainTraffic(b);
        return null;
    }

    /// <summary>
    /// Traffic of a network pass from its sizes in floats: parameters, the activations one sample keeps (every layer's
    /// output, and pre-activations where the layer has an activation), and one sample's inputs and outputs (or targets).
    /// Compulsory traffic: every array is read once and written once at most. Inference reads the parameters and
    /// inputs once, writes and reads each activation once, writes the outputs. A train step reads the parameters,
    /// writes their gradients and writes the updated parameters (3 passes over P for SGD), plus Adam's two moments read
    /// and written (7 passes); each activation is written (forward) and read (backward), and so is its gradient
    /// (4 passes); inputs and targets are read once. (A first version counted 5 and 9 parameter passes, W and dW read
    /// twice; the MLP's batch-1 step then beat its "bound", 113 %, because the second reads hit a nearer cache.)
    /// </summary>
    public static Traffic Model(bool train, bool adam, long parameters, long activationsPerSample, long inputsPerSample, long outputsPerSample, int batch)
    {
        double parameterPasses = train ? (adam ? 7 : 3) : 1;
        double activationPasses = train ? 4 : 2;
        double bytes = 4.0 * (parameterPasses * parameters + activationPasses * activationsPerSample * batch + (double)(inputsPerSample + outputsPerSample) * batch);
        double parameterArrays = train ? (adam ? 4 : 2) : 1; // W, dW, and Adam's m and v
        double activationArrays = train ? 2 : 1; // activations and their gradients
        double workingSet = 4.0 * (parameterArrays * parameters + activationArrays * activationsPerSample * batch + (double)(inputsPerSample + outputsPerSample) * batch);
        return new Traffic(bytes, workingSet);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Benchmarks.Harness;

/// <summary>One measured row: a workload at one batch size, run by one implementation.</summary>
/// <param name="TimeNs">Time per operation in nanoseconds (median in quick mode, mean in BenchmarkDotNet).</param>
/// <param name="AllocatedBytes">Managed bytes allocated per operation (native allocations are not seen); null if unknown.</param>
/// <param name="CpuNs">
/// Quick mode, one-thread rows: the median CPU time of the calling thread per operation. On a shared machine the
/// wall time includes the time other processes held the core; the thread's CPU time does not (it is still slowed by
/// their cache traffic). Null when not measured (two-thread rows, BenchmarkDotNet, non-Linux).
/// </param>
public sealed record Result(string Workload, int? Batch, string Implementation, int Threads, double Flops, double TimeNs, double? AllocatedBytes, double? CpuNs = null)
{
    public double GflopsPerSecond => Flops / TimeNs;
    /// <summary>Bytes per operation and working set (the roofline model, Roofline.cs); null for workloads without a model.</summary>
    public Traffic? Traffic { get; init; }
    public bool IsNetGen => Implementation == "NetGen";
    public bool IsPeak => Workload.StartsWith("FMA peak", StringComparison.Ordinal);
}

/// <summary>The compact table both modes print: per workload and batch, NetGen first, peers after with their time ratio to NetGen.</summary>
public static class CompactTable
{
    /// <summary>The single-core peak (GFLOP/s): the fastest FMA-peak row, or null when none ran.</summary>
    public static double? PeakGflops(IEnumerable<Result> results)
    {
        double[] peaks = results.Where(r => r.IsPeak).Select(r => r.GflopsPerSecond).ToArray();
        return peaks.Length == 0 ? null : peaks.Max();
    }

    public static string Format(IReadOnlyList<Result> results, string title, Roofline? roofline = null)
    {
        double? peak = PeakGflops(results);
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(title);
        sb.AppendLine(peak is double p
            ? $"Peak (FMA loop, one core): {p:F1} GFLOP/s. Ratio = this row's time / NetGen's time (> 1: NetGen is faster). % peak = GFLOP/s / (threads x peak)."
            : "No FMA-peak row ran, so no % of peak. Ratio = this row's time / NetGen's time (> 1: NetGen is faster).");
        bool cpu = results.Any(r => r.CpuNs is not null);
        if (cpu) sb.AppendLine("CPU/op: the calling thread's CPU time per op (one-thread rows; excludes time other processes held the core). CPU ratio likewise.");
        if (roofline is not null) sb.AppendLine("Bound: the roofline limit of the row (FMA peak, or the read bandwidth of the cache level holding its working set; benchmarks/README.md). Of bound: bound time / CPU/op (wall time for two-thread rows).");
        string header = $"{"Workload",-36} {"Batch",6}  {"Implementation",-16} {"Time/op",11} {"Ratio",7} {"GFLOP/s",8} {"% peak",7} {"Alloc B/op",11}" +
                        (cpu ? $" {"CPU/op",11} {"CPU ratio",9}" : "") + (roofline is not null ? $" {"Bound",-7} {"Of bound",8}" : "");
        sb.AppendLine(header);
        sb.AppendLine(new string('-', header.Length));
        // Workloads in the order they first appear (the peak first), batch sizes ascending within each.
        List<string> workloads = results.OrderBy(r => r.IsPeak ? 0 : 1).Select(r => r.Workload).Distinct().ToList();
        foreach (var group in results.GroupBy(r => (r.Workload, r.Batch)).OrderBy(g => workloads.IndexOf(g.Key.Workload)).ThenBy(g => g.Key.Batch ?? 0))
        {
            Result? netgen = group.FirstOrDefault(r => r.IsNetGen);
            bool first = true;
            foreach (Result r in group.OrderBy(r => r.IsNetGen ? 0 : 1))
            {
                string ratio = netgen is null || r.IsPeak ? "" : (r.TimeNs / netgen.TimeNs).ToString("F2", CultureInfo.InvariantCulture);
                string percent = peak is double pk ? (100 * r.GflopsPerSecond / (pk * r.Threads)).ToString("F1", CultureInfo.InvariantCulture) + "%" : "";
                string alloc = r.AllocatedBytes is double a ? a.ToString("F0", CultureInfo.InvariantCulture) : "?";
                string cpuTime = r.CpuNs is double c ? FormatTime(c) : "";
                string cpuRatio = r.CpuNs is double c2 && netgen?.CpuNs is double n && !r.IsPeak ? (c2 / n).ToString("F2", CultureInfo.InvariantCulture) : "";
                sb.AppendLine($"{(first ? r.Workload : ""),-36} {(first ? r.Batch?.ToString(CultureInfo.InvariantCulture) ?? "" : ""),6}  {r.Implementation,-16} {FormatTime(r.TimeNs),11} {ratio,7} {r.GflopsPerSecond,8:F2} {percent,7} {alloc,11}" +
                              (cpu ? $" {cpuTime,11} {cpuRatio,9}" : "") + RooflineCells(roofline, r));
                first = false;
            }
        }
        return sb.ToString();
    }

    private static string RooflineCells(Roofline? roofline, Result r)
    {
        if (roofline is null) return "";
        if (roofline.Of(r) is not (string bound, double fraction)) return $" {"-",-7} {"",8}";
        return $" {bound,-7} {(100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%",8}";
    }

    public static string FormatTime(double ns) => ns switch
    {
        < 1e3 => $"{ns:F1} ns",
        < 1e6 => $"{ns / 1e3:F2} us",
        < 1e9 => $"{ns / 1e6:F2} ms",
        _ => $"{ns / 1e9:F3} s",
    };

    /// <summary>"TorchSharp_2T" → "TorchSharp 2T".</summary>
    public static string ImplementationName(string method) => method.Replace('_', ' ');
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// The repository README's performance table, written from one quick run: one line per workload and batch, NetGen
/// one and two threads, each peer with its ratio to NetGen's one-thread time, NetGen's % of the FMA peak and its
/// roofline bound with the fraction reached (one-thread rows by their CPU time).
/// </summary>
public static class MarkdownTable
{
    private static readonly string[] Columns = ["NetGen", "NetGen 2T", "TorchSharp 1T", "TorchSharp 2T", "OnnxRuntime 1T"];

    public static string Format(IReadOnlyList<Result> results, Roofline? roofline)
    {
        double? peak = CompactTable.PeakGflops(results);
        var sb = new StringBuilder();
        sb.AppendLine("| workload | batch | NetGen 1T | NetGen 2T | TorchSharp 1T | TorchSharp 2T | ONNX Runtime 1T | % FMA peak | bound: fraction reached |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        List<string> workloads = results.Where(r => !r.IsPeak).Select(r => r.Workload).Distinct().ToList();
        foreach (var group in results.Where(r => !r.IsPeak).GroupBy(r => (r.Workload, r.Batch))
                     .OrderBy(g => workloads.IndexOf(g.Key.Workload)).ThenBy(g => g.Key.Batch ?? 0))
        {
            Result? netgen = group.FirstOrDefault(r => r.IsNetGen);
            string Cell(string implementation)
            {
                Result? r = group.FirstOrDefault(x => x.Implementation == implementation);
                if (r is null) return "–";
                string time = CompactTable.FormatTime(r.TimeNs).Replace(" us", " µs", StringComparison.Ordinal);
                bool withRatio = netgen is not null && !r.IsNetGen && r.Threads == 1;
                return withRatio ? $"{time} ({(r.TimeNs / netgen!.TimeNs).ToString("F2", CultureInfo.InvariantCulture)}×)" : time;
            }
            string percent = netgen is not null && peak is double p
                ? (100 * netgen.GflopsPerSecond / p).ToString("F1", CultureInfo.InvariantCulture) + " %" : "–";
            string bound = netgen is not null && roofline?.Of(netgen) is (string b, double f)
                ? $"{b}: {(100 * f).ToString("F1", CultureInfo.InvariantCulture)} %" : "–";
            string batch = group.Key.Batch?.ToString("N0", CultureInfo.InvariantCulture) ?? "";
            sb.AppendLine($"| {group.Key.Workload.TrimEnd('*', ' ')} | {batch} | {string.Join(" | ", Columns.Select(Cell))} | {percent} | {bound} |");
        }
        return sb.ToString();
    }
}

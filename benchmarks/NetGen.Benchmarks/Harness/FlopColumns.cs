using System;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks.Harness;

/// <summary>What the tables need to know about a BenchmarkDotNet case: its workload, batch, threads and FLOPs.</summary>
public static class CaseInfo
{
    public static string Workload(BenchmarkCase c) => c.Descriptor.Type.GetCustomAttribute<WorkloadAttribute>()?.Title ?? c.Descriptor.Type.Name;

    public static int? Batch(BenchmarkCase c) => c.Parameters.Items.FirstOrDefault(p => p.Name == "Batch")?.Value is int b ? b : null;

    public static int Threads(BenchmarkCase c) => c.Descriptor.WorkloadMethod.GetCustomAttribute<ThreadsAttribute>()?.Count ?? 1;

    /// <summary>From the class's <c>static double Flops(string method, int batch)</c>.</summary>
    public static double Flops(BenchmarkCase c)
    {
        MethodInfo? flops = c.Descriptor.Type.GetMethod("Flops", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(int)]);
        return flops is null ? double.NaN : (double)flops.Invoke(null, [c.Descriptor.WorkloadMethod.Name, Batch(c) ?? 1])!;
    }

    /// <summary>The row of a report: its mean time, except that FMA-peak rows take their fastest iteration (load only slows them).</summary>
    public static Result? ToResult(BenchmarkReport report)
    {
        if (report.ResultStatistics is null) return null;
        BenchmarkCase c = report.BenchmarkCase;
        long? bytes = report.GcStats.GetBytesAllocatedPerOperation(c);
        var row = new Result(Workload(c), Batch(c), CompactTable.ImplementationName(c.Descriptor.WorkloadMethod.Name), Threads(c),
            Flops(c), report.ResultStatistics.Mean, bytes);
        return row.IsPeak ? row with { TimeNs = report.ResultStatistics.Min } : row;
    }
}

/// <summary>GFLOP/s of a row, or its percent of the cores' peak measured by the FMA-peak rows of the same summary.</summary>
public sealed class FlopColumn(bool percentOfPeak) : IColumn
{
    public string Id => percentOfPeak ? "NetGen.PercentOfPeak" : "NetGen.Gflops";
    public string ColumnName => percentOfPeak ? "% peak" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => percentOfPeak ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => percentOfPeak
        ? "GFLOP/s as a percent of (threads x one core's FP32 FMA peak), the peak from the FMA-peak rows of this run"
        : "Billions of floating-point operations per second (2 per multiply-add; a train step counts the products it does: forward, weight gradients, input gradients but the first layer's); FMA-peak rows from their fastest iteration";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        Result? row = summary[benchmarkCase] is { } report ? CaseInfo.ToResult(report) : null;
        if (row is null || double.IsNaN(row.Flops)) return "-";
        if (!percentOfPeak) return row.GflopsPerSecond.ToString("F2", style.CultureInfo);
        double? peak = CompactTable.PeakGflops(summary.Reports.Select(CaseInfo.ToResult).OfType<Result>());
        return peak is double p ? (100 * row.GflopsPerSecond / (p * row.Threads)).ToString("F1", style.CultureInfo) + "%" : "no peak row";
    }

    public override string ToString() => ColumnName;
}

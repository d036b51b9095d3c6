using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks.Harness;

namespace NetGen.Benchmarks;

/// <summary>
/// <c>--quick</c> (or <c>compare</c>): the two-minute Stopwatch comparison (<c>--quick Char</c>: only the workloads whose name contains "Char"); <c>--fit [threads]</c>: the main job's epoch split into compute and overhead; <c>--kernels</c>: the MLP and LeNet-5 product kernels with the AVX-512 paths on and off; <c>--attention</c>: the GPT row's attention layer split into projections and core. Anything else goes to BenchmarkDotNet
/// (<c>--filter</c>, <c>--job short</c>, ...); with no arguments every benchmark runs, in one joined summary so the
/// FMA-peak rows give every row its "% peak".
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && (args[0] is "--quick" or "compare")) return QuickRunner.Run(args.Length > 1 ? args[1] : null);
        if (args.Length > 0 && args[0] == "--kernels") return KernelProfile.Run();
        if (args.Length > 0 && args[0] == "--threads") return ThreadProfile.Run();
        if (args.Length > 0 && args[0] == "--attention") return AttentionProfile.Run();
        if (args.Length > 0 && args[0] == "--fit") return FitProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new FlopColumn(percentOfPeak: false), new FlopColumn(percentOfPeak: true))
            .WithOptions(ConfigOptions.JoinSummary);
        if (args.Length == 0) args = ["--filter", "*"];
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);

        Result[] results = summaries.SelectMany(s => s.Reports).Select(CaseInfo.ToResult).OfType<Result>().ToArray();
        if (results.Length > 0) Console.WriteLine(CompactTable.Format(results, "Compact table (BenchmarkDotNet means)"));
        return 0;
    }
}

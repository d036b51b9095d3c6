using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Harness;

/// <summary>Counts and failures of a differential run.</summary>
public sealed class SuiteReport
{
    public int Run, Passed, Redrawn, Exhausted, Known;
    public List<string> Failures { get; } = new();
    public List<string> KnownFailures { get; } = new();
    public TimeSpan Elapsed, Compiling;

    public override string ToString()
        => $"differential: {Run} cases run, {Passed} passed, {Failures.Count} failed, {Known} known issues, {Redrawn} redrawn (inputs on a kink or non-finite), {Exhausted} skipped (no usable draw) in {Elapsed.TotalSeconds:F1} s ({Compiling.TotalSeconds:F1} s compiling)";
}

/// <summary>Generates cases from seeds, compiles them many to one compilation, runs them and shrinks failures.</summary>
public static class DifferentialSuite
{
    public const string Namespace = "TrustCases";

    /// <summary>One source file holding every case's declaration.</summary>
    public static string Source(IEnumerable<CaseSpec> cases, string ns = Namespace)
    {
        var sb = new StringBuilder();
        sb.Append("using NetGen;\n\nnamespace ").Append(ns).Append(";\n\n");
        foreach (CaseSpec c in cases) sb.Append(c.Declaration(multiline: true)).Append("\n\n");
        return sb.ToString();
    }

    public static SuiteReport RunSeeds(IEnumerable<int> seeds, int perCompilation, Action<string> log, bool shrink = true)
    {
        var report = new SuiteReport();
        var watch = Stopwatch.StartNew();
        foreach (int[] chunk in seeds.Chunk(perCompilation))
        {
            var specs = chunk.Select(s => CaseGenerator.Generate(s, $"Case{(uint)s}")).ToList();
            foreach (CaseResult result in RunMany(specs, log, Namespace, report))
            {
                report.Run++;
                report.Redrawn += result.Redraws > 0 && result.Outcome != CaseOutcome.Exhausted ? 1 : 0;
                switch (result.Outcome)
                {
                    case CaseOutcome.Passed: report.Passed++; break;
                    case CaseOutcome.Exhausted: report.Exhausted++; break;
                    default:
                    {
                        if (KnownIssues.Match(result.Spec, result.Failure!) is { } known)
                        {
                            report.Known++;
                            report.KnownFailures.Add($"known issue {known.Id}: {result.Spec.Reproducer()}");
                            log($"known issue {known.Id}: {result.Spec.Reproducer()}");
                            break;
                        }
                        string text = $"FAILED {result.Spec.Reproducer()}\n  {result.Failure}";
                        if (shrink)
                        {
                            CaseResult small = Shrinker.Shrink(result, log);
                            text += $"\n  shrunk: {small.Spec.Reproducer()}\n  {small.Failure}";
                        }
                        log(text);
                        report.Failures.Add(text);
                        break;
                    }
                }
            }
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    /// <summary>Compiles the cases together and runs each; a compilation failure is pinned on the cases that cause it.</summary>
    public static List<CaseResult> RunMany(IReadOnlyList<CaseSpec> specs, Action<string>? log = null, string ns = Namespace, SuiteReport? report = null)
    {
        LoadedCases loaded;
        var watch = Stopwatch.StartNew();
        try
        {
            loaded = CaseCompiler.CompileAndLoad(Source(specs, ns));
            if (report is not null) report.Compiling += watch.Elapsed;
        }
        catch (CompilationFailedException e) when (specs.Count > 1)
        {
            // Pin the errors on the cases whose generated file holds them; compile the rest again.
            var culprits = specs.Where(s => e.Errors.Any(d => d.Location.SourceTree?.FilePath.EndsWith($".{s.ClassName}.g.cs", StringComparison.Ordinal) == true)).ToList();
            bool allPinned = culprits.Count > 0 && e.Errors.All(d => culprits.Any(c => d.Location.SourceTree?.FilePath.EndsWith($".{c.ClassName}.g.cs", StringComparison.Ordinal) == true));
            if (!allPinned)
                return specs.SelectMany(s => RunMany(new[] { s }, log, ns)).ToList();
            var results = culprits.Select(c => new CaseResult(c, CaseOutcome.Failed, 0, "a valid declaration does not compile: "
                + new CompilationFailedException(e.Errors.Where(d => d.Location.SourceTree!.FilePath.EndsWith($".{c.ClassName}.g.cs", StringComparison.Ordinal)).ToList()).Message)).ToList();
            var rest = specs.Except(culprits).ToList();
            if (rest.Count > 0) results.AddRange(RunMany(rest, log, ns, report));
            return specs.Select(s => results.First(r => r.Spec == s)).ToList();
        }
        catch (CompilationFailedException e)
        {
            return new List<CaseResult> { new(specs[0], CaseOutcome.Failed, 0, "a valid declaration does not compile: " + e.Message) };
        }
        using (loaded)
            return specs.Select(s =>
            {
                var w = Stopwatch.StartNew();
                CaseResult r = DifferentialRunner.Run(s, loaded, ns);
                if (Environment.GetEnvironmentVariable("NETGEN_TRUST_TIMING") == "1") log?.Invoke($"{w.ElapsedMilliseconds} ms {r.Outcome} {s.Reproducer()}");
                return r;
            }).ToList();
    }
}

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
    public int Run, Passed, Redrawn, Exhausted;
    public List<string> Failures { get; } = new();
    public TimeSpan Elapsed;

    public override string ToString()
        => $"differential: {Run} cases run, {Passed} passed, {Failures.Count} failed, {Redrawn} redrawn (inputs on a kink or non-finite), {Exhausted} skipped (no usable draw) in {Elapsed.TotalSeconds:F1} s";
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
            foreach (CaseResult result in RunMany(specs, log))
            {
                report.Run++;
                report.Redrawn += result.Redraws > 0 && result.Outcome != CaseOutcome.Exhausted ? 1 : 0;
                switch (result.Outcome)
                {
                    case CaseOutcome.Passed: report.Passed++; break;
                    case CaseOutcome.Exhausted: report.Exhausted++; break;
                    default:
                    {
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
    public static List<CaseResult> RunMany(IReadOnlyList<CaseSpec> specs, Action<string>? log = null, string ns = Namespace)
    {
        LoadedCases loaded;
        try
        {
            loaded = CaseCompiler.CompileAndLoad(Source(specs, ns));
        }
        catch (CompilationFailedException) when (specs.Count > 1)
        {
            // Find the culprits one by one; the rest still run.
            return specs.SelectMany(s => RunMany(new[] { s }, log, ns)).ToList();
        }
        catch (CompilationFailedException e)
        {
            return new List<CaseResult> { new(specs[0], CaseOutcome.Failed, 0, "a valid declaration does not compile: " + e.Message) };
        }
        using (loaded)
            return specs.Select(s => DifferentialRunner.Run(s, loaded, ns)).ToList();
    }
}

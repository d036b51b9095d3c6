using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Trust.Tests.Cases;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Hostile;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// Hostile declarations: each must end with NETGEN diagnostics, plain compiler errors in the user's
/// own code, or clean output; never CS8785 (the generator threw) or AD0001, never errors inside
/// generated code, never a hang.
/// </summary>
public sealed class HostileDeclarationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(60);

    public enum Verdict { Clean, NetGenDiagnosed, UserErrorsOnly, Silent }

    /// <summary>Runs the generator over one hostile source; returns the verdict or throws with what broke.</summary>
    public static (Verdict Verdict, string Detail) Check(string source, bool withGpu = false)
    {
        string[] files = source.Split("//FILE").Select(f => "using NetGen;\n" + f).ToArray();
        using var cts = new CancellationTokenSource();
        Task<GeneratorRun> task = Task.Run(() => CaseCompiler.RunGenerator(files, cts.Token, "Hostile", withGpu: withGpu));
        if (!task.Wait(PerCase))
        {
            cts.Cancel();
            throw new Exception($"hang: the generator and compiler did not finish in {PerCase.TotalSeconds} s");
        }
        GeneratorRun run = task.Result;
        var all = run.GeneratorDiagnostics.Concat(run.CompilationDiagnostics).ToList();
        if (run.GeneratorException is not null)
            throw new Exception($"the generator threw {run.GeneratorException.GetType().Name}: {run.GeneratorException.Message}");
        if (all.FirstOrDefault(d => d.Id is "CS8785" or "AD0001") is { } threw)
            throw new Exception($"{threw.Id}: {threw.GetMessage()}");
        var generatedErrors = run.ErrorsInGeneratedCode.ToList();
        if (generatedErrors.Count > 0)
            throw new Exception("generated code does not compile:\n" + string.Join("\n", generatedErrors.Take(5).Select(d => $"  {d.Id} {d.Location.GetLineSpan()}: {d.GetMessage()}")));
        var netgen = all.Where(d => d.Id.StartsWith("NETGEN", StringComparison.Ordinal)).ToList();
        if (withGpu)
        {
            // With ILGPU and NetGen.Gpu referenced every generated CPU class gets its runner, or NETGEN200 says why not.
            int cpu = run.GeneratedTrees.Count(t => !t.FilePath.EndsWith(".Gpu.g.cs", StringComparison.Ordinal));
            int gpu = run.GeneratedTrees.Length - cpu;
            int noRunner = netgen.Count(d => d.Id == "NETGEN200");
            if (gpu + noRunner != cpu)
                throw new Exception($"GPU runner missing: {cpu} CPU classes, {gpu} GPU runners, {noRunner} NETGEN200");
        }
        var userErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("NETGEN", StringComparison.Ordinal)).ToList();
        string detail = string.Join(", ", netgen.Concat(userErrors).Select(d => d.Id).Distinct());
        if (netgen.Any(d => d.Severity == DiagnosticSeverity.Error)) return (Verdict.NetGenDiagnosed, detail);
        if (userErrors.Count > 0) return (Verdict.UserErrorsOnly, detail);
        return run.GeneratedTrees.Length > 0 ? (Verdict.Clean, detail) : (Verdict.Silent, detail);
    }

    public static TheoryData<string> CorpusNames => new(HostileCorpus.All().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void Hostile_corpus(string name)
    {
        string source = HostileCorpus.All().First(c => c.Name == name).Source;
        try
        {
            var (verdict, detail) = Check(source);
            output.WriteLine($"{verdict}: {detail}");
            if (HostileCorpus.MustDiagnose(name) && verdict != Verdict.NetGenDiagnosed)
                throw new Exception($"expected a NETGEN error, got {verdict} ({detail})");
        }
        catch (Exception e) when (HostileKnownIssues.Match(source, e.Message) is { } known)
        {
            output.WriteLine($"known issue {known}: {e.Message}");
        }
    }

    /// <summary>The corpus again with ILGPU and NetGen.Gpu referenced, so the GPU runner is emitted too (hint names, keywords, nesting).</summary>
    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void Hostile_corpus_with_gpu(string name)
    {
        string source = HostileCorpus.All().First(c => c.Name == name).Source;
        var (verdict, detail) = Check(source, withGpu: true);
        output.WriteLine($"{verdict}: {detail}");
        if (HostileCorpus.MustDiagnose(name) && verdict != Verdict.NetGenDiagnosed)
            throw new Exception($"expected a NETGEN error, got {verdict} ({detail})");
    }

    [Fact]
    public void KeywordNamesGetAGpuRunner()
    {
        // The CS8785 crash: '@' in the GPU file's hint name made the generator throw and lose both files.
        var (verdict, _) = Check("namespace @event; [Network] [Input(2)] [Dense(3, Activation.Tanh)] [Dense(1, Activation.Linear)] public partial class @class;", withGpu: true);
        Assert.Equal(Verdict.Clean, verdict);
        GeneratorRun run = CaseCompiler.RunGenerator(new[] { "using NetGen;\nnamespace @event; [Network] [Input(2)] [Dense(3, Activation.Tanh)] [Dense(1, Activation.Linear)] public partial class @class;" }, withGpu: true);
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("event.class.Gpu.g.cs", StringComparison.Ordinal));
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("event.class.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Hostile_mutations()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_TRUST_HOSTILE"), out int n) ? n : 150;
        var r = new Random(20261128);
        var verdicts = new Dictionary<Verdict, int>();
        var failures = new List<string>();
        int known = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            string valid = CaseGenerator.Generate(r.Next(), "M" + i).Declaration();
            string hostile = DeclarationMutator.Mutate(valid, r);
            try
            {
                var (verdict, _) = Check(hostile);
                verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            }
            catch (Exception e) when (HostileKnownIssues.Match(hostile, e.Message) is not null)
            {
                known++;
            }
            catch (Exception e)
            {
                failures.Add($"{hostile}\n  {e.Message}");
            }
        }
        string summary = $"hostile mutations: {count} run, {failures.Count} failed, {known} known issues; " + string.Join(", ", verdicts.OrderBy(v => v.Key).Select(v => $"{v.Key} {v.Value}")) + $" in {watch.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(summary);
        foreach (string f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures));
    }
}

using System;
using System.Linq;
using System.Text;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// Random sequence stacks (Embedding or float steps, SimpleRnn/Lstm/Gru stacked, ReturnSequences both ways, per-step
/// Dense/Activation/Dropout, MSE or per-step CrossEntropy on class ids, ClipNorm) compiled by the real generator in one
/// compilation and compared with the sequence reference interpreter. 30 fixed seeds keep CI short.
/// </summary>
public sealed class SequenceDifferentialTests(ITestOutputHelper output)
{
    public const int Seeds = 30;
    private const string Namespace = "TrustSequenceCases";

    [Fact]
    public void Sequence_stacks_match_the_reference()
    {
        var specs = Enumerable.Range(1, Seeds).Select(s => SequenceCase.Generate(s, $"Seq{s}")).ToList();
        var source = new StringBuilder("using System;\nusing NetGen;\n\nnamespace " + Namespace + ";\n\n");
        foreach (SequenceCase c in specs) source.Append(c.Declaration(multiline: true)).Append("\n\n").Append(c.StepHelper()).Append('\n');
        var compiling = System.Diagnostics.Stopwatch.StartNew();
        using LoadedCases loaded = CaseCompiler.CompileAndLoad(source.ToString());
        output.WriteLine($"compiled {specs.Count} cases in {compiling.Elapsed.TotalSeconds:F1} s");
        var failures = specs.Select(s =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string? failure = SequenceRunner.Run(s, loaded, Namespace);
            output.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {s.ParameterCount,5} parameters  {s.Reproducer()}");
            return (Spec: s, Failure: failure);
        }).Where(f => f.Failure is not null).ToList();
        foreach (var (spec, failure) in failures) output.WriteLine($"FAILED {spec.Reproducer()}\n  {failure}");
        output.WriteLine($"sequence differential: {specs.Count} cases, {specs.Count - failures.Count} passed");
        // The draw covers every kind it claims to.
        Assert.Contains(specs, s => s.TokenInput);
        Assert.Contains(specs, s => !s.TokenInput);
        foreach (SequenceLayerKind kind in new[] { SequenceLayerKind.SimpleRnn, SequenceLayerKind.Lstm, SequenceLayerKind.Gru })
        {
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind && l.ReturnSequences));
            Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == kind && !l.ReturnSequences));
        }
        Assert.Contains(specs, s => s.Layers.Count(l => l.IsRecurrent) == 2);
        Assert.Contains(specs, s => s.ClipNorm is not null);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Select(f => $"FAILED {f.Spec.Reproducer()}\n  {f.Failure}")));
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// The random sequence stacks of <see cref="SequenceDifferentialTests"/> (SimpleRnn/Lstm/Gru stacked, ReturnSequences both
/// ways, Embedding or float steps, per-step Dense/Activation/Dropout, MSE or per-step softmax CrossEntropy, ClipNorm), as
/// float networks compiled with ILGPU referenced: on ILGPU's CPU accelerator each GPU runner must agree with its CPU class
/// on outputs, loss, gradients and the parameters after a training step (the tolerances of <see cref="GpuShareTests"/>).
/// </summary>
public sealed class SequenceGpuShareTests(ITestOutputHelper output)
{
    private const string Namespace = "TrustSequenceGpuCases";
    private const int Seeds = 40;

    [Fact]
    public void GpuRunnerAgreesWithTheCpuClassOnRandomSequenceStacks()
    {
        var specs = Enumerable.Range(1, Seeds).Select(s => SequenceCase.Generate(s, $"SeqGpu{s}")).ToList();
        List<string> failures = SequenceGpuParity.CompareAll(specs, Namespace, c => c.ClassName, Single, spec => new GpuParityCase(spec.BatchSize, spec.DataSeed, spec.TokenInput ? spec.Vocabulary : 0, spec.LabelsPerSample, spec.Loss));
        output.WriteLine($"sequence GPU share: {specs.Count - failures.Count} of {specs.Count} cases agree with the CPU class on ILGPU's CPU accelerator");
        Assert.Contains(specs, s => s.ClipNorm is not null);
        Assert.Contains(specs, s => s.Loss == Loss.CrossEntropy && s.Output.Steps > 0);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The case's declaration in single precision (the GPU runner has no double).</summary>
    private static string Single(SequenceCase c) => c.Declaration(multiline: false).Replace(", Precision = Precision.Double", "");
}

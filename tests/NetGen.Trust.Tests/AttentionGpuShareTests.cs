using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// The random attention stacks of <see cref="AttentionDifferentialTests"/> (MultiHeadAttention / TransformerBlock, causal or
/// not, heads 1 to the width, Embedding or float steps, PositionalEmbedding, LayerNorm, GELU, GlobalAveragePooling1D,
/// attention dropout, MSE or CrossEntropy, AdamW, ClipNorm), as float networks compiled with ILGPU referenced: on ILGPU's
/// CPU accelerator each GPU runner must agree with its CPU class on outputs, loss, gradients and the parameters after a
/// training step (<see cref="SequenceGpuParity"/>; AdamW's first step is normalised, so parameters whose gradient is noise
/// around 0 are compared by their gradient only).
/// </summary>
public sealed class AttentionGpuShareTests(ITestOutputHelper output)
{
    private const string Namespace = "TrustAttentionGpuCases";
    private const int Seeds = 30;

    [Fact]
    public void GpuRunnerAgreesWithTheCpuClassOnRandomAttentionStacks()
    {
        var specs = Enumerable.Range(1, Seeds).Select(s => AttentionCase.Generate(s, $"AttnGpu{s}")).ToList();
        List<string> failures = SequenceGpuParity.CompareAll(specs, Namespace, c => c.ClassName, Single, spec => new GpuParityCase(spec.BatchSize, spec.DataSeed, spec.Vocabulary, spec.LabelsPerSample, spec.Loss, NormalisedSteps: true));
        output.WriteLine($"attention GPU share: {specs.Count - failures.Count} of {specs.Count} cases agree with the CPU class on ILGPU's CPU accelerator");
        Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == AttentionLayerKind.TransformerBlock));
        Assert.Contains(specs, s => s.Layers.Any(l => l.Kind == AttentionLayerKind.MultiHeadAttention && l.Causal));
        Assert.Contains(specs, s => s.Drops);
        Assert.Contains(specs, s => s.ClipNorm is not null);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The case's declaration in single precision (the GPU runner has no double).</summary>
    private static string Single(AttentionCase c) => c.Declaration(multiline: false).Replace(", Precision = Precision.Double", "");
}

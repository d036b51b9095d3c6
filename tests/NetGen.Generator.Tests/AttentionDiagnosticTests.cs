using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.DiagnosticTests;

namespace NetGen.Generator.Tests;

/// <summary>The attention kinds' bad declarations: each an error at the attribute, and the GPU reasons (NETGEN200).</summary>
public class AttentionDiagnosticTests
{
    [Fact] public void HeadsNotDividingWidth() => Assert.Contains("divide", Expect("NETGEN013", "[Input(5, 4)] [MultiHeadAttention(3)] public partial class Net;", "MultiHeadAttention(3)").GetMessage());
    [Fact] public void BlockHeadsNotDividingWidth() => Expect("NETGEN013", "[Input(5, 6)] [TransformerBlock(4, 8)] public partial class Net;", "TransformerBlock(4");
    [Fact] public void ZeroHeads() => Expect("NETGEN006", "[Input(5, 6)] [MultiHeadAttention(0)] public partial class Net;", "MultiHeadAttention(0)");
    [Fact] public void NegativeBlockHeads() => Expect("NETGEN006", "[Input(5, 6)] [TransformerBlock(-2, 8)] public partial class Net;", "TransformerBlock(-2");
    [Fact] public void ZeroFeedForward() => Assert.Contains("feedForward", Expect("NETGEN006", "[Input(5, 6)] [TransformerBlock(2, 0)] public partial class Net;", "TransformerBlock(2, 0)").GetMessage());
    [Fact] public void AttentionDropoutOfOne() => Assert.Contains("in [0, 1)", Expect("NETGEN010", "[Input(5, 6)] [MultiHeadAttention(2, Dropout = 1f)] [Flatten] [Dense(2)] public partial class Net;", "Dropout").GetMessage());
    [Fact] public void NegativeAttentionDropout() => Expect("NETGEN010", "[Input(5, 6)] [MultiHeadAttention(2, Dropout = -0.1f)] [Flatten] [Dense(2)] public partial class Net;", "Dropout");
    [Fact] public void BlockDropoutNaN() => Assert.Contains("in [0, 1)", Expect("NETGEN010", "[Input(5, 6)] [TransformerBlock(2, 8, Dropout = float.NaN)] [Flatten] [Dense(2)] public partial class Net;", "Dropout").GetMessage());
    [Fact] public void MaxLengthShorterThanTheSequence() => Assert.Contains("PositionalEmbedding(5)", Expect("NETGEN013", "[Input(5, 6)] [PositionalEmbedding(4)] public partial class Net;", "PositionalEmbedding(4)").GetMessage());
    [Fact] public void ZeroMaxLength() => Expect("NETGEN006", "[Input(5, 6)] [PositionalEmbedding(0)] public partial class Net;", "PositionalEmbedding(0)");
    [Fact] public void AttentionOnAVector() => Expect("NETGEN013", "[Input(6)] [MultiHeadAttention(2)] public partial class Net;", "MultiHeadAttention");
    [Fact] public void BlockOnAVector() => Expect("NETGEN013", "[Input(6)] [TransformerBlock(2, 4)] public partial class Net;", "TransformerBlock");
    [Fact] public void PositionalEmbeddingOnAVector() => Expect("NETGEN013", "[Input(6)] [PositionalEmbedding(4)] public partial class Net;", "PositionalEmbedding");
    [Fact] public void AveragePoolingOnAVector() => Expect("NETGEN013", "[Input(6)] [GlobalAveragePooling1D] public partial class Net;", "GlobalAveragePooling1D");
    [Fact] public void LayerNormOnAnImage() => Expect("NETGEN013", "[Input(1, 4, 4)] [LayerNorm] [Flatten] [Dense(2)] public partial class Net;", "LayerNorm");
    [Fact] public void NegativeClipNorm() => Expect("NETGEN010", "[Network(ClipNorm = -1f)] [Input(2)] [Dense(1)] public partial class Net;", "ClipNorm");
    [Fact] public void UnknownOptimizer() => Expect("NETGEN011", "[Network(Optimizer = (Optimizer)5)] [Input(2)] [Dense(1)] public partial class Net;", "Optimizer");

    [Fact]
    public void GeluAdamWAndClipNormCompileWithoutDiagnostics()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings +
            "[Network(Optimizer = Optimizer.AdamW, ClipNorm = 1f)] [Input(3)] [Dense(5, Activation.GELU)] [Activation(Activation.GELU)] [Dense(2)] public partial class Net;");
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.Contains("GeluOperator<float>", code);
        Assert.Contains("GradientClipping.ClipNorm<float>(_gradients, 1f)", code);
        Assert.Contains("Optimizers.AdamW<float>", code);
    }

    [Fact]
    public void AttentionDropoutCompilesToTrainingOnlyMaskedCalls()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings +
            "[Network(Precision = Precision.Double)] [Input(5, 6)] [MultiHeadAttention(2, Causal = true, Dropout = 0.25f)] [TransformerBlock(3, 7, Dropout = 0.5f)] [Flatten] [Dense(2)] public partial class Net;");
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string code = Assert.Single(sources).SourceText.ToString();
        // Training calls carry the mask, the rate and the network's generator; the inference branch calls the plain kernels.
        Assert.Contains("_attentionMask0", code);
        Assert.Contains(", 0.25, ref _random);", code);
        Assert.Contains("_dropoutMasks1", code);
        Assert.Contains(", 0.5, ref _random);", code);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(code, @"if \(training\)").Count >= 2);
        Assert.Contains("heads: 2, causal: true);", code);
    }

    [Fact]
    public void GeluAndAttentionWithoutDropoutHaveGpuKernels()
    {
        Assert.Null(LayerKindRegistryTests.ModelOf("[Input(3)] [Dense(5, Activation.GELU)] [Activation(Activation.GELU)] [Dense(2)]").GpuUnsupportedReason);
        Assert.Null(LayerKindRegistryTests.ModelOf("[Input(5, 6)] [MultiHeadAttention(2, Causal = true)] [TransformerBlock(3, 7)] [Flatten] [Dense(2)]").GpuUnsupportedReason);
    }

    [Fact]
    public void AttentionAndBlockDropoutHaveGpuKernels()
    {
        Assert.Null(LayerKindRegistryTests.ModelOf("[Input(5, 6)] [MultiHeadAttention(2, Dropout = 0.25f)] [Flatten] [Dense(2)]").GpuUnsupportedReason);
        Assert.Null(LayerKindRegistryTests.ModelOf("[Input(5, 6)] [TransformerBlock(3, 7, Dropout = 0.5f)] [Flatten] [Dense(2)]").GpuUnsupportedReason);
    }
}

using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Baselines of the attention kinds' emitted code (every new kind appears in at least one): a small GPT on
/// token ids (Embedding, PositionalEmbedding, causal TransformerBlocks, LayerNorm, AdamW, ClipNorm) and a sequence
/// classifier (MultiHeadAttention, LayerNorm, GELU, GlobalAveragePooling1D). Update: <c>NETGEN_UPDATE_BASELINES=1 dotnet test</c>.
/// </summary>
public class AttentionSnapshotTests
{
    public const string TinyGpt = """
        using NetGen;
        namespace Demo.Text;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 1e-3f, Beta2 = 0.99f, WeightDecay = 0.1f, ClipNorm = 1f, Seed = 1337)]
        [Input(16)]
        [Embedding(65, 8, Name = "wte")]
        [PositionalEmbedding(16, Name = "wpe")]
        [TransformerBlock(2, 32, Causal = true, Name = "h.0")]
        [TransformerBlock(2, 32, Causal = true, Name = "h.1")]
        [LayerNorm(Name = "ln_f")]
        [Dense(65, Activation.Softmax, Name = "lm_head")]
        public partial class TinyGpt;
        """;

    public const string SequenceClassifier = """
        using NetGen;
        namespace Demo.Text;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Seed = 7)]
        [Input(9, 6)]
        [MultiHeadAttention(3)]
        [LayerNorm]
        [Dense(6, Activation.GELU)]
        [GlobalAveragePooling1D]
        [Dense(2, Activation.Softmax)]
        public partial class SequenceClassifier;
        """;

    [Theory]
    [InlineData(nameof(TinyGpt))]
    [InlineData(nameof(SequenceClassifier))]
    public void EmittedCodeMatchesBaseline(string name)
    {
        string source = (string)typeof(AttentionSnapshotTests).GetField(name)!.GetValue(null)!;
        var (diagnostics, sources, errors) = GeneratorHarness.Run(source);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string actual = Assert.Single(sources).SourceText.ToString().ReplaceLineEndings("\n");
        string path = Path.Combine(DiagnosticTests.RepoRoot(), "tests/NetGen.Generator.Tests/Baselines", name + ".g.txt");
        if (Environment.GetEnvironmentVariable("NETGEN_UPDATE_BASELINES") == "1") File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"No baseline at {path}; run with NETGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        Assert.Fail($"{name}: emitted code differs from the baseline at line {line + 1}:\n  baseline: {(line < e.Length ? e[line] : "<end>")}\n  emitted:  {(line < a.Length ? a[line] : "<end>")}");
    }
}

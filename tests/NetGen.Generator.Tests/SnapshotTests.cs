using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The emitted code of two networks compared with checked-in baselines, so its readability cannot
/// rot unnoticed. After an intended change: <c>NETGEN_UPDATE_BASELINES=1 dotnet test</c>, then review the diff.
/// </summary>
public class SnapshotTests
{
    public const string DigitClassifier = """
        using NetGen;
        namespace Demo;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
        [Input(784)]
        [Dense(128, Activation.ReLU)]
        [Dropout(0.2f)]
        [Dense(10, Activation.Softmax)]
        public partial class DigitClassifier;
        """;

    public const string ScientificRegressor = """
        using NetGen;
        namespace Demo.Science;

        public static partial class Models
        {
            [Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, WeightDecay = 1e-4f, Seed = 3)]
            [Input(5)]
            [Maxout(4, 3, Name = "features")]
            [Dense(3, Activation.PReLU)]
            [Activation(Activation.ELU, Alpha = 0.5f)]
            [Dense(1)]
            public partial class ScientificRegressor;
        }
        """;

    /// <summary>A convolutional GAN generator: BatchNorm 1d and 2d, Reshape and ConvTranspose2D (one baseline for the three kinds).</summary>
    public const string DcganGenerator = """
        using NetGen;
        namespace Demo.Gan;

        [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Seed = 5)]
        [Input(17)]
        [Dense(64)]
        [BatchNorm]
        [Activation(Activation.ReLU)]
        [Reshape(4, 4, 4)]
        [ConvTranspose2D(3, 4, Activation.ReLU, Stride = 2, Padding = 1)]
        [BatchNorm]
        [ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1)]
        public partial class DcganGenerator;
        """;

    // One network of each recurrent kind: stacked, per-step Dense after ReturnSequences, and Step.
    public const string SimpleRnnTagger = """
        using NetGen;
        namespace Demo.Sequences;

        [Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, Seed = 7)]
        [Input(13, 3)]
        [SimpleRnn(5, ReturnSequences = true)]
        [Dense(2, Activation.Tanh)]
        public partial class SimpleRnnTagger;
        """;

    public const string LstmForecaster = """
        using NetGen;
        namespace Demo.Sequences;

        [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, Seed = 7)]
        [Input(12, 1)]
        [Lstm(17, ReturnSequences = true, Name = "encoder")]
        [Lstm(3)]
        [Dense(1)]
        public partial class LstmForecaster;
        """;

    public const string GruClassifier = """
        using NetGen;
        namespace Demo.Sequences;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.RmsProp, Seed = 7)]
        [Input(9, 4)]
        [Gru(6)]
        [Dense(3, Activation.Softmax)]
        public partial class GruClassifier;
        """;

    /// <summary>Token ids in, a distribution per time step out: Embedding, per-step Dense, CrossEntropy over batch × time, class-id overloads.</summary>
    public const string TokenTagger = """
        using NetGen;
        namespace Demo.Text;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-2f, Seed = 7)]
        [Input(9)]
        [Embedding(27, 5, Name = "embed")]
        [Dense(8, Activation.Tanh)]
        [Dense(27, Activation.Softmax)]
        public partial class TokenTagger;
        """;

    [Theory]
    [InlineData(nameof(DigitClassifier))]
    [InlineData(nameof(ScientificRegressor))]
    [InlineData(nameof(DcganGenerator))]
    [InlineData(nameof(SimpleRnnTagger))]
    [InlineData(nameof(LstmForecaster))]
    [InlineData(nameof(GruClassifier))]
    [InlineData(nameof(TokenTagger))]
    public void EmittedCodeMatchesBaseline(string name)
    {
        string source = (string)typeof(SnapshotTests).GetField(name)!.GetValue(null)!;
        var (diagnostics, sources, errors) = GeneratorHarness.Run(source);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string actual = Assert.Single(sources).SourceText.ToString().ReplaceLineEndings("\n");
        string path = Path.Combine(DiagnosticTests.RepoRoot(), "tests/NetGen.Generator.Tests/Baselines", name + ".g.txt");
        if (Environment.GetEnvironmentVariable("NETGEN_UPDATE_BASELINES") == "1") File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"No baseline at {path}; run with NETGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n'), a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"{name}: emitted code differs from the baseline at line {line + 1}:\n  baseline: {(line < e.Length ? e[line] : "<end>")}\n  emitted:  {(line < a.Length ? a[line] : "<end>")}");
        }
    }

    public const string GpuRegressor = """
        using NetGen;
        namespace Demo.Gpu;

        [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, WeightDecay = 1e-4f, Seed = 5)]
        [Input(5)]
        [Maxout(4, 3, Name = "features")]
        [Dense(3, Activation.PReLU)]
        [Activation(Activation.ELU, Alpha = 0.5f)]
        [Dense(1)]
        public partial class GpuRegressor;
        """;

    /// <summary>
    /// The GPU runner's emitted code, beside the CPU baselines: emitted from the same analysed model the
    /// pipeline builds (this test project does not reference ILGPU, so the text is compared, not compiled;
    /// tests/NetGen.Gpu.Tests compiles and runs it).
    /// </summary>
    [Theory]
    [InlineData(nameof(DigitClassifier))]
    [InlineData(nameof(GpuRegressor))]
    [InlineData(nameof(DcganGenerator))]
    public void EmittedGpuRunnerMatchesBaseline(string name)
    {
        string source = (string)typeof(SnapshotTests).GetField(name)!.GetValue(null)!;
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(GeneratorHarness.Compilation(source));
        var model = driver.GetRunResult().Results.Single().TrackedSteps[NetworkGenerator.Steps.Models]
            .SelectMany(s => s.Outputs).Select(o => o.Value).OfType<NetGen.Generator.Model.NetworkModel>().Single();
        string? actual = NetGen.Generator.Emit.Gpu.GpuNetworkEmitter.Emit(model, out string? reason);
        Assert.True(actual is not null, reason);
        Compare(name + ".Gpu", actual!.ReplaceLineEndings("\n"));
    }

    private static void Compare(string name, string actual)
    {
        string path = Path.Combine(DiagnosticTests.RepoRoot(), "tests/NetGen.Generator.Tests/Baselines", name + ".g.txt");
        if (Environment.GetEnvironmentVariable("NETGEN_UPDATE_BASELINES") == "1") File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"No baseline at {path}; run with NETGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n'), a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"{name}: emitted code differs from the baseline at line {line + 1}:\n  baseline: {(line < e.Length ? e[line] : "<end>")}\n  emitted:  {(line < a.Length ? a[line] : "<end>")}");
        }
    }

    [Fact]
    public void EmittedCodeReadsLikeATextbook()
    {
        var (_, sources, _) = GeneratorHarness.Run(DigitClassifier);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.StartsWith("// <auto-generated/>", code.TrimStart('\uFEFF'));
        Assert.Contains("#nullable enable", code);
        Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen\"", code);
        Assert.Contains("// z0 = x0·W0ᵀ + b0;  y0 = max(0, z0)   (W0: 128×784 row-major, activation fused)", code);
        Assert.Contains("/// <summary>", code);
        Assert.DoesNotContain(" Span<", code.Replace("global::System.Span<", "").Replace("global::System.ReadOnlySpan<", ""));
    }
}

using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator on convolutional declarations: shapes that do not work give NETGEN013 at the
/// offending attribute, with a message that says how to fix it; shapes that work give no
/// diagnostic and code that compiles; LeNet-5's emitted code is kept as a baseline.
/// </summary>
public class ConvolutionGeneratorTests
{
    /// <summary>Asserts one error, NETGEN013, located on the attribute starting with <paramref name="at"/>; returns its message.</summary>
    private static string ShapeError(string declaration, string at)
    {
        string source = GeneratorHarness.Usings + declaration;
        var (diagnostics, sources, _) = GeneratorHarness.Run(source);
        Diagnostic d = Assert.Single(diagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("NETGEN013", d.Id);
        Assert.StartsWith(at, source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.Empty(sources);
        return d.GetMessage();
    }

    [Fact]
    public void KernelLargerThanThePaddedInput()
        => Assert.Contains("the 7×7 kernel is larger than the padded input 6×6",
            ShapeError("[Input(1, 4, 4)] [Conv2D(2, 7, Padding = 1)] public partial class Net;", "Conv2D(2, 7"));

    [Theory]
    [InlineData("[Input(1, 5, 7)] [Conv2D(2, 2, Stride = 2)]", "(None, 2, 2, 3)")]
    [InlineData("[Input(3, 8, 8)] [Conv2D(4, 3, Stride = 2, Padding = 1)]", "(None, 4, 4, 4)")]
    [InlineData("[Input(1, 5, 7)] [MaxPool2D(2)]", "(None, 1, 2, 3)")]
    [InlineData("[Input(2, 8, 9)] [AvgPool2D(3, Stride = 2)]", "(None, 2, 3, 4)")]
    public void StridesThatDoNotDivideAreSizedAsPyTorchDoes(string layers, string shape)
    {
        // Issue 17 item 8: ⌊(n + 2p − k)/s⌋ + 1, no NETGEN013.
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + layers + " public partial class Net;");
        Assert.DoesNotContain(diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Empty(errors);
        Assert.Contains(shape, Assert.Single(sources).SourceText.ToString());
    }

    [Fact]
    public void PoolingWindowLargerThanTheInput()
        => Assert.Contains("the 6×6 window is larger than the input 5×7",
            ShapeError("[Input(1, 5, 7)] [AvgPool2D(6)] public partial class Net;", "AvgPool2D(6)"));

    [Fact]
    public void DenseAfterAConvolutionWithoutFlatten()
        => Assert.Contains("add [Flatten] before it",
            ShapeError("[Input(1, 28, 28)] [Conv2D(4, 5)] [MaxPool2D(2)] [Dense(10)] public partial class Net;", "Dense(10)"));

    [Fact]
    public void ConvolutionOnAVector()
        => Assert.Contains("declare [Input(channels, height, width)]",
            ShapeError("[Input(784)] [Conv2D(4, 5)] public partial class Net;", "Conv2D(4, 5)"));

    [Fact]
    public void PoolingOnAVector()
        => Assert.Contains("pooling takes a [channels, height, width] input",
            ShapeError("[Input(1, 6, 6)] [Flatten] [MaxPool2D(2)] public partial class Net;", "MaxPool2D(2)"));

    [Fact]
    public void NonPositiveFiltersStrideAndWindow()
    {
        var (diagnostics, sources, _) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(1, 8, 8)] [Conv2D(0, 3, Stride = 0)] [MaxPool2D(2, Stride = -1)] public partial class Net;");
        Assert.Equal(3, diagnostics.Count(d => d.Id == "NETGEN006"));
        Assert.Empty(sources);
    }

    [Theory]
    [InlineData("[Network(Precision = Precision.Double)] [Input(3, 5, 7)] [Conv2D(2, 3, Stride = 2, Padding = 1, Activation = Activation.PReLU)] [Dropout(0.5f)] [Activation(Activation.PReLU)] [AvgPool2D(2, Stride = 1)]")]
    [InlineData("[Network(Loss = Loss.CrossEntropy)] [Input(2, 6, 6)] [Conv2D(3, 6, Activation.Softmax)]")]
    [InlineData("[Network(Loss = Loss.BinaryCrossEntropy)] [Input(1, 6, 6)] [MaxPool2D(2)] [Conv2D(1, 3, Activation = Activation.Sigmoid, Name = \"head\")]")]
    [InlineData("[Input(3, 9, 9)] [Conv2D(4, 3, Stride = 3, Activation = Activation.LeakyReLU, Alpha = 0.2f)] [Conv2D(2, 1, Activation = Activation.ELU)] [Flatten] [Maxout(2, 3)]")]
    [InlineData("[Input(1, 6, 6)] [Flatten] [Dense(4, Activation.Swish)]")]
    public void WorkingDeclarationsCompileWithoutDiagnostics(string attributes)
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + attributes + " public partial class Net;");
        Assert.Empty(diagnostics);
        Assert.Single(sources);
        Assert.Empty(errors);
    }

    public const string LeNet5 = """
        using NetGen;
        namespace Demo.Vision;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Seed = 5)]
        [Input(1, 28, 28)]
        [Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
        [MaxPool2D(2)]
        [Conv2D(16, 5, Activation = Activation.ReLU)]
        [AvgPool2D(2)]
        [Flatten]
        [Dense(120, Activation.ReLU)]
        [Dense(84, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class LeNet5;
        """;

    /// <summary>LeNet-5's emitted code against <c>Baselines/LeNet5.g.txt</c> (update with NETGEN_UPDATE_BASELINES=1, then review the diff).</summary>
    [Fact]
    public void LeNet5MatchesBaseline()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(LeNet5);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string actual = Assert.Single(sources).SourceText.ToString().ReplaceLineEndings("\n");
        string path = Path.Combine(DiagnosticTests.RepoRoot(), "tests/NetGen.Generator.Tests/Baselines/LeNet5.g.txt");
        if (Environment.GetEnvironmentVariable("NETGEN_UPDATE_BASELINES") == "1") File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"No baseline at {path}; run with NETGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n'), a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"LeNet5: emitted code differs from the baseline at line {line + 1}:\n  baseline: {(line < e.Length ? e[line] : "<end>")}\n  emitted:  {(line < a.Length ? a[line] : "<end>")}");
        }
    }

    [Fact]
    public void LeNet5SummaryAndCommentsShowTheInferredShapes()
    {
        var (_, sources, _) = GeneratorHarness.Run(LeNet5);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.Contains("\" layers.0 (Conv2D, ReLU)    (None, 6, 28, 28)         156\\n\"", code);
        Assert.Contains("\" layers.3 (AvgPool2D)       (None, 16, 5, 5)          0\\n\"", code);
        Assert.Contains("\"Total params: 61,706\\n\"", code);
        Assert.Contains("// z0[f] = b0[f] + Σ_c W0[f, c] ⋆ x0[c]   (W0: [6, 1, 5, 5]; per sample: im2col to [25, 784], then W0·columns)", code);
        Assert.Contains("private readonly float[] _columns2 = new float[15000];", code);
        Assert.Contains("// layers.0.weight ~ U(−b, b), b = √(6 / 25)   (He uniform: a ReLU-family activation follows)", code);
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>One test per diagnostic: the right id, at the offending attribute, and no code emitted for errors.</summary>
public class DiagnosticTests
{
    /// <summary>Runs the generator; asserts exactly one diagnostic of <paramref name="id"/>, located on text containing <paramref name="at"/>.</summary>
    private static Diagnostic Expect(string id, string source, string at)
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + source);
        Diagnostic d = Assert.Single(diagnostics, x => x.Id == id);
        // Generator diagnostics carry path and span (no syntax tree survives the pipeline); the source is Source0.cs.
        Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path);
        string text = GeneratorHarness.Usings + source;
        string located = text.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
        Assert.Contains(at, located);
        Assert.False(string.IsNullOrWhiteSpace(d.GetMessage()));
        Assert.DoesNotContain(diagnostics, x => x.Id == "CS8785");
        if (d.Severity == DiagnosticSeverity.Error) Assert.Empty(sources);
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true);
        return d;
    }

    [Fact] public void NotPartial() => Expect("NETGEN001", "[Input(2)] [Dense(1)] public class Net { }", "Net");
    [Fact] public void ContainingTypeNotPartial() => Expect("NETGEN001", "public class Outer { [Input(2)] [Dense(1)] public partial class Net { } }", "Outer");
    [Fact] public void Generic() => Expect("NETGEN002", "[Input(2)] [Dense(1)] public partial class Net<T> { }", "Net");
    [Fact] public void NestedInGeneric() => Expect("NETGEN002", "public partial class Outer<T> { [Input(2)] [Dense(1)] public partial class Net { } }", "Net");
    [Fact] public void MissingInput() => Expect("NETGEN003", "[Network] [Dense(1)] public partial class Net;", "Net");
    [Fact] public void RepeatedInput() => Expect("NETGEN004", "[Input(2)] [Input(3)] [Dense(1)] public partial class Net;", "Input(3)");
    [Fact] public void InputNotFirst() => Expect("NETGEN005", "[Dense(1)] [Input(2)] public partial class Net;", "Input(2)");
    [Fact] public void NonPositiveUnits() => Expect("NETGEN006", "[Input(2)] [Dense(0)] public partial class Net;", "Dense(0)");
    [Fact] public void NegativeInput() => Expect("NETGEN006", "[Input(-4)] [Dense(1)] public partial class Net;", "Input(-4)");
    [Fact] public void NonPositivePieces() => Expect("NETGEN006", "[Input(2)] [Maxout(3, 0)] public partial class Net;", "Maxout(3, 0)");
    [Fact] public void SoftmaxNotLast() => Expect("NETGEN007", "[Input(2)] [Dense(3, Activation.Softmax)] [Dense(1)] public partial class Net;", "Softmax");
    [Fact] public void BinaryStepInMultiLayerNetwork() => Expect("NETGEN008", "[Input(2)] [Dense(3, Activation.BinaryStep)] [Dense(1)] public partial class Net;", "BinaryStep");
    [Fact] public void LayersSplitOverPartials() => Expect("NETGEN009", "[Input(2)] [Dense(3)] public partial class Net; [Dense(1)] public partial class Net;", "Net");
    [Fact] public void DropoutRateOutOfRange() => Expect("NETGEN010", "[Input(2)] [Dropout(1.5f)] [Dense(1)] public partial class Net;", "Dropout(1.5f)");
    [Fact] public void NegativeLearningRate() => Expect("NETGEN010", "[Network(LearningRate = -0.1f)] [Input(2)] [Dense(1)] public partial class Net;", "LearningRate");
    [Fact] public void MomentumOutOfRange() => Expect("NETGEN010", "[Network(Momentum = 1.5f)] [Input(2)] [Dense(1)] public partial class Net;", "Momentum");
    [Fact] public void UnknownActivation() => Expect("NETGEN011", "[Input(2)] [Dense(1, (Activation)42)] public partial class Net;", "(Activation)42");
    [Fact] public void UnknownLoss() => Expect("NETGEN011", "[Network(Loss = (Loss)7)] [Input(2)] [Dense(1)] public partial class Net;", "Loss");
    [Fact] public void NoLayers() => Expect("NETGEN012", "[Input(2)] public partial class Net;", "Net");
    [Fact] public void DenseOnImageWithoutFlatten() => Expect("NETGEN013", "[Input(1, 4, 4)] [Dense(3)] public partial class Net;", "Dense(3)");
    [Fact] public void MaxoutOnSequence() => Expect("NETGEN013", "[Input(4, 3)] [Maxout(2, 2)] public partial class Net;", "Maxout(2, 2)");
    [Fact] public void ConvOnSequence() => Expect("NETGEN013", "[Input(4, 3)] [Conv2D(2, 3, Activation.ReLU)] public partial class Net;", "Conv2D(2");
    [Fact] public void PReLULayerOnSequence() => Expect("NETGEN013", "[Input(4, 3)] [Activation(Activation.PReLU)] [Flatten] [Dense(1)] public partial class Net;", "Activation(Activation.PReLU)");
    [Fact] public void BinaryCrossEntropyOverASequenceOutput() => Expect("NETGEN013", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(4, 3)] [Dense(2, Activation.Sigmoid)] public partial class Net;", "Dense(2");

    [Fact]
    public void CrossEntropyOverASequenceOutputCompiles()
    {
        // CrossEntropy per time step (softmax over the last dimension, averaged over batch × time) is allowed.
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Network(Loss = Loss.CrossEntropy)] [Input(4, 3)] [Dense(2, Activation.Softmax)] public partial class Net;");
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.Contains("ClassIndexLosses.SoftmaxCrossEntropy<float>(Rows(_z0, n * 8), labels, rows: n * 4, classes: 2)", code);
        Assert.Contains("public const int LabelsPerSample = 4;", code);
    }

    // Embedding: sizes, placement (right after [Input(timeSteps)]), and what it cannot take.
    [Fact] public void EmbeddingVocabularyZero() => Expect("NETGEN006", "[Input(5)] [Embedding(0, 3)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(0, 3)");
    [Fact] public void EmbeddingDimensionsZero() => Expect("NETGEN006", "[Input(5)] [Embedding(4, 0)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 0)");
    [Fact] public void EmbeddingNotFirst() => Expect("NETGEN013", "[Input(5)] [Dense(3)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 2)");
    [Fact] public void EmbeddingOnAnImage() => Expect("NETGEN013", "[Input(1, 4, 4)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 2)");
    [Fact] public void EmbeddingOnAFloatSequence() => Expect("NETGEN013", "[Input(4, 3)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 2)");
    [Fact] public void EmbeddingZeroTimeSteps() => Expect("NETGEN006", "[Input(0)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Input(0)");
    [Fact] public void TwoEmbeddings() => Expect("NETGEN013", "[Input(5)] [Embedding(4, 2)] [Embedding(4, 2, Name = \"second\")] [Flatten] [Dense(1)] public partial class Net;", "Name = \"second\"");
    [Fact] public void TokensIntoADense() => Expect("NETGEN013", "[Input(5)] [Dense(3)] [Embedding(4, 2)] public partial class Net;", "Embedding(4, 2)");

    [Fact]
    public void EmbeddingMessagesSayWhatToDo()
    {
        Diagnostic d = Expect("NETGEN013", "[Input(4, 3)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 2)");
        Assert.Contains("token ids", d.GetMessage());
        Assert.Contains("[Input(timeSteps)]", d.GetMessage());
        d = Expect("NETGEN013", "[Input(5)] [Dense(3)] [Embedding(4, 2)] [Flatten] [Dense(1)] public partial class Net;", "Embedding(4, 2)");
        Assert.Contains("right after [Input(timeSteps)]", d.GetMessage());
    }
    [Fact] public void ZeroTimeSteps() => Expect("NETGEN006", "[Input(0, 3)] [Dense(1)] public partial class Net;", "Input(0, 3)");

    [Fact]
    public void TwoIntsAreASequence()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(4, 3)] [Dense(2, Activation.Tanh)] [Flatten] [Dense(1)] public partial class Net;");
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.Contains("(None, 4, 3)", code);
        Assert.Contains("(None, 4, 2)", code);
        Assert.Contains("public const int InputSize = 12;", code);
    }

    [Fact] public void TooManyParameters() => Expect("NETGEN014", "[Input(100000)] [Dense(100000)] public partial class Net;", "Dense(100000)");
    [Fact] public void DuplicateLayerName() => Expect("NETGEN015", "[Input(2)] [Dense(3, Name = \"a\")] [Dense(1, Name = \"a\")] public partial class Net;", "Dense(1");
    [Fact] public void StaticClass() => Expect("NETGEN016", "[Input(2)] [Dense(1)] public static partial class Net { }", "Net");
    [Fact] public void CrossEntropyWithoutSoftmaxWarns() => Expect("NETGEN100", "[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.Sigmoid)] public partial class Net;", "Dense(3");
    [Fact] public void BinaryCrossEntropyWithoutSigmoidWarns() => Expect("NETGEN101", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1)] public partial class Net;", "Dense(1)");
    [Fact] public void AlphaOnReLUWarns() => Expect("NETGEN102", "[Input(2)] [Dense(1, Activation.ReLU, Alpha = 0.2f)] public partial class Net;", "Alpha");

    [Fact]
    public void InvalidArgumentIsReportedNotThrown()
    {
        var (diagnostics, sources, _) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(\"x\")] [Dense(1)] public partial class Net;");
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        Assert.Empty(sources);
    }

    [Fact]
    public void WarningsStillEmitCompilingCode()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(3)] public partial class Net;");
        Assert.Contains(diagnostics, d => d.Id == "NETGEN100");
        Assert.Single(sources);
        Assert.Empty(errors);
    }

    [Fact]
    public void EveryDescriptorIsTrackedInTheReleaseFile()
    {
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoRoot(), "generator/NetGen.Generator/Diagnostics/AnalyzerReleases.Unshipped.md"));
        var ids = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id).ToList();
        Assert.True(ids.Count >= 20);
        Assert.All(ids, id => Assert.Contains(id + " |", releases));
    }

    internal static string RepoRoot()
    {
        for (var dir = new System.IO.DirectoryInfo(System.AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "NetGen.sln"))) return dir.FullName;
        throw new System.IO.DirectoryNotFoundException("NetGen.sln not found");
    }
}

public class HostileFindingTests
{
    [Fact]
    public void MemberNamedLikeAGeneratedOneIsADiagnosticNotACompileError()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(2)] [Dense(1)] public partial class Net { public void Predict() { } }");
        Assert.Contains(diagnostics, d => d.Id == "NETGEN018");
        Assert.Empty(sources);
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true);
    }

    [Theory]
    [InlineData("public partial class Net { public Net() { } }")]
    [InlineData("public partial class Net { private int _y0; }")]
    [InlineData("public partial class Summary { }")]
    public void ClashesAreReported(string declaration)
    {
        string source = GeneratorHarness.Usings + "[Input(2)] [Dense(1)] " + declaration;
        var (diagnostics, sources, _) = GeneratorHarness.Run(source);
        Assert.Contains(diagnostics, d => d.Id == "NETGEN018");
        Assert.Empty(sources);
    }

    [Fact]
    public void OrdinaryPrivateFieldsAreFine()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(2)] [Dense(1)] public partial class Net { private int _count; private string _label = \"\"; }");
        Assert.Empty(diagnostics);
        Assert.Single(sources);
        Assert.Empty(errors);
    }

    [Fact]
    public void KeywordIdentifiersAreEscaped()
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run("using NetGen; namespace @event { public partial class @class { [Input(2)] [Dense(1)] public partial class @int; } }");
        Assert.DoesNotContain(diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Single(sources);
        Assert.Empty(errors);
    }

    [Fact]
    public void InputWhoseSizeOverflowsIntIsTooLarge()
    {
        var (diagnostics, sources, _) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Input(65536, 65536, 65536)] [Flatten] [Dense(1)] public partial class Net;");
        Assert.Contains(diagnostics, d => d.Id == "NETGEN014");
        Assert.Empty(sources);
    }
}

public class PlainClassTests
{
    [Theory]
    [InlineData("[Network] [Input(2)] [Dense(1)] public partial record Net;", "Net")]
    [InlineData("[Input(2)] [Dense(1)] file partial class Net;", "Net")]
    public void RecordsAndFileLocalClassesAreReported(string declaration, string at)
    {
        var (diagnostics, sources, _) = GeneratorHarness.Run(GeneratorHarness.Usings + declaration);
        var d = Assert.Single(diagnostics, x => x.Id == "NETGEN019");
        Assert.Equal(at, (GeneratorHarness.Usings + declaration).Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.Empty(sources);
    }
}

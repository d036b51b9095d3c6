using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>One test per diagnostic: the right id, at the offending attribute, and no code emitted for errors.</summary>
public class DiagnosticTests
{
    /// <summary>Runs the generator; asserts exactly one diagnostic of <paramref name="id"/>, located on text containing <paramref name="at"/>.</summary>
    internal static Diagnostic Expect(string id, string source, string at)
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + source);
        Diagnostic d = Assert.Single(diagnostics, x => x.Id == id);
        // Generator diagnostics are located in the source's syntax tree (Source0.cs), so pragmas apply to them.
        Assert.Equal("Source0.cs", d.Location.GetLineSpan().Path);
        Assert.True(d.Location.IsInSource, $"{id} is not located in a syntax tree: {d.Location.Kind}");
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
    [Fact] public void ConvTranspose2DOnAVector() => Expect("NETGEN013", "[Input(4)] [ConvTranspose2D(2, 3)] [Flatten] [Dense(1)] public partial class Net;", "ConvTranspose2D(2, 3)");
    [Fact] public void ConvTranspose2DPaddingTooLarge() => Expect("NETGEN013", "[Input(1, 2, 2)] [ConvTranspose2D(2, 1, Padding = 3)] [Flatten] [Dense(1)] public partial class Net;", "ConvTranspose2D(2, 1");
    [Fact] public void ConvTranspose2DOutputPaddingNotBelowTheStride() => Expect("NETGEN010", "[Input(1, 2, 2)] [ConvTranspose2D(2, 3, Stride = 2, OutputPadding = 2)] [Flatten] [Dense(1)] public partial class Net;", "ConvTranspose2D(2, 3");
    [Fact] public void ConvTranspose2DNoFilters() => Expect("NETGEN006", "[Input(1, 2, 2)] [ConvTranspose2D(0, 3)] [Flatten] [Dense(1)] public partial class Net;", "ConvTranspose2D(0, 3)");
    [Fact] public void ReshapeZeroChannels() => Expect("NETGEN006", "[Input(4)] [Reshape(0, 2, 2)] [Flatten] [Dense(1)] public partial class Net;", "Reshape(0, 2, 2)");
    [Fact] public void ReshapeOnASequence() => Expect("NETGEN013", "[Input(4, 3)] [Reshape(3, 2, 2)] [Flatten] [Dense(1)] public partial class Net;", "Reshape(3, 2, 2)");
    [Fact] public void BatchNormOnASequence() => Expect("NETGEN013", "[Input(4, 3)] [BatchNorm] [Flatten] [Dense(1)] public partial class Net;", "BatchNorm");

    [Fact]
    public void ReshapeSizeMismatchNamesBothSizes()
    {
        Diagnostic d = Expect("NETGEN013", "[Input(10)] [Reshape(3, 2, 2)] [Flatten] [Dense(1)] public partial class Net;", "Reshape(3, 2, 2)");
        Assert.Contains("12", d.GetMessage());
        Assert.Contains("10", d.GetMessage());
    }

    [Fact] public void ZeroRecurrentUnits() { Expect("NETGEN006", "[Input(4, 3)] [SimpleRnn(0)] [Dense(1)] public partial class Net;", "SimpleRnn(0)"); Expect("NETGEN006", "[Input(4, 3)] [Lstm(0)] [Dense(1)] public partial class Net;", "Lstm(0)"); Expect("NETGEN006", "[Input(4, 3)] [Gru(-2)] [Dense(1)] public partial class Net;", "Gru(-2)"); }
    [Fact] public void RecurrentOnVector() => Assert.Contains("Input(timeSteps, features)", Expect("NETGEN013", "[Input(3)] [Lstm(4)] [Dense(1)] public partial class Net;", "Lstm(4)").GetMessage());
    [Fact] public void RecurrentOnImage() => Assert.Contains("Input(timeSteps, features)", Expect("NETGEN013", "[Input(1, 4, 4)] [Gru(4)] [Dense(1)] public partial class Net;", "Gru(4)").GetMessage());
    [Fact] public void RecurrentAfterLastStepOnly() => Assert.Contains("ReturnSequences = true", Expect("NETGEN013", "[Input(4, 3)] [SimpleRnn(4)] [SimpleRnn(2)] [Dense(1)] public partial class Net;", "SimpleRnn(2)").GetMessage());
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
    [Fact] public void BinaryCrossEntropyWithoutSigmoidWarns() => Expect("NETGEN101", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1, Activation.Tanh)] public partial class Net;", "Dense(1");

    [Theory]
    [InlineData("CrossEntropy", "[Dense(3)]", "softmax")]
    [InlineData("BinaryCrossEntropy", "[Dense(1)]", "sigmoid")]
    [InlineData("CrossEntropy", "[Dense(4)] [Dropout(0.5f)]", "softmax")]
    public void LinearOutputWithCrossEntropyIsReadAsLogits(string loss, string layers, string inside)
    {
        Diagnostic d = Expect("NETGEN103", $"[Network(Loss = Loss.{loss})] [Input(2)] {layers} public partial class Net;", layers.Contains("Dropout") ? "Dropout(0.5f)" : layers.Trim('[', ']'));
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("logits", d.GetMessage());
        Assert.Contains(inside, d.GetMessage());
        var (diagnostics, _, _) = GeneratorHarness.Run(GeneratorHarness.Usings + $"[Network(Loss = Loss.{loss})] [Input(2)] {layers} public partial class Net;");
        Assert.DoesNotContain(diagnostics, x => x.Id is "NETGEN100" or "NETGEN101");
    }

    [Fact] public void LinearActivationAfterSigmoidIsNotLogits() => Expect("NETGEN101", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(3, Activation.Sigmoid)] [Activation(Activation.Linear)] public partial class Net;", "Activation(Activation.Linear)");

    [Fact]
    public void CrossEntropyWarningNoLongerSaysClamped()
    {
        Diagnostic d = Expect("NETGEN100", "[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.Tanh)] public partial class Net;", "Dense(3");
        Assert.DoesNotContain("clamped", d.GetMessage());
        Assert.Contains("−100", d.GetMessage());
    }

    [Theory]
    [InlineData("NETGEN100", "[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.Sigmoid)]")]
    [InlineData("NETGEN101", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1, Activation.Tanh)]")]
    [InlineData("NETGEN102", "[Input(2)] [Dense(1, Activation.ReLU, Alpha = 0.2f)]")]
    public void PragmaWarningDisableSuppressesTheWarning(string id, string declaration)
    {
        // Without the pragma the warning is reported and not suppressed.
        var (plain, _, _) = GeneratorHarness.Run(GeneratorHarness.Usings + declaration + " public partial class Net;");
        Assert.Contains(plain, d => d.Id == id && !d.IsSuppressed);
        // With `#pragma warning disable` around the declaration the compiler marks it suppressed (not shown, not an error under warnaserror).
        string source = GeneratorHarness.Usings + $"#pragma warning disable {id}\n" + declaration + $" public partial class Net;\n#pragma warning restore {id}\n";
        var (diagnostics, sources, errors) = GeneratorHarness.Run(source);
        Diagnostic d = Assert.Single(diagnostics, x => x.Id == id);
        Assert.True(d.IsSuppressed, $"{id} under #pragma warning disable was not suppressed");
        Assert.Single(sources);
        Assert.Empty(errors);
        // A pragma for another id leaves it alone.
        var (other, _, _) = GeneratorHarness.Run(GeneratorHarness.Usings + "#pragma warning disable NETGEN999\n" + declaration + " public partial class Net;");
        Assert.Contains(other, x => x.Id == id && !x.IsSuppressed);
    }
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
        var (diagnostics, sources, errors) = GeneratorHarness.Run(GeneratorHarness.Usings + "[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.ReLU)] public partial class Net;");
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

using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>
/// The generator run through Roslyn on convolutional declarations: shapes that do not work give
/// NETGEN013 at the offending attribute with a message that says how to fix it; shapes that do work
/// give no diagnostic and code that compiles.
/// </summary>
public class DiagnosticsTests
{
    private static readonly MetadataReference[] References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .Append(MetadataReference.CreateFromFile(typeof(NetGen.INetwork).Assembly.Location))
        .ToArray();

    private static string Source(string declaration) => "using NetGen;\nnamespace Demo;\n" + declaration;

    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Compiler) Run(string declaration)
    {
        string source = Source(declaration);
        var compilation = CSharpCompilation.Create("Demo", new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NetworkGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(driver.GetRunResult().Results.Where(r => r.Exception is not null));
        return (diagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    private static Diagnostic SingleError(string declaration, string attributeText)
    {
        var (generator, _) = Run(declaration);
        Diagnostic d = Assert.Single(generator, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("NETGEN013", d.Id);
        // The generator reports plain locations (no syntax tree survives its model), so read the span from the source.
        string located = Source(declaration).Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
        Assert.StartsWith(attributeText, located);
        return d;
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input()
    {
        Diagnostic d = SingleError("[Input(1, 4, 4)]\n[Conv2D(2, 7, Padding = 1)]\npublic partial class Net;", "Conv2D(2, 7");
        Assert.Contains("7×7 kernel is larger than the padded input 6×6", d.GetMessage());
    }

    [Fact]
    public void Stride_that_does_not_divide()
    {
        Diagnostic d = SingleError("[Input(1, 5, 7)]\n[Conv2D(2, 2, Stride = 2)]\npublic partial class Net;", "Conv2D(2, 2");
        Assert.Contains("stride 2 does not divide", d.GetMessage());
    }

    [Fact]
    public void Pooling_window_that_does_not_fit()
    {
        Diagnostic d = SingleError("[Input(1, 5, 7)]\n[MaxPool2D(2)]\npublic partial class Net;", "MaxPool2D(2)");
        Assert.Contains("stride 2 does not divide", d.GetMessage());
        Diagnostic big = SingleError("[Input(1, 5, 7)]\n[AvgPool2D(6)]\npublic partial class Net;", "AvgPool2D(6)");
        Assert.Contains("window is larger than the input 5×7", big.GetMessage());
    }

    [Fact]
    public void Dense_after_an_image_without_Flatten()
    {
        Diagnostic d = SingleError("[Input(1, 28, 28)]\n[Conv2D(4, 5)]\n[Dense(10)]\npublic partial class Net;", "Dense(10)");
        Assert.Contains("add [Flatten] before it", d.GetMessage());
    }

    [Fact]
    public void Conv2D_on_a_vector_input()
    {
        Diagnostic d = SingleError("[Input(784)]\n[Conv2D(4, 5)]\npublic partial class Net;", "Conv2D(4, 5)");
        Assert.Contains("declare [Input(channels, height, width)]", d.GetMessage());
    }

    [Fact]
    public void Non_positive_filters_stride_and_window_are_reported()
    {
        var (generator, _) = Run("[Input(1, 8, 8)]\n[Conv2D(0, 3, Stride = 0)]\n[MaxPool2D(2, Stride = -1)]\npublic partial class Net;");
        Assert.Equal(3, generator.Count(d => d.Id == "NETGEN006"));
    }

    [Theory]
    [InlineData("[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]\n[Input(1, 28, 28)]\n[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]\n[MaxPool2D(2)]\n[Conv2D(16, 5, Activation = Activation.ReLU)]\n[MaxPool2D(2)]\n[Flatten]\n[Dense(120, Activation.ReLU)]\n[Dense(84, Activation.ReLU)]\n[Dense(10, Activation.Softmax)]")]
    [InlineData("[Network(Precision = Precision.Double)]\n[Input(3, 5, 7)]\n[Conv2D(2, 3, Stride = 2, Padding = 1, Activation = Activation.PReLU)]\n[Dropout(0.5f)]\n[Activation(Activation.PReLU)]\n[AvgPool2D(2, Stride = 1)]")]
    [InlineData("[Network(Loss = Loss.CrossEntropy)]\n[Input(2, 6, 6)]\n[Conv2D(3, 6, Activation = Activation.Softmax)]")]
    [InlineData("[Network(Loss = Loss.BinaryCrossEntropy)]\n[Input(1, 6, 6)]\n[MaxPool2D(2)]\n[Conv2D(1, 3, Activation = Activation.Sigmoid, Name = \"head\")]")]
    [InlineData("[Input(1, 6, 6)]\n[Flatten]\n[Dense(4, Activation.LeakyReLU)]")]
    public void Working_declarations_compile_without_diagnostics(string attributes)
    {
        var (generator, compiler) = Run(attributes + "\npublic partial class Net;");
        Assert.Empty(generator.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Empty(compiler);
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// [Network(Weights = ...)]: the generator reads the safetensors file from AdditionalFiles, emits an
/// inference-only class, reports each problem with the file as an error at the Weights argument, and
/// does not emit again for an unchanged file.
/// </summary>
public class EmbeddedWeightsTests
{
    private const string Declaration = """
        using NetGen;
        [Network(Weights = "model.safetensors")] [Input(4)] [Dense(3, Activation.ReLU)] [Dense(2)]
        public partial class Net;
        """;

    /// <summary>An additional file given to the driver as the build would: a path and its text (null: the compiler refused it).</summary>
    private sealed class InMemoryText(string path, SourceText? text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText? GetText(CancellationToken cancellationToken = default) => text;
    }

    /// <summary>A safetensors file: 8-byte little-endian header length, the JSON header, the data.</summary>
    private static byte[] Safetensors(params (string Name, string DType, int[] Shape)[] tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new List<byte>();
        var rng = new Random(5);
        foreach (var (name, dtype, shape) in tensors)
        {
            int count = shape.Aggregate(1, (a, b) => a * b);
            int size = dtype == "F64" ? 8 : dtype == "F16" ? 2 : 4;
            int begin = data.Count;
            for (int i = 0; i < count; i++)
                data.AddRange(dtype == "F64" ? BitConverter.GetBytes(rng.NextDouble() - 0.5) : size == 2 ? new byte[2] : BitConverter.GetBytes((float)rng.NextDouble() - 0.5f));
            header.Append($",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}}");
        }
        byte[] json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        return BitConverter.GetBytes((ulong)json.Length).Concat(json).Concat(data).ToArray();
    }

    private static readonly byte[] s_valid = Safetensors(("layers.0.weight", "F32", new[] { 3, 4 }), ("layers.0.bias", "F32", new[] { 3 }),
                                                         ("layers.1.weight", "F32", new[] { 2, 3 }), ("layers.1.bias", "F32", new[] { 2 }));

    /// <summary>The text form NetGen.targets hands the generator: base64 under obj/.</summary>
    private static AdditionalText Base64(byte[] file, string path = "/project/obj/Release/net10.0/netgen/model.safetensors.base64")
        => new InMemoryText(path, SourceText.From(Convert.ToBase64String(file)));

    private static GeneratorDriver Driver(IEnumerable<AdditionalText> files, bool track = false)
        => CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, files,
            GeneratorHarness.ParseOptions, driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    private static (ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Errors) Run(string source, params AdditionalText[] files)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(source);
        GeneratorDriver driver = Driver(files).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return (result.Diagnostics, result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(),
                output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    /// <summary>Exactly one error <paramref name="id"/>, on the Weights argument, whose message contains each of <paramref name="mentions"/>; nothing emitted.</summary>
    private static void Expect(string id, AdditionalText[] files, params string[] mentions)
    {
        var (diagnostics, sources, _) = Run(Declaration, files);
        Diagnostic d = Assert.Single(diagnostics, x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Weights = \"model.safetensors\"", Declaration.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        foreach (string m in mentions) Assert.Contains(m, d.GetMessage());
        Assert.Empty(sources);
        Assert.DoesNotContain(diagnostics, x => x.Id is "NETGEN020" or "CS8785");
    }

    [Fact]
    public void ValidWeightsGiveAnInferenceOnlyClassThatCompiles()
    {
        var (diagnostics, sources, errors) = Run(Declaration, Base64(s_valid));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        string code = Assert.Single(sources).SourceText.ToString();
        Assert.Contains("public void Predict(", code);
        Assert.Contains("ReadOnlySpan<float> ParameterData => new float[]", code);
        foreach (string training in new[] { "TrainStep", "ComputeGradients", "ComputeLoss", "_gradients", "_optimizerState", "EnsureCapacity", "INetwork" })
            Assert.DoesNotContain(training, code);
    }

    [Fact]
    public void TheBinaryFileDecodedAsLatin1GivesTheSameBytes()
    {
        // A compiler that decodes the binary file with its single-byte fallback encoding: the bytes are recovered exactly.
        Encoding latin1 = Encoding.GetEncoding("ISO-8859-1");
        var binary = new InMemoryText("/project/model.safetensors", SourceText.From(latin1.GetString(s_valid), latin1));
        var (fromBinary, fromText) = (Run(Declaration, binary), Run(Declaration, Base64(s_valid)));
        Assert.Empty(fromBinary.Diagnostics);
        Assert.Equal(Assert.Single(fromText.Sources).SourceText.ToString(), Assert.Single(fromBinary.Sources).SourceText.ToString());
    }

    [Fact] public void FileNotAmongAdditionalFiles() => Expect("NETGEN040", Array.Empty<AdditionalText>(), "model.safetensors", "AdditionalFiles");
    [Fact] public void OtherFileDoesNotMatch() => Expect("NETGEN040", new[] { Base64(s_valid, "/p/obj/netgen/other.safetensors.base64") }, "AdditionalFiles");
    [Fact] public void BinaryFileRefusedByTheCompiler() => Expect("NETGEN040", new AdditionalText[] { new InMemoryText("/project/model.safetensors", null) }, "binary");
    [Fact] public void NotBase64() => Expect("NETGEN040", new AdditionalText[] { new InMemoryText("/p/model.safetensors.base64", SourceText.From("not base64 !!")) }, "base64");
    [Fact] public void NotASafetensorsFile() => Expect("NETGEN040", new[] { Base64(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, 1, 2 }) }, "not a safetensors file", "header length 200");
    [Fact] public void BrokenHeaderJson() => Expect("NETGEN040", new[] { Base64(BitConverter.GetBytes(3UL).Concat(Encoding.UTF8.GetBytes("{\"a")).ToArray()) }, "not a safetensors file");

    [Fact]
    public void MissingTensorIsNamedWithTheShapeNeeded()
        => Expect("NETGEN041", new[] { Base64(Safetensors(("layers.0.weight", "F32", new[] { 3, 4 }), ("layers.1.weight", "F32", new[] { 2, 3 }), ("layers.1.bias", "F32", new[] { 2 }))) },
                  "'layers.0.bias'", "[3]");

    [Fact]
    public void ExtraTensorIsNamed()
        => Expect("NETGEN042", new[] { Base64(Safetensors(("layers.0.weight", "F32", new[] { 3, 4 }), ("layers.0.bias", "F32", new[] { 3 }), ("layers.1.weight", "F32", new[] { 2, 3 }),
                                                          ("layers.1.bias", "F32", new[] { 2 }), ("layers.2.weight", "F32", new[] { 5 }))) },
                  "'layers.2.weight'", "[5]");

    [Fact]
    public void MisshapedTensorNamesBothShapes()
        => Expect("NETGEN043", new[] { Base64(Safetensors(("layers.0.weight", "F32", new[] { 4, 3 }), ("layers.0.bias", "F32", new[] { 3 }), ("layers.1.weight", "F32", new[] { 2, 3 }), ("layers.1.bias", "F32", new[] { 2 }))) },
                  "'layers.0.weight'", "[4, 3]", "[3, 4]");

    [Fact]
    public void DTypeItCannotTake()
        => Expect("NETGEN044", new[] { Base64(Safetensors(("layers.0.weight", "F32", new[] { 3, 4 }), ("layers.0.bias", "F16", new[] { 3 }), ("layers.1.weight", "F32", new[] { 2, 3 }), ("layers.1.bias", "F32", new[] { 2 }))) },
                  "'layers.0.bias'", "F16", "F32 or F64");

    [Fact]
    public void F64TensorsAreTakenByAFloatNetwork()
    {
        byte[] f64 = Safetensors(("layers.0.weight", "F64", new[] { 3, 4 }), ("layers.0.bias", "F64", new[] { 3 }), ("layers.1.weight", "F32", new[] { 2, 3 }), ("layers.1.bias", "F32", new[] { 2 }));
        var (diagnostics, sources, errors) = Run(Declaration, Base64(f64));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Single(sources);
    }

    [Fact]
    public void TokenInputNetworkPredictsFromTokenIds()
    {
        const string tokens = """
            using NetGen;
            [Network(Weights = "model.safetensors")] [Input(5)] [Embedding(7, 3)] [Flatten] [Dense(2)]
            public partial class Net;
            """;
        byte[] file = Safetensors(("layers.0.weight", "F32", new[] { 7, 3 }), ("layers.2.weight", "F32", new[] { 2, 15 }), ("layers.2.bias", "F32", new[] { 2 }));
        var (diagnostics, sources, errors) = Run(tokens, Base64(file));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("public void Predict(global::System.ReadOnlySpan<int> input", Assert.Single(sources).SourceText.ToString());
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriverRunResult result, string step)
        => result.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void AnUnchangedWeightsFileDoesNotEmitAgain()
    {
        AdditionalText weights = Base64(s_valid);
        CSharpCompilation compilation = GeneratorHarness.Compilation(Declaration, "public class Other { public int A; }");
        GeneratorDriver driver = Driver(new[] { weights }, track: true).RunGenerators(compilation);

        // An unrelated edit; the same weights file (as the IDE and the compiler server keep it).
        SyntaxTree other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From("public class Other { public int A; public int B; }")));
        GeneratorDriverRunResult second = driver.RunGenerators(edited).GetRunResult();
        Assert.All(Reasons(second, NetworkGenerator.Steps.WeightsFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(second, NetworkGenerator.Steps.InferenceModels), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.NotEmpty(Reasons(second, NetworkGenerator.Steps.InferenceModels));

        // The same bytes written again (a new AdditionalText, equal content): read again, but nothing emitted again.
        GeneratorDriver rewritten = driver.ReplaceAdditionalText(weights, Base64(s_valid));
        GeneratorDriverRunResult third = rewritten.RunGenerators(edited).GetRunResult();
        Assert.All(Reasons(third, NetworkGenerator.Steps.InferenceModels), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // Other weights: emitted again.
        byte[] changed = (byte[])s_valid.Clone();
        changed[^1] ^= 0x40;
        GeneratorDriverRunResult fourth = driver.ReplaceAdditionalText(weights, Base64(changed)).RunGenerators(edited).GetRunResult();
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(fourth, NetworkGenerator.Steps.InferenceModels));
    }
}

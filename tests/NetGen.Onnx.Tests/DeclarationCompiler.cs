using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Compiles a declaration (an imported <c>Name.cs</c>) through NetGen's generator in a test compilation, loads the
/// assembly and creates the network: what a user's build does with the file <c>netgen import</c> wrote.
/// </summary>
internal static class DeclarationCompiler
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(INetwork).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>Generates, compiles (no errors, no NETGEN errors allowed) and instantiates <paramref name="fullName"/>.</summary>
    public static INetworkState<float> Create(string source, string fullName)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create("Imported" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, parse, path: "Imported.cs") }, s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);
        var errors = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the imported declaration does not compile:\n" + string.Join("\n", errors.Take(5)) + "\n" + source);

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(5)));
        Assembly assembly = Assembly.Load(image.ToArray());
        Type type = assembly.GetType(fullName) ?? throw new InvalidOperationException($"no type {fullName} in the compiled declaration");
        return (INetworkState<float>)Activator.CreateInstance(type)!;
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Trust.Tests.Harness;

/// <summary>What running the generator over a source and compiling the result gave.</summary>
public sealed class GeneratorRun
{
    public required CSharpCompilation Output { get; init; }
    /// <summary>Diagnostics the generator driver reported (NETGEN..., or CS8785 when a generator threw).</summary>
    public required ImmutableArray<Diagnostic> GeneratorDiagnostics { get; init; }
    /// <summary>The exception a generator threw, if any.</summary>
    public Exception? GeneratorException { get; init; }
    /// <summary>The trees the generator added.</summary>
    public required ImmutableArray<SyntaxTree> GeneratedTrees { get; init; }
    /// <summary>Errors and warnings of the whole compilation after generation.</summary>
    public required ImmutableArray<Diagnostic> CompilationDiagnostics { get; init; }

    /// <summary>Compiler errors located in a generated tree: the generator emitted code that does not compile.</summary>
    public IEnumerable<Diagnostic> ErrorsInGeneratedCode
        => CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t && GeneratedTrees.Contains(t));

    public string GeneratedText(string hintContains)
        => string.Join("\n", GeneratedTrees.Where(t => t.FilePath.Contains(hintContains, StringComparison.Ordinal)).Select(t => t.ToString()));
}

/// <summary>An assembly of compiled cases, loaded in a collectible context that is unloaded on dispose.</summary>
public sealed class LoadedCases : IDisposable
{
    private AssemblyLoadContext? _context;
    public Assembly Assembly { get; }
    public GeneratorRun Run { get; }

    internal LoadedCases(AssemblyLoadContext context, Assembly assembly, GeneratorRun run)
    {
        _context = context;
        Assembly = assembly;
        Run = run;
    }

    /// <summary>A new instance of a generated network class (its parameterless constructor).</summary>
    public object Create(string fullName)
        => Activator.CreateInstance(Assembly.GetType(fullName, throwOnError: true)!)!;

    public Type? Type(string fullName) => Assembly.GetType(fullName);

    public void Dispose()
    {
        _context?.Unload();
        _context = null;
    }
}

/// <summary>
/// Compiles sources in-process with Roslyn, running the real <see cref="NetworkGenerator"/> through a
/// <see cref="CSharpGeneratorDriver"/>, against NetGen.dll and the framework's reference assemblies.
/// </summary>
public static class CaseCompiler
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>The references plus ILGPU, ILGPU.Algorithms and NetGen.Gpu: with them the generator also emits each network's GPU runner.</summary>
    public static ImmutableArray<MetadataReference> GpuReferences => s_gpuReferences.Value;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_gpuReferences = new(() => References.AddRange(new[]
    {
        typeof(ILGPU.Context).Assembly.Location,
        typeof(ILGPU.Algorithms.XMath).Assembly.Location,
        typeof(NetGen.Gpu.IGpuNetwork).Assembly.Location,
    }.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new List<string>();
        // The targeting pack next to the running runtime: <dotnet>/shared/Microsoft.NETCore.App/<v>/ → <dotnet>/packs/Microsoft.NETCore.App.Ref/<v>/ref/net<major>.<minor>/.
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        Version running = Environment.Version;
        string? refDir = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(d => (Dir: d, Ok: Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v), V: v))
                .Where(x => x.Ok && x.V!.Major == running.Major)
                .OrderByDescending(x => x.V)
                .Select(x => Path.Combine(x.Dir, "ref", $"net{running.Major}.{running.Minor}"))
                .FirstOrDefault(Directory.Exists)
            : null;
        if (refDir is not null) paths.AddRange(Directory.GetFiles(refDir, "*.dll"));
        else paths.AddRange(((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll"));
        paths.Add(typeof(INetwork<>).Assembly.Location);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    /// <summary>Runs the generator over the sources and returns the updated compilation with every diagnostic.</summary>
    public static GeneratorRun RunGenerator(IEnumerable<string> sources, CancellationToken cancellationToken = default, string assemblyName = "TrustCases", bool diagnose = true, bool withGpu = false)
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Case{i}.cs", cancellationToken: cancellationToken)).ToArray();
        var compilation = CSharpCompilation.Create(assemblyName + "_" + Guid.NewGuid().ToString("N"), trees, withGpu ? GpuReferences : References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false, deterministic: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, cancellationToken);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun
        {
            Output = (CSharpCompilation)output,
            GeneratorDiagnostics = generatorDiagnostics,
            GeneratorException = result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null),
            GeneratedTrees = result.GeneratedTrees,
            // Emit binds every method again, so callers that emit skip this pass and read Emit's diagnostics.
            CompilationDiagnostics = diagnose ? output.GetDiagnostics(cancellationToken) : ImmutableArray<Diagnostic>.Empty,
        };
    }

    /// <summary>Generates, compiles and loads; throws with every error when the result does not compile.</summary>
    public static LoadedCases CompileAndLoad(string source, bool withGpu = false)
    {
        GeneratorRun run = RunGenerator(new[] { source }, diagnose: false, withGpu: withGpu);
        if (run.GeneratorException is not null) throw new InvalidOperationException("The generator threw.", run.GeneratorException);
        var generatorErrors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (generatorErrors.Count > 0) throw new CompilationFailedException(generatorErrors);
        using var pe = new MemoryStream();
        var emit = run.Output.Emit(pe);
        if (!emit.Success) throw new CompilationFailedException(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
        pe.Position = 0;
        var context = new AssemblyLoadContext("trust-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Assembly assembly = context.LoadFromStream(pe);
        return new LoadedCases(context, assembly, run);
    }
}

public sealed class CompilationFailedException(IReadOnlyList<Diagnostic> errors)
    : Exception($"{errors.Count} error(s):\n" + string.Join("\n", errors.Take(20).Select(e => $"{e.Id} {e.Location.GetLineSpan()}: {e.GetMessage()}")))
{
    public IReadOnlyList<Diagnostic> Errors { get; } = errors;
}

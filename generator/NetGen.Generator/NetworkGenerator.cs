using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator;

/// <summary>
/// The pipeline: find classes marked <c>[Network]</c> (or only <c>[Input]</c>), parse each into a
/// <see cref="NetworkSpec"/> with its diagnostics, and emit one source file per network.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, asserted by the incremental tests.</summary>
    public static class Steps
    {
        public const string ParseNetwork = nameof(ParseNetwork);
        public const string ParseInputOnly = nameof(ParseInputOnly);
        public const string Specs = nameof(Specs);
        public const string HasGpu = nameof(HasGpu);
        public const string GpuSpecs = nameof(GpuSpecs);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // GPU runners are emitted only when the compilation can compile them: ILGPU and NetGen.Gpu referenced.
        IncrementalValueProvider<GpuSupport> gpuSupport = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("ILGPU.Runtime.Accelerator") is null ? GpuSupport.None
                                   : c.GetTypeByMetadataName("NetGen.Gpu.AcceleratorChoice") is null ? GpuSupport.IlgpuWithoutNetGenGpu
                                   : GpuSupport.Available)
            .WithTrackingName(Steps.HasGpu);

        IncrementalValuesProvider<ParseResult> viaNetwork = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse(ctx, viaInput: false, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(Steps.ParseNetwork);

        IncrementalValuesProvider<ParseResult> viaInput = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.InputAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse(ctx, viaInput: true, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(Steps.ParseInputOnly);

        foreach (IncrementalValuesProvider<ParseResult> results in new[] { viaNetwork, viaInput })
        {
            context.RegisterSourceOutput(results.SelectMany(static (r, _) => r.Diagnostics), static (spc, d) => spc.ReportDiagnostic(d.ToDiagnostic()));

            IncrementalValuesProvider<NetworkSpec> specs = results
                .Where(static r => r.Spec is not null)
                .Select(static (r, _) => r.Spec!)
                .WithTrackingName(Steps.Specs);
            context.RegisterSourceOutput(specs, static (spc, spec) =>
            {
                string hint = string.Join(".", new[] { spec.Namespace }.Concat(spec.ContainingTypes.Select(t => t.Name)).Concat(new[] { spec.ClassName }).Where(s => s is not null));
                // Hint names allow letters, digits, '.', '_': drop the '@' of escaped keywords.
                hint = new string(hint.Where(c => char.IsLetterOrDigit(c) || c is '.' or '_').ToArray());
                spc.AddSource(hint + ".g.cs", NetworkEmitter.Emit(spec));
            });

            IncrementalValuesProvider<(NetworkSpec Spec, GpuSupport Support)> gpuSpecs = specs.Combine(gpuSupport)
                .Where(static pair => pair.Right != GpuSupport.None)
                .WithTrackingName(Steps.GpuSpecs);
            context.RegisterSourceOutput(gpuSpecs, static (spc, pair) =>
            {
                NetworkSpec spec = pair.Spec;
                if (pair.Support == GpuSupport.IlgpuWithoutNetGenGpu)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(GpuDiagnostics.NoGpuRunner, null, spec.ClassName, "ILGPU is referenced but NetGen.Gpu is not; add the NetGen.Gpu package"));
                    return;
                }
                if (GpuNetworkEmitter.Emit(spec, out string? reason) is not { } source)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(GpuDiagnostics.NoGpuRunner, null, spec.ClassName, reason));
                    return;
                }
                string hint = string.Join(".", new[] { spec.Namespace }.Concat(spec.ContainingTypes.Select(t => t.Name)).Concat(new[] { spec.ClassName }).Where(s => s is not null));
                spc.AddSource(hint + ".Gpu.g.cs", source);
            });
        }
    }
}

using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Weights;

namespace NetGen.Generator;

/// <summary>
/// The pipeline: find classes marked <c>[Network]</c> (or only <c>[Input]</c>), parse and analyse each
/// into one <see cref="NetworkModel"/> with its diagnostics, and emit from that model the CPU class and,
/// when ILGPU and NetGen.Gpu are referenced, the GPU runner. The generator never throws: a failure
/// inside it is reported as NETGEN020.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, asserted by the incremental tests.</summary>
    public static class Steps
    {
        public const string ParseNetwork = nameof(ParseNetwork);
        public const string ParseInputOnly = nameof(ParseInputOnly);
        /// <summary>The analysed models, one per network: what both emitters read.</summary>
        public const string Models = nameof(Models);
        public const string HasGpu = nameof(HasGpu);
        public const string GpuModels = nameof(GpuModels);
        /// <summary>The <c>.safetensors</c> AdditionalFiles items, read once per file version.</summary>
        public const string WeightsFiles = nameof(WeightsFiles);
        /// <summary>Inference-only networks bound to their weights: what the inference emitter reads.</summary>
        public const string InferenceModels = nameof(InferenceModels);
        /// <summary>Whether NetGen.Onnx is referenced (then each network's architecture is emitted as data).</summary>
        public const string WantsArchitecture = nameof(WantsArchitecture);
        /// <summary>The models whose architecture file is emitted.</summary>
        public const string ArchitectureModels = nameof(ArchitectureModels);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // GPU runners are emitted only when the compilation can compile them: ILGPU and NetGen.Gpu referenced.
        IncrementalValueProvider<GpuSupport> gpuSupport = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("ILGPU.Runtime.Accelerator") is null ? GpuSupport.None
                                   : c.GetTypeByMetadataName("NetGen.Gpu.AcceleratorChoice") is null ? GpuSupport.IlgpuWithoutNetGenGpu
                                   : GpuSupport.Available)
            .WithTrackingName(Steps.HasGpu);

        // The architecture file is emitted only for compilations that can export: NetGen.Onnx referenced.
        IncrementalValueProvider<bool> wantsArchitecture = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("NetGen.Onnx.OnnxExport") is not null)
            .WithTrackingName(Steps.WantsArchitecture);

        // The weights files ([Network(Weights = ...)]): read through AdditionalText, compared by content.
        IncrementalValueProvider<EquatableArray<WeightsFile>> weightsFiles = context.AdditionalTextsProvider
            .Where(static t => WeightsFile.IsWeights(t))
            .Select(static (t, ct) => WeightsFile.Read(t, ct))
            .WithTrackingName(Steps.WeightsFiles)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray());

        IncrementalValuesProvider<ParseResult> viaNetwork = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse(ctx, viaInput: false, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(Steps.ParseNetwork);

        IncrementalValuesProvider<ParseResult> viaInput = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.InputAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse(ctx, viaInput: true, ct))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(Steps.ParseInputOnly);

        foreach (IncrementalValuesProvider<ParseResult> results in new[] { viaNetwork, viaInput })
        {
            // Diagnostics are plain values in the cached model; they are located back in the current syntax tree
            // when reported (only this output pairs with the compilation), so #pragma warning disable sees them.
            context.RegisterSourceOutput(results.SelectMany(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider),
                static (spc, pair) => spc.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));

            // The analysed model, built once by the parser; both emitters read it and nothing else.
            IncrementalValuesProvider<NetworkModel> models = results
                .Where(static r => r.Model is { Spec.IsInferenceOnly: false })
                .Select(static (r, _) => r.Model!)
                .WithTrackingName(Steps.Models);

            // Inference-only networks: bound to their weights file, then emitted with the weights compiled in.
            IncrementalValuesProvider<InferenceResult> inference = results
                .Where(static r => r.Model is { Spec.IsInferenceOnly: true })
                .Select(static (r, _) => new InferenceRequest(r.Model!, r.Model!.Spec.Weights!, r.WeightsAt))
                .Combine(weightsFiles)
                .Select(static (pair, _) => WeightsBinding.Bind(pair.Left, pair.Right))
                .WithTrackingName(Steps.InferenceModels);
            context.RegisterSourceOutput(inference.SelectMany(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider),
                static (spc, pair) => spc.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));
            context.RegisterSourceOutput(inference, static (spc, result) =>
            {
                if (result.Model is not { } model) return;
                if (Guarded(spc, model.Model, "emitting the inference-only class of", () => NetworkEmitter.EmitInference(model)) is { } source)
                    spc.AddSource(model.Model.HintName + ".g.cs", source);
            });
            context.RegisterSourceOutput(models, static (spc, model) =>
            {
                if (Guarded(spc, model, "emitting", () => NetworkEmitter.Emit(model)) is { } source)
                    spc.AddSource(model.HintName + ".g.cs", source);
            });
            // The architecture as run-time data (IDescribedNetwork), in a file of its own, when NetGen.Onnx is referenced
            // (its exporter reads it); otherwise nothing more is emitted, as the GPU runner needs ILGPU.
            context.RegisterSourceOutput(models.Combine(wantsArchitecture).Where(static pair => pair.Right).Select(static (pair, _) => pair.Left)
                .WithTrackingName(Steps.ArchitectureModels), static (spc, model) =>
            {
                if (Guarded(spc, model, "emitting the architecture of", () => NetworkEmitter.EmitArchitecture(model)) is { } source)
                    spc.AddSource(model.HintName + ".Architecture.g.cs", source);
            });

            IncrementalValuesProvider<(NetworkModel Model, GpuSupport Support)> gpuModels = models.Combine(gpuSupport)
                .Where(static pair => pair.Right != GpuSupport.None)
                .WithTrackingName(Steps.GpuModels);
            context.RegisterSourceOutput(gpuModels, static (spc, pair) =>
            {
                NetworkModel model = pair.Model;
                if (pair.Support == GpuSupport.IlgpuWithoutNetGenGpu)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(GpuDiagnostics.NoGpuRunner, null, model.Spec.ClassName, "ILGPU is referenced but NetGen.Gpu is not; add the NetGen.Gpu package"));
                    return;
                }
                string? reason = null;
                string? source = Guarded(spc, model, "emitting the GPU runner of", () => GpuNetworkEmitter.Emit(model, out reason));
                if (source is not null) spc.AddSource(model.HintName + ".Gpu.g.cs", source);
                else if (reason is not null) spc.ReportDiagnostic(Diagnostic.Create(GpuDiagnostics.NoGpuRunner, null, model.Spec.ClassName, reason));
            });
        }
    }

    /// <summary>Runs an emitter; an exception from it becomes NETGEN020 (internal error) instead of CS8785 and a lost build.</summary>
    private static string? Guarded(SourceProductionContext spc, NetworkModel model, string doing, Func<string?> emit)
    {
        try
        {
            return emit();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, model.Spec.ClassName, doing, e.GetType().Name + ": " + e.Message));
            return null;
        }
    }
}

extern alias GeneratorAssembly;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using NetworkGenerator = GeneratorAssembly::NetGen.Generator.NetworkGenerator;

namespace NetGen.Gpu.Tests;

/// <summary>The generator emits a GPU runner only when the compilation references ILGPU and NetGen.Gpu.</summary>
public sealed class GeneratorGpuTests
{
    private const string Source = """
        using NetGen;
        namespace Sample;
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(4)]
        [Dense(3, Activation.ReLU)]
        [Dense(2, Activation.Softmax)]
        public partial class Tiny;
        """;

    private static CSharpCompilation Compilation(bool withGpu, bool withNetGenGpu, string source)
    {
        var references = new List<MetadataReference>();
        // The framework only: the test host's own dependencies (ILGPU among them) are added as asked.
        string framework = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (string path in System.IO.Directory.GetFiles(framework, "*.dll"))
            if (!path.Contains("Native", StringComparison.Ordinal)) try { references.Add(MetadataReference.CreateFromFile(path)); } catch (BadImageFormatException) { }
        references.Add(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
        if (withGpu)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(Context).Assembly.Location));
            if (withNetGenGpu) references.Add(MetadataReference.CreateFromFile(typeof(AcceleratorChoice).Assembly.Location));
        }
        return CSharpCompilation.Create("Sample", new[] { CSharpSyntaxTree.ParseText(source) },
            references.GroupBy(r => System.IO.Path.GetFileName(r.Display)).Select(g => g.First()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    private static GeneratorDriverRunResult Run(bool withGpu, bool withNetGenGpu = true, string source = Source)
    {
        CSharpCompilation compilation = Compilation(withGpu, withNetGenGpu, source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new NetworkGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return driver.GetRunResult();
    }

    [Fact]
    public void WithoutIlgpuNoGpuCodeIsEmitted()
    {
        var sources = Run(withGpu: false).Results.Single().GeneratedSources;
        Assert.Single(sources);
        Assert.DoesNotContain(sources, s => s.SourceText.ToString().Contains("ILGPU"));
    }

    [Fact]
    public void WithIlgpuAndNetGenGpuTheRunnerIsEmittedAndCompiles()
    {
        var sources = Run(withGpu: true).Results.Single().GeneratedSources;
        Assert.Equal(2, sources.Length);
        string gpu = sources.Single(s => s.HintName == "Sample.Tiny.Gpu.g.cs").SourceText.ToString();
        Assert.Contains("public sealed partial class TinyGpu : global::NetGen.Gpu.IGpuNetwork", gpu);
        Assert.Contains("default(Kernels.ReLUOperator<float>).Invoke(v)", gpu); // the runtime's one definition of ReLU
        Assert.Contains("global::ILGPU.Group.Barrier();", gpu);
    }

    [Fact]
    public void AnUnrelatedEditLeavesTheGpuStepCached()
    {
        CSharpCompilation compilation = Compilation(withGpu: true, withNetGenGpu: true, Source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample; internal static class Unrelated { }")));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[NetworkGenerator.Steps.GpuModels];
        Assert.NotEmpty(steps.SelectMany(s => s.Outputs));
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void IlgpuWithoutNetGenGpuSaysWhatToAdd()
    {
        var result = Run(withGpu: true, withNetGenGpu: false).Results.Single();
        Assert.Single(result.GeneratedSources);
        var info = Assert.Single(result.Diagnostics, d => d.Id == "NETGEN200");
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Contains("add the NetGen.Gpu package", info.GetMessage());
    }

    [Fact]
    public void DoublePrecisionGetsNoRunnerAndSaysWhy()
    {
        var result = Run(withGpu: true, source: Source.Replace("Optimizer = Optimizer.Adam", "Optimizer = Optimizer.Adam, Precision = Precision.Double")).Results.Single();
        Assert.Single(result.GeneratedSources);
        Assert.Contains("single precision", Assert.Single(result.Diagnostics, d => d.Id == "NETGEN200").GetMessage());
    }

    /// <summary>
    /// Every generated kernel compiles to PTX with ILGPU's CUDA backend, no GPU needed: the operator
    /// structs' generic math (T.Exp, T.Tanh) included. sm_60 takes ILGPU.Algorithms' tanh; sm_75 the hardware's.
    /// </summary>
    [Theory]
    [InlineData(60)]
    [InlineData(75)]
    public void EveryKernelCompilesForCuda(int sm)
    {
        (CudaArchitecture arch, CudaInstructionSet isa) = sm == 60 ? (CudaArchitecture.SM_60, CudaInstructionSet.ISA_60) : (CudaArchitecture.SM_75, CudaInstructionSet.ISA_75);
        using var context = Context.Create(b => b.EnableAlgorithms().Optimize(ILGPU.OptimizationLevel.O1));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, isa, null);
        var runners = typeof(GeneratorGpuTests).Assembly.GetTypes().Where(t => typeof(IGpuNetwork).IsAssignableFrom(t) && !t.IsInterface).ToList();
        Assert.True(runners.Count >= 10);
        // The attention kinds, GELU and AdamW among them (AttentionNetworks.cs).
        foreach (string name in new[] { "CausalAttentionAdamWGpu", "HeadsEqualWidthMomentumGpu", "TransformerBlocksAdamWGpu", "BertClassifierAdamWGpu", "GeluAdamWGpu" })
            Assert.Contains(runners, r => r.Name == name);
        int compiled = 0;
        foreach (Type runner in runners)
            foreach (MethodInfo kernel in runner.GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
                         .Where(m => IsExplicitlyGrouped(m) || m.GetParameters().FirstOrDefault()?.ParameterType == typeof(Index1D)))
            {
                var entry = IsExplicitlyGrouped(kernel)
                    ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel)
                    : EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
                var result = backend.Compile(entry, default);
                Assert.Contains(".entry", ((PTXCompiledKernel)result).PTXAssembly);
                compiled++;
            }
        Assert.True(compiled > 100, $"only {compiled} kernels compiled");
        Assert.Contains(runners, r => r.GetMethod("FusedForward", BindingFlags.NonPublic | BindingFlags.Static) is not null);
    }

    /// <summary>The tiled products and the fused MLP kernel are explicitly grouped (shared memory, barriers).</summary>
    private static bool IsExplicitlyGrouped(MethodInfo m) => m.Name.EndsWith("Tiled", StringComparison.Ordinal) || m.Name == "FusedForward";
}

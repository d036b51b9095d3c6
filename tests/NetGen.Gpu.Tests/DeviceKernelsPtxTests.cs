using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace NetGen.Gpu.Tests;

/// <summary>The runtime's shared one-group kernels (the loss sum, the ClipNorm reduction) compile to PTX, as the generated ones do in GeneratorGpuTests.</summary>
public sealed class DeviceKernelsPtxTests
{
    [Theory]
    [InlineData(nameof(DeviceKernels.Sum), 60)]
    [InlineData(nameof(DeviceKernels.Sum), 75)]
    [InlineData(nameof(DeviceKernels.ClipNorm), 60)]
    [InlineData(nameof(DeviceKernels.ClipNorm), 75)]
    public void CompilesForCuda(string kernel, int sm)
    {
        (CudaArchitecture arch, CudaInstructionSet isa) = sm == 60 ? (CudaArchitecture.SM_60, CudaInstructionSet.ISA_60) : (CudaArchitecture.SM_75, CudaInstructionSet.ISA_75);
        using var context = Context.Create(b => b.EnableAlgorithms().Optimize(ILGPU.OptimizationLevel.O1));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, isa, null);
        MethodInfo method = typeof(DeviceKernels).GetMethod(kernel, BindingFlags.Public | BindingFlags.Static)!;
        var result = backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), default);
        Assert.Contains(".entry", ((PTXCompiledKernel)result).PTXAssembly);
    }
}

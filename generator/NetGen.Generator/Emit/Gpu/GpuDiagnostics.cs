using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>What the GPU emitter says when it writes no runner for a network (Info: the CPU class is unaffected).</summary>
internal static class GpuDiagnostics
{
    public static readonly DiagnosticDescriptor NoGpuRunner = new(
        "NETGEN200",
        "No GPU runner for this network",
        "No GPU runner is generated for '{0}': {1}",
        "NetGen",
        DiagnosticSeverity.Info,
        isEnabledByDefault: true);
}

/// <summary>Whether the compilation can compile a GPU runner: ILGPU alone is not enough, the runner needs NetGen.Gpu.</summary>
internal enum GpuSupport
{
    None = 0,
    IlgpuWithoutNetGenGpu = 1,
    Available = 2,
}

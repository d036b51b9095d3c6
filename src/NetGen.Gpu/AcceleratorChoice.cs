using System;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace NetGen.Gpu;

/// <summary>Which accelerator <see cref="AcceleratorChoice.Open(AcceleratorPreference)"/> should return.</summary>
public enum AcceleratorPreference
{
    /// <summary>CUDA when a device is present, else ILGPU's CPU accelerator.</summary>
    Auto = 0,
    /// <summary>CUDA only: no CUDA device is a <see cref="GpuUnavailableException"/>.</summary>
    Cuda = 1,
    /// <summary>ILGPU's CPU accelerator (for tests and machines without a GPU; slow).</summary>
    Cpu = 2,
}

/// <summary>How a generated runner computes its matrix products.</summary>
public enum ProductKernels
{
    /// <summary>Tiled on CUDA (and any accelerator with 256-thread groups except the CPU one), direct on ILGPU's CPU accelerator.</summary>
    Auto = 0,
    /// <summary>Explicitly grouped kernels with 16×16 shared-memory tiles and bias + activation in the epilogue.</summary>
    Tiled = 1,
    /// <summary>One thread per output element looping over the inner dimension: no groups, no barriers.</summary>
    Direct = 2,
}

/// <summary>A GPU (or its stand-in) could not be opened or could not run NetGen's kernels.</summary>
public sealed class GpuUnavailableException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// An ILGPU context and one accelerator from it, disposed together. <see cref="Description"/> says in
/// words what was chosen and why, so a program can print it before it reports any timing.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    internal GpuDevice(Context context, Accelerator accelerator, string description)
    {
        Context = context;
        Accelerator = accelerator;
        Description = description;
    }

    /// <summary>The ILGPU context (created with the algorithms library enabled, which the CUDA kernels need for exp and log).</summary>
    public Context Context { get; }

    /// <summary>The accelerator the runners allocate on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>What was chosen and why, e.g. "CUDA: NVIDIA H100 (SM_90)" or "ILGPU CPU accelerator (no CUDA device found)".</summary>
    public string Description { get; }

    /// <summary>True on a CUDA device; false on ILGPU's CPU accelerator, whose speed is not GPU speed.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }

    public override string ToString() => Description;
}

/// <summary>
/// Chooses the accelerator a generated runner uses: CUDA when present, else ILGPU's CPU accelerator,
/// with a message saying which. A missing or failing GPU is a <see cref="GpuUnavailableException"/>.
/// </summary>
public static class AcceleratorChoice
{
    /// <summary>Opens an accelerator as <paramref name="preference"/> asks.</summary>
    /// <exception cref="GpuUnavailableException">CUDA was required and is missing, or the device could not be opened.</exception>
    public static GpuDevice Open(AcceleratorPreference preference = AcceleratorPreference.Auto)
        => Open(preference, new CPUDevice(4, 4, Math.Max(1, Environment.ProcessorCount)));

    /// <summary>
    /// ILGPU's CPU accelerator shaped for 256-thread groups (16 threads per warp, 16 warps), so the
    /// tiled product kernels run on it too: tests use it to check the tiled path without a GPU.
    /// It is slow: every group barrier switches between 256 OS-level threads.
    /// </summary>
    public static GpuDevice OpenCpuWithLargeGroups() => Open(AcceleratorPreference.Cpu, new CPUDevice(16, 16, 1));

    private static GpuDevice Open(AcceleratorPreference preference, CPUDevice cpuDevice)
    {
        Context context;
        try
        {
            context = Context.Create(builder =>
            {
                builder.EnableAlgorithms().Optimize(OptimizationLevel.O1);
                if (preference != AcceleratorPreference.Cpu) builder.Cuda();
                builder.CPU(cpuDevice);
            });
        }
        catch (Exception e)
        {
            throw new GpuUnavailableException($"NetGen.Gpu could not create an ILGPU context: {e.Message}", e);
        }

        try
        {
            if (preference != AcceleratorPreference.Cpu)
            {
                foreach (Device device in context)
                {
                    if (device is not CudaDevice cuda) continue;
                    Accelerator accelerator = cuda.CreateAccelerator(context);
                    return new GpuDevice(context, accelerator, $"CUDA: {cuda.Name} ({cuda.Architecture}, {cuda.MemorySize / (1L << 20)} MiB)");
                }
                if (preference == AcceleratorPreference.Cuda)
                    throw new GpuUnavailableException("No CUDA device was found (is the NVIDIA driver installed and the GPU visible to this process?). Use AcceleratorPreference.Auto or Cpu to run on ILGPU's CPU accelerator instead.");
            }
            string why = preference == AcceleratorPreference.Cpu ? "as requested" : "no CUDA device found";
            CPUAccelerator cpu = context.CreateCPUAccelerator(0);
            return new GpuDevice(context, cpu, $"ILGPU CPU accelerator ({why}; {cpu.NumMultiprocessors} threads) — a functional stand-in, not GPU speed");
        }
        catch (GpuUnavailableException)
        {
            context.Dispose();
            throw;
        }
        catch (Exception e)
        {
            context.Dispose();
            throw new GpuUnavailableException($"NetGen.Gpu could not open an accelerator ({preference}): {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="accelerator"/> runs the tiled product kernels when <paramref name="kernels"/> is Auto.</summary>
    public static bool UseTiledProducts(Accelerator accelerator, ProductKernels kernels, int tile)
    {
        bool fits = accelerator.MaxNumThreadsPerGroup >= tile * tile;
        return kernels switch
        {
            ProductKernels.Tiled when !fits => throw new GpuUnavailableException(
                $"The tiled kernels need {tile * tile} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}. Use ProductKernels.Direct."),
            ProductKernels.Tiled => true,
            ProductKernels.Direct => false,
            // ILGPU's CPU accelerator runs each group's threads as OS threads; a 256-thread barrier
            // costs milliseconds there, so the direct kernels are far faster on it.
            _ => fits && accelerator.AcceleratorType != AcceleratorType.CPU,
        };
    }

    /// <summary>The largest power of two not above 256 and the accelerator's group limit: the loss reduction's group size.</summary>
    public static int ReductionGroupSize(Accelerator accelerator)
    {
        int size = 1;
        while (size * 2 <= Math.Min(DeviceKernels.MaxReductionGroup, accelerator.MaxNumThreadsPerGroup)) size *= 2;
        return size;
    }

    /// <summary>Wraps an ILGPU failure while compiling or loading a runner's kernels in a message that says what to do.</summary>
    public static GpuUnavailableException KernelLoadFailed(string network, Accelerator accelerator, Exception e)
        => new($"The GPU kernels of {network} could not be compiled for {accelerator.Name} ({accelerator.AcceleratorType}): {e.Message} " +
               "Create the accelerator through NetGen.Gpu.AcceleratorChoice.Open(), or enable ILGPU.Algorithms on your context (Context.Create(b => b.EnableAlgorithms()...)); CUDA needs compute capability 6.0 or newer.", e);
}

using System;
using System.IO;

namespace NetGen.Benchmarks.Peers;

/// <summary>Loads libtorch once and says clearly why when it cannot.</summary>
public static class TorchSharpRuntime
{
    private static bool s_loaded;

    public static void EnsureLoaded()
    {
        if (s_loaded) return;
        try
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            s_loaded = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                "TorchSharp could not load libtorch. On Debian 12 (libstdc++ GLIBCXX_3.4.30) libLibTorchSharp.so must have its " +
                "GLIBCXX_3.4.32 requirement marked weak; the build does that (benchmarks/tools/WeakenTorchSharpGlibcxx.targets), " +
                "so rebuild the benchmark project. Library looked for: " +
                Path.Combine(AppContext.BaseDirectory, "runtimes/linux-x64/native/libLibTorchSharp.so"), e);
        }
    }
}

using System;
using System.IO;

namespace NetGen.Runtime.Tests.Support;

/// <summary>Finds the repository's data/ folder and makes scratch directories.</summary>
public static class TestFiles
{
    private static readonly Lazy<string> s_dataRoot = new(() =>
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "data", "SOURCES.md"))) return Path.Combine(dir, "data");
        throw new DirectoryNotFoundException("No data/SOURCES.md above " + AppContext.BaseDirectory);
    });

    /// <summary>A file under data/.</summary>
    public static string Data(string relativePath) => Path.Combine(s_dataRoot.Value, relativePath);

    /// <summary>A new empty directory under the system temp folder.</summary>
    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "netgen-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

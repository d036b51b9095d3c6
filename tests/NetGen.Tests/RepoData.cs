using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace NetGen.Tests;

/// <summary>Reads the small CSV datasets shipped in the repository's data/ folder.</summary>
internal static class RepoData
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("The repository root (with NetGen.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Rows of numbers; skips scikit-learn's metadata row when <paramref name="skipHeader"/>.</summary>
    public static double[][] ReadCsv(string relativePath, bool skipHeader)
    {
        string path = Path.Combine(Root, relativePath);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(skipHeader ? 1 : 0);
        return lines.Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }
}

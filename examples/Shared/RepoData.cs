using System;
using System.IO;

/// <summary>Finds the datasets shipped in the repository's data/ folder, wherever the example runs from.</summary>
internal static class RepoData
{
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "data", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"data/{relative} not found above {AppContext.BaseDirectory}; run the example from the repository.");
    }
}

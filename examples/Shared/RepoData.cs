using System;
using System.IO;

/// <summary>Finds the datasets shipped in the repository's data/ folder, wherever the example runs from.</summary>
internal static class RepoData
{
    public static string Path(string relative)
    {
        // From the program's folder (dotnet run) or the working folder (a published binary run from the repository).
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, "data", relative);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException($"data/{relative} not found above {AppContext.BaseDirectory}; run the example from the repository.");
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Packaging;

/// <summary>
/// Issue 17 item 9 and the template: the packed NetGen package carries its readme, licence, repository and icon, and
/// `dotnet new netgen-classifier`, installed from the packed template package, gives a project that restores the
/// packed NetGen (not a project reference), builds, trains and evaluates.
/// </summary>
public class PackageAndTemplateTests(ITestOutputHelper output)
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot => Path.GetDirectoryName(TestFiles.Data("SOURCES.md"))![..^"/data".Length];

    /// <summary>Runs a command, failing the test with its output when it fails or takes longer than <paramref name="minutes"/>.</summary>
    private string Run(string workingDirectory, string home, int minutes, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        // Its own template hive and package cache, so nothing installed or cached before is used.
        start.Environment["DOTNET_CLI_HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = Path.Combine(home, "packages");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(minutes)), $"{file} {string.Join(' ', arguments)} timed out");
        string all = stdout + stderr.Result;
        output.WriteLine($"$ {file} {string.Join(' ', arguments)}\n{all}");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{all}");
        return all;
    }

    [Fact]
    public void ThePackedPackageHasItsMetadataAndTheTemplateBuildsAndTrainsAgainstIt()
    {
        string work = TestFiles.NewTempDirectory(), feed = Path.Combine(work, "feed"), home = Path.Combine(work, "home");
        Directory.CreateDirectory(home);
        string root = RepositoryRoot;

        // The library as built for this test run, and the template package.
        Run(root, home, 5, "dotnet", "pack", "src/NetGen", "-c", Configuration, "--no-build", "-o", feed);
        Run(root, home, 5, "dotnet", "pack", "templates/NetGen.Templates.csproj", "-c", Configuration, "-o", feed);

        using (ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, "NetGen.0.1.0.nupkg")))
        {
            string nuspec = new StreamReader(package.GetEntry("NetGen.nuspec")!.Open()).ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
            Assert.Contains("<readme>README.md</readme>", nuspec);
            Assert.Contains("<icon>icon.png</icon>", nuspec);
            Assert.Contains("<repository type=\"git\" url=\"https://", nuspec);
            Assert.NotNull(package.GetEntry("README.md"));
            Assert.NotNull(package.GetEntry("icon.png"));
            Assert.NotNull(package.GetEntry("analyzers/dotnet/cs/NetGen.Generator.dll"));
        }

        // A newcomer's steps: install the template, create a project, build and run it.
        Run(work, home, 3, "dotnet", "new", "install", Path.Combine(feed, "NetGen.Templates.0.1.0.nupkg"));
        Run(work, home, 3, "dotnet", "new", "netgen-classifier", "-o", "MyClassifier");
        string project = Path.Combine(work, "MyClassifier");
        Assert.True(File.Exists(Path.Combine(project, "MyClassifier.csproj")));
        Assert.Contains("namespace MyClassifier", File.ReadAllText(Path.Combine(project, "Program.cs")));
        File.WriteAllText(Path.Combine(project, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"netgen\" value=\"{feed}\" /></packageSources></configuration>");
        Run(project, home, 5, "dotnet", "build", "-c", "Release");
        string run = Run(project, home, 3, "dotnet", "run", "-c", "Release", "--no-build");

        // It trained with progress and evaluated: Iris's held-out 30 samples, mostly right.
        Assert.Contains("Epoch 1/100", run);
        string accuracy = run.Split('\n').Single(l => l.StartsWith("Test accuracy: ", StringComparison.Ordinal));
        double percent = double.Parse(accuracy["Test accuracy: ".Length..].Replace("%", "").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(percent >= 80, accuracy);
        Assert.True(File.Exists(Path.Combine(project, "model.safetensors")));
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Packaging;

/// <summary>
/// Issue 17, "what must show it works": a consumer project outside the repository that references the packed
/// NetGen and NetGen.Gpu packages (not project references) and ILGPU gets a generated GPU runner for its
/// network, which builds and, on ILGPU's CPU accelerator, predicts and trains as the CPU class does.
/// </summary>
public class GpuPackageConsumerTests(ITestOutputHelper output)
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot => Path.GetDirectoryName(TestFiles.Data("SOURCES.md"))![..^"/data".Length];

    /// <summary>Where this machine's restored packages are (ILGPU among them): a local feed, so the test needs no network.</summary>
    private static string GlobalPackages
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
         : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private string Run(string workingDirectory, string home, int minutes, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = Path.Combine(home, "packages"); // a cache of its own: the packed NetGen, not one cached before
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(minutes)), $"dotnet {string.Join(' ', arguments)} timed out");
        string all = stdout + stderr.Result;
        output.WriteLine($"$ dotnet {string.Join(' ', arguments)}\n{all}");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{all}");
        return all;
    }

    private const string Program = """
        using System;
        using NetGen;
        using NetGen.Gpu;

        // The PyTorch idiom: a Linear output read as logits by CrossEntropy.
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 2)]
        [Input(4)] [Dense(16, Activation.ReLU)] [Dense(3)]
        public partial class Net;

        public static class Program
        {
            public static void Main()
            {
                float[] x = { 1, -1, 1, -1, -1, 1, -1, 1, 1, 1, -1, -1 };
                float[] t = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
                var cpu = new Net();
                using GpuDevice device = AcceleratorChoice.Open(AcceleratorPreference.Cpu);
                using var gpu = new NetGpu(device);
                gpu.CopyParametersFrom(cpu);
                var yc = new float[9];
                var yg = new float[9];
                cpu.Predict(x, yc, 3);
                gpu.Predict(x, yg, 3);
                double predictDifference = 0;
                for (int i = 0; i < 9; i++) predictDifference = Math.Max(predictDifference, Math.Abs(yc[i] - yg[i]));
                float first = 0, last = 0;
                for (int step = 0; step < 50; step++)
                {
                    float lc = cpu.TrainStep(x, t, 3), lg = gpu.TrainStep(x, t, 3);
                    if (step == 0) first = lg;
                    last = lg;
                    if (!float.IsFinite(lc) || Math.Abs(lc - lg) > 1e-3f * Math.Max(1f, Math.Abs(lc))) throw new Exception($"step {step}: CPU loss {lc}, GPU loss {lg}");
                }
                Console.WriteLine($"Device: {gpu.DeviceDescription}");
                Console.WriteLine($"Predict difference: {predictDifference:E2}");
                Console.WriteLine($"GPU loss: {first:F4} -> {last:F4}");
                Console.WriteLine(last < first / 4 ? "TRAINED" : "NOT TRAINED");
            }
        }
        """;

    [Fact]
    public void ThePackedNetGenAndNetGenGpuWithIlgpuGenerateAGpuRunnerThatTrains()
    {
        string work = TestFiles.NewTempDirectory(), feed = Path.Combine(work, "feed"), home = Path.Combine(work, "home");
        Directory.CreateDirectory(home);
        string root = RepositoryRoot;
        Run(root, home, 5, "pack", "src/NetGen", "-c", Configuration, "-o", feed);
        Run(root, home, 5, "pack", "src/NetGen.Gpu", "-c", Configuration, "-o", feed);
        Assert.True(File.Exists(Path.Combine(feed, "NetGen.Gpu.0.1.0.nupkg")));

        string project = Path.Combine(work, "GpuConsumer");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "GpuConsumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="0.1.0" />
                <PackageReference Include="NetGen.Gpu" Version="0.1.0" />
                <PackageReference Include="ILGPU" Version="1.5.3" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), Program);
        // The packed packages, and this machine's restored packages for ILGPU (no network).
        File.WriteAllText(Path.Combine(project, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"netgen\" value=\"{feed}\" /><add key=\"local\" value=\"{GlobalPackages}\" /></packageSources></configuration>");
        string build = Run(project, home, 6, "build", "-c", "Release");
        Assert.DoesNotContain("NETGEN200", build);

        // The runner was generated from the packed generator, beside the CPU class.
        string[] generated = Directory.GetFiles(Path.Combine(project, "obj"), "*.g.cs", SearchOption.AllDirectories);
        Assert.Contains(generated, f => f.EndsWith("Net.Gpu.g.cs", StringComparison.Ordinal) && f.Contains("NetGen.Generator", StringComparison.Ordinal));
        Assert.Contains(generated, f => f.EndsWith("Net.g.cs", StringComparison.Ordinal));
        // The consumer got the packages from the feed, not the repository.
        string assets = File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains("\"NetGen.Gpu/0.1.0\"", assets);
        Assert.DoesNotContain("\"type\": \"project\"", assets);

        string run = Run(project, home, 3, "run", "-c", "Release", "--no-build");
        Assert.Contains("TRAINED", run);
        Assert.DoesNotContain("NOT TRAINED", run);
        double difference = double.Parse(run.Split('\n').Single(l => l.StartsWith("Predict difference: ", StringComparison.Ordinal))["Predict difference: ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(difference < 1e-4, $"GPU and CPU Predict differ by {difference}");
    }
}

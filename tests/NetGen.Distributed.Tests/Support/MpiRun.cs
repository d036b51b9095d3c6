using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Distributed.Tests;

/// <summary>
/// A test that needs Open MPI's mpirun. Where mpirun is missing such tests FAIL (saying what to install), so a
/// machine without MPI cannot pass them by accident; setting NETGEN_SKIP_MPI_TESTS=1 skips them instead.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("NETGEN_SKIP_MPI_TESTS") == "1")
            Skip = "NETGEN_SKIP_MPI_TESTS=1: the tests that start mpirun are skipped.";
    }
}

/// <summary>The outcome of one process the tests started.</summary>
internal sealed record ProcessRun(int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut);

/// <summary>Starts the test runner program under mpirun (or alone) and collects what it printed.</summary>
internal static class MpiRun
{
    /// <summary>The test runner's dll, in its own output folder next to this project's (same configuration).</summary>
    public static string RunnerDll { get; } = FindRunner();

    /// <summary>mpirun's full path.</summary>
    /// <exception cref="InvalidOperationException">mpirun is not installed; the message says how to install it or opt out.</exception>
    public static string MpirunPath()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "mpirun");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "mpirun was not found on PATH, so the data-parallel tests cannot run. Install Open MPI with " +
            "`apt-get install -y openmpi-bin libopenmpi-dev` (.ci/run does this), or set NETGEN_SKIP_MPI_TESTS=1 to skip these tests.");
    }

    /// <summary>
    /// <c>mpirun -np <paramref name="ranks"/> dotnet runner.dll args</c> over the loopback interface (TCP between the ranks
    /// on 127.0.0.1; root is allowed, as in CI containers).
    /// </summary>
    public static ProcessRun Mpi(int ranks, string workingFolder, params string[] runnerArguments)
    {
        var arguments = new List<string> { "-np", ranks.ToString(), "--oversubscribe",
            "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
            "dotnet", RunnerDll };
        arguments.AddRange(runnerArguments);
        return Start(MpirunPath(), arguments, workingFolder);
    }

    /// <summary><c>dotnet runner.dll args</c> without mpirun.</summary>
    public static ProcessRun Alone(string workingFolder, IReadOnlyDictionary<string, string>? environment, params string[] runnerArguments) =>
        Start("dotnet", new[] { RunnerDll }.Concat(runnerArguments).ToList(), workingFolder, environment);

    private static ProcessRun Start(string program, IList<string> arguments, string workingFolder, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (environment is not null) foreach (var kv in environment) info.Environment[kv.Key] = kv.Value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(60_000);
        if (!finished) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return new ProcessRun(finished ? process.ExitCode : -1, stdout.Result + stderr.Result, clock.Elapsed, !finished);
    }

    private static string FindRunner()
    {
        // bin/<Configuration>/<tfm>/ of this project → the runner project's same folder.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = here.Name, configuration = here.Parent!.Name;
        string testsFolder = here.Parent!.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(testsFolder, "NetGen.Distributed.TestRunner", "bin", configuration, tfm, "NetGen.Distributed.TestRunner.dll");
        Assert.True(File.Exists(dll), $"The test runner was not built at {dll}; build tests/NetGen.Distributed.Tests (it builds the runner first).");
        return dll;
    }
}

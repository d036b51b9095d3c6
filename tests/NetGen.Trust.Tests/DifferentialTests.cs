using System;
using System.Linq;
using NetGen.Trust.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// Random networks compiled by the real generator, compared with the reference interpreter. CI runs a
/// fixed set of 200 seeds; <c>NETGEN_TRUST_CASES=n</c> runs n more (see README.md).
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    public const int FixedSeeds = 200;
    public const int PerCompilation = 20;

    public static TheoryData<int> Chunks => new(Enumerable.Range(0, FixedSeeds / PerCompilation));

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Differential_fixed_seeds(int chunk)
    {
        SuiteReport report = DifferentialSuite.RunSeeds(Enumerable.Range(1 + chunk * PerCompilation, PerCompilation), PerCompilation, output.WriteLine);
        output.WriteLine(report.ToString());
        Assert.True(report.Failures.Count == 0, $"{report}\n\n{string.Join("\n\n", report.Failures)}");
        Assert.True(report.Exhausted <= PerCompilation / 4, report.ToString());
    }

    /// <summary>The long run: <c>NETGEN_TRUST_CASES=5000 dotnet test tests/NetGen.Trust.Tests --filter Differential</c>.</summary>
    [Fact]
    public void Differential_long_run()
    {
        string? cases = Environment.GetEnvironmentVariable("NETGEN_TRUST_CASES");
        if (!int.TryParse(cases, out int count) || count <= 0)
        {
            output.WriteLine("NETGEN_TRUST_CASES is not set: the long run is off.");
            return;
        }
        int start = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_TRUST_SEED"), out int s) ? s : 1_000_000;
        SuiteReport report = DifferentialSuite.RunSeeds(Enumerable.Range(start, count), 25, output.WriteLine);
        output.WriteLine(report.ToString());
        Console.Error.WriteLine(report.ToString());
        Assert.True(report.Failures.Count == 0, $"{report}\n\n{string.Join("\n\n", report.Failures)}");
    }
}

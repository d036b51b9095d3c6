using System;
using System.Linq;
using NetGen.Trust.Tests.Harness;

namespace NetGen.Trust.Tests.Hostile;

/// <summary>Hostile findings already reported; matched on the source and the failure text. <c>NETGEN_TRUST_STRICT=1</c> turns them back into failures.</summary>
public static class HostileKnownIssues
{
    private static readonly (string Id, Func<string, string, bool> Matches)[] All =
    {
    };

    public static string? Match(string source, string failure)
        => KnownIssues.Strict ? null : All.FirstOrDefault(i => i.Matches(source, failure)).Id;
}

using System;
using System.Linq;
using NetGen.Trust.Tests.Harness;

namespace NetGen.Trust.Tests.Hostile;

/// <summary>Hostile findings already reported; matched on the source and the failure text. <c>NETGEN_TRUST_STRICT=1</c> turns them back into failures.</summary>
public static class HostileKnownIssues
{
    private static readonly (string Id, Func<string, string, bool> Matches)[] All =
    {
        // '@class', namespace @event: the hint name keeps the '@' (the generator throws) and the class name loses it (`partial class class`).
        ("keyword-identifiers", (source, failure) => source.Contains('@') && (failure.Contains("hintName", StringComparison.Ordinal) || failure.Contains("CS1001", StringComparison.Ordinal))),
        // A user member or the class itself named like a generated member: CS0102/CS0111/CS0229/CS0542 inside the generated file, no NETGEN diagnostic.
        ("member-name-clash", (source, failure) => failure.Contains("CS0102", StringComparison.Ordinal) || failure.Contains("CS0111", StringComparison.Ordinal) || failure.Contains("CS0542", StringComparison.Ordinal)),
        // Input(65536, 65536, 65536) → Flatten: the product overflows int; InputSize becomes 0 and the network compiles.
        ("size-overflow", (source, failure) => source.Contains("65536, 65536, 65536", StringComparison.Ordinal) && failure.Contains("expected a NETGEN error, got Clean", StringComparison.Ordinal)),
    };

    public static string? Match(string source, string failure)
        => KnownIssues.Strict ? null : All.FirstOrDefault(i => i.Matches(source, failure)).Id;
}

using System;
using System.Linq;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Harness;

/// <summary>
/// Differences already reported to the owners of the code. A failure that matches one is counted and
/// printed but does not fail the fixed-seed tests; <c>NETGEN_TRUST_STRICT=1</c> makes them fail again.
/// Remove an entry when its fix lands.
/// </summary>
public static class KnownIssues
{
    public sealed record Issue(string Id, string Description, Func<CaseSpec, string, bool> Matches);

    public static readonly Issue[] All =
    {
        new("elu-float-exp-not-exact-at-zero",
            "Float ELU computes α·(Vector.Exp(z) − 1); the vectorised Exp is not exact at 0, so ELU(0) = ±1.2e-7 instead of 0 "
            + "(and ELU(z) for |z| < 1e-5 has a large relative error). PyTorch uses expm1. Seen only where z is exactly 0 (a dead ReLU layer before it).",
            (spec, failure) => !spec.Double && spec.Layers.Any(l => l.AppliedActivation == Activation.ELU) && failure.Contains(", expected 0 (", StringComparison.Ordinal)),
    };

    public static bool Strict => Environment.GetEnvironmentVariable("NETGEN_TRUST_STRICT") == "1";

    public static Issue? Match(CaseSpec spec, string failure) => Strict ? null : All.FirstOrDefault(i => i.Matches(spec, failure));
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen.Trust.Tests.Harness;

/// <summary>
/// How close the generated code must come to the reference. An element passes when
/// |actual − expected| ≤ Relative·(|expected| + magnitude) + Absolute. Rounding in a sum is relative to
/// its terms, not to a result that cancels: magnitude is Σ|terms| carried through the reference's own
/// passes where it has it, otherwise the largest |expected| of the tensor compared.
/// </summary>
public sealed record Tolerance(double Relative, double Absolute, double LossFloor)
{
    /// <summary>Double cases: about 1e-9 relative.</summary>
    public static Tolerance Double { get; } = new(1e-9, 1e-14, 1e-6);
    /// <summary>Float cases (the reference runs in double from the same float parameters and inputs).</summary>
    public static Tolerance Single { get; } = new(2e-4, 1e-7, 1e-4);
}

/// <summary>A difference between the generated network and the reference.</summary>
public sealed class Mismatch(string message) : Exception(message);

public static class Comparison
{
    /// <summary>Compares element-wise over segments (each segment scaled by its own largest value); throws <see cref="Mismatch"/> at the first miss.</summary>
    public static void Check(string what, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tol,
        IReadOnlyList<(string Name, int Offset, int Length)>? segments = null, double[]? magnitude = null)
    {
        if (actual.Length != expected.Length)
            throw new Mismatch($"{what}: length {actual.Length}, expected {expected.Length}");
        segments ??= new[] { ("", 0, expected.Length) };
        foreach (var (name, offset, length) in segments)
        {
            double scale = 0;
            for (int i = offset; i < offset + length; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
            for (int i = offset; i < offset + length; i++)
            {
                double a = actual[i], e = expected[i];
                double allowed = magnitude is null
                    ? tol.Relative * (Math.Abs(e) + scale) + tol.Absolute
                    : tol.Relative * (Math.Abs(e) + magnitude[i] + 1e-3 * scale) + tol.Absolute;
                if (!(Math.Abs(a - e) <= allowed))
                {
                    string where = name.Length > 0 ? $"{name}[{i - offset}] (flat {i})" : $"[{i}]";
                    throw new Mismatch($"{what} {where}: got {F(a)}, expected {F(e)} (|diff| {F(Math.Abs(a - e))}, allowed {F(allowed)})");
                }
            }
        }
    }

    public static void CheckScalar(string what, double actual, double expected, Tolerance tol, double magnitude = 0)
    {
        double allowed = tol.Relative * (Math.Abs(expected) + magnitude + tol.LossFloor) + tol.Absolute;
        if (!(Math.Abs(actual - expected) <= allowed))
            throw new Mismatch($"{what}: got {F(actual)}, expected {F(expected)} (|diff| {F(Math.Abs(actual - expected))}, allowed {F(allowed)})");
    }

    public static string F(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// One layer attribute as a layer kind reads it: positional and named arguments, with range checks
/// that report diagnostics at the attribute (nothing here throws on user input).
/// </summary>
internal sealed class LayerAttribute
{
    private readonly AttributeData _data;
    private readonly Action<DiagnosticDescriptor, string[]> _report;

    internal LayerAttribute(AttributeData data, AttributeSyntax syntax, string attributeName, string defaultName, Action<DiagnosticDescriptor, string[]> report)
    {
        _data = data;
        Syntax = syntax;
        AttributeName = attributeName;
        _report = report;
        Name = NamedString("Name") ?? defaultName;
    }

    /// <summary>The attribute's name without "Attribute": <c>Dense</c>, <c>MaxPool2D</c>.</summary>
    public string AttributeName { get; }

    /// <summary>The layer's name: <c>Name = "..."</c>, or <c>layers.{index}</c>.</summary>
    public string Name { get; }

    /// <summary>The layer as messages quote it: <c>'layers.0'</c>.</summary>
    public string What => $"'{Name}'";

    internal AttributeSyntax Syntax { get; }

    private ImmutableArray<TypedConstant> Args => _data.ConstructorArguments;

    /// <summary>Positional argument <paramref name="index"/> as an int (0 when absent).</summary>
    public int Int(int index) => index < Args.Length && Args[index].Value is int v ? v : 0;

    /// <summary>Positional argument <paramref name="index"/> as a double (NaN when absent).</summary>
    public double Real(int index) => index < Args.Length ? ToReal(Args[index]) : double.NaN;

    /// <summary>Positional argument <paramref name="index"/> as an activation (reports an unknown value).</summary>
    public ActivationKind ActivationArgument(int index) => Enum<ActivationKind>(index < Args.Length ? Args[index] : default);

    /// <summary>Whether the named argument was written.</summary>
    public bool Has(string name) => _data.NamedArguments.Any(n => n.Key == name);

    public int? NamedInt(string name) => Named(name) is { Value: int v } ? v : null;
    public double? NamedReal(string name) => Named(name) is { } c ? ToReal(c) : null;
    public bool? NamedBool(string name) => Named(name) is { Value: bool v } ? v : null;
    public string? NamedString(string name) => Named(name)?.Value as string;
    public ActivationKind? NamedActivation(string name) => Named(name) is { } c ? Enum<ActivationKind>(c) : null;

    private TypedConstant? Named(string name)
    {
        foreach (KeyValuePair<string, TypedConstant> n in _data.NamedArguments)
            if (n.Key == name) return n.Value;
        return null;
    }

    /// <summary>NETGEN006 unless <paramref name="value"/> is positive; <paramref name="what"/> e.g. "The units of 'layers.0'".</summary>
    public void Positive(int value, string what)
    {
        if (value <= 0) _report(DiagnosticDescriptors.NonPositiveSize, new[] { what, value.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>NETGEN010 unless <paramref name="ok"/>: <paramref name="what"/> must be <paramref name="range"/>.</summary>
    public void Check(bool ok, string what, string range, double value)
    {
        if (!ok) _report(DiagnosticDescriptors.ValueOutOfRange, new[] { what, range, value.ToString("R", CultureInfo.InvariantCulture) });
    }

    /// <summary>An activation with its Alpha (named argument), defaults resolved and checked.</summary>
    public ActivationSpec Activation(ActivationKind kind)
    {
        double alpha = NamedReal("Alpha") ?? double.NaN;
        bool takesAlpha = kind is ActivationKind.LeakyReLU or ActivationKind.ELU;
        if (!double.IsNaN(alpha) && !takesAlpha)
            _report(DiagnosticDescriptors.AlphaIgnored, new[] { Name, kind.ToString() });
        if (!takesAlpha) return new ActivationSpec(kind, 0);
        if (double.IsNaN(alpha)) return new ActivationSpec(kind, kind == ActivationKind.LeakyReLU ? 0.01 : 1.0);
        Check(IsFinite(alpha) && (kind != ActivationKind.ELU || alpha > 0), $"The Alpha of '{Name}'", kind == ActivationKind.ELU ? "positive and finite" : "finite", alpha);
        return new ActivationSpec(kind, alpha);
    }

    public static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

    internal static double ToReal(TypedConstant c) => c.Value switch
    {
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double d => d,
        int i => i,
        _ => double.NaN,
    };

    private TEnum Enum<TEnum>(TypedConstant c) where TEnum : struct, Enum
    {
        int value = c.Value is int i ? i : -1;
        if (System.Enum.IsDefined(typeof(TEnum), value)) return (TEnum)(object)value;
        string typeName = typeof(TEnum).Name.Replace("Kind", "");
        _report(DiagnosticDescriptors.UnknownEnumValue, new[] { $"{typeName} value {value}", typeName, string.Join(", ", System.Enum.GetNames(typeof(TEnum))) });
        return default;
    }
}

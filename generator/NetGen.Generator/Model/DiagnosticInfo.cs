using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>A source location as plain values (a <see cref="Location"/> holds on to a syntax tree).</summary>
public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
        => location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic as data: which descriptor, where, and the message arguments.</summary>
public sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location?.ToLocation(), messageArgs: System.Linq.Enumerable.ToArray<object>(Arguments));
}

/// <summary>What parsing one declaration gives: the analysed model when it can be compiled, and the diagnostics.</summary>
/// <param name="WeightsAt">Where <c>Weights = "..."</c> is written, for the diagnostics about that file.</param>
public sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsAt = null);

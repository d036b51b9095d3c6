using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>
/// A source location as plain values (a <see cref="Location"/> holds on to a syntax tree, which the cached
/// model must not). <see cref="ToLocation"/> turns it back into a location in the syntax tree, so that
/// <c>#pragma warning disable</c> applies to the diagnostic.
/// </summary>
public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in <paramref name="compilation"/>'s syntax tree of this file (pragmas and editor squiggles see
    /// it there); a path-only location only when no tree of that path holds the span any more.
    /// </summary>
    public Location ToLocation(Compilation? compilation)
    {
        if (compilation is not null)
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
                if (tree.FilePath == FilePath && Span.End <= tree.Length) return Location.Create(tree, Span);
        return Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(Location? location)
        => location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic as data: which descriptor, where, and the message arguments.</summary>
public sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>The diagnostic, located in <paramref name="compilation"/>'s syntax tree (see <see cref="LocationInfo.ToLocation"/>).</summary>
    public Diagnostic ToDiagnostic(Compilation? compilation)
        => Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), messageArgs: System.Linq.Enumerable.ToArray<object>(Arguments));
}

/// <summary>What parsing one declaration gives: the analysed model when it can be compiled, and the diagnostics.</summary>
/// <param name="WeightsAt">Where <c>Weights = "..."</c> is written, for the diagnostics about that file.</param>
public sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsAt = null);

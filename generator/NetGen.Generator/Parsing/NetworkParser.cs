using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Analysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns one attributed class into a <see cref="NetworkSpec"/> and its diagnostics. Nothing here
/// throws on user input: every problem becomes a diagnostic at the attribute that causes it.
/// </summary>
internal sealed partial class NetworkParser
{
    private const string Namespace = "NetGen";
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string InputAttributeName = "NetGen.InputAttribute";

    /// <summary>The most layers a network may declare (each one adds code).</summary>
    public const int MaxLayers = 512;

    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly INamedTypeSymbol _type;
    private readonly CancellationToken _cancellationToken;
    private bool _failed;

    private NetworkParser(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        _type = type;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Parses a class found through <c>[Network]</c> or <c>[Input]</c>.</summary>
    public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, bool viaInput, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type) return null;
        // A class with [Network] is handled through that attribute only.
        if (viaInput && type.GetAttributes().Any(a => IsNetGen(a.AttributeClass, "NetworkAttribute"))) return null;
        try
        {
            return new NetworkParser(type, cancellationToken).Parse((ClassDeclarationSyntax)context.TargetNode);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // The generator never throws: an internal failure is reported, not raised.
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[]
            {
                new DiagnosticInfo(DiagnosticDescriptors.NetworkTooLarge, LocationInfo.From(context.TargetNode.GetLocation()),
                    new EquatableArray<string>(new[] { type.Name, "NetGen could not analyse it (" + e.GetType().Name + ": " + e.Message + ")" })),
            }));
        }
    }

    private ParseResult Parse(ClassDeclarationSyntax declaration)
    {
        Location classLocation = declaration.Identifier.GetLocation();
        CheckDeclaration(declaration, classLocation);
        List<ContainingTypeSpec> containing = ContainingTypes(declaration, classLocation);

        // Every NetGen attribute on the class, in source order (all declarations).
        var attributes = _type.GetAttributes()
            .Where(a => a.AttributeClass is { } c && c.ContainingNamespace?.ToDisplayString() == Namespace && a.ApplicationSyntaxReference is not null)
            .Select(a => (Data: a, Syntax: (AttributeSyntax)a.ApplicationSyntaxReference!.GetSyntax(_cancellationToken)))
            .OrderBy(a => a.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(a => a.Syntax.SpanStart)
            .ToList();

        var networkAttribute = attributes.FirstOrDefault(a => IsNetGen(a.Data.AttributeClass, "NetworkAttribute"));
        var layerAttributes = attributes.Where(a => IsInput(a.Data) || IsLayer(a.Data.AttributeClass)).ToList();

        foreach (var a in attributes)
            if (a.Data.AttributeConstructor is null || a.Data.ConstructorArguments.Any(c => c.Kind == TypedConstantKind.Error))
                Report(DiagnosticDescriptors.InvalidArgument, a.Syntax, a.Data.AttributeClass?.Name.Replace("Attribute", "") ?? "?");
        if (_failed) return Result(null);

        // All layers on one declaration, so "the order written" means something.
        if (layerAttributes.Select(a => a.Syntax.Parent?.Parent).Distinct().Count() > 1)
        {
            Report(DiagnosticDescriptors.LayersSplitAcrossDeclarations, classLocation, _type.Name);
            return Result(null);
        }

        TrainingSpec training = ParseTraining(networkAttribute.Data, networkAttribute.Syntax, out PrecisionKind precision);
        int[]? inputShape = ParseInput(layerAttributes, classLocation);
        var layers = new List<(LayerSpec Spec, AttributeSyntax Syntax)>();
        int index = 0;
        foreach (var (data, syntax) in layerAttributes)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (IsInput(data)) continue;
            LayerSpec? layer = ParseLayer(data, syntax, $"layers.{index}");
            index++;
            if (layer is not null) layers.Add((layer, syntax));
        }
        if (inputShape is not null && index == 0) Report(DiagnosticDescriptors.NoLayers, classLocation, _type.Name);
        if (index > MaxLayers) Report(DiagnosticDescriptors.NetworkTooLarge, classLocation, _type.Name, $"it declares {index} layers, more than {MaxLayers}");
        if (_failed || inputShape is null) return Result(null);

        CheckNames(layers);
        CheckActivationPlacement(layers, training);
        if (_failed) return Result(null);

        IReadOnlyList<LayerPlan>? plan = NetworkPlanner.Plan(inputShape, layers.Select(l => l.Spec).ToList(), out ShapeError? shapeError);
        if (plan is null)
        {
            AttributeSyntax at = layers[shapeError!.LayerIndex].Syntax;
            if (shapeError.TooLarge) Report(DiagnosticDescriptors.NetworkTooLarge, at, _type.Name, $"'{layers[shapeError.LayerIndex].Spec.Name}': {shapeError.Reason}");
            else Report(DiagnosticDescriptors.ShapeMismatch, at, layers[shapeError.LayerIndex].Spec.Name, shapeError.InputShape, shapeError.Reason);
            return Result(null);
        }

        var spec = new NetworkSpec(
            _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containing.ToEquatableArray(),
            _type.Name,
            training,
            precision,
            inputShape.ToEquatableArray(),
            layers.Select(l => l.Spec).ToEquatableArray());
        return Result(spec);
    }

    private ParseResult Result(NetworkSpec? spec) => new(_failed ? null : spec, _diagnostics.ToEquatableArray());

    // ---- the class itself ------------------------------------------------------------------

    private void CheckDeclaration(ClassDeclarationSyntax declaration, Location classLocation)
    {
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            Report(DiagnosticDescriptors.NotPartial, classLocation, _type.Name);
        if (_type.IsStatic)
            Report(DiagnosticDescriptors.StaticClass, classLocation, _type.Name);
        for (INamedTypeSymbol? t = _type; t is not null; t = t.ContainingType)
            if (t.IsGenericType)
            {
                Report(DiagnosticDescriptors.GenericNotSupported, classLocation, _type.Name);
                break;
            }
    }

    private List<ContainingTypeSpec> ContainingTypes(ClassDeclarationSyntax declaration, Location classLocation)
    {
        var result = new List<ContainingTypeSpec>();
        for (SyntaxNode? node = declaration.Parent; node is TypeDeclarationSyntax parent; node = node.Parent)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                Report(DiagnosticDescriptors.NotPartial, parent.Identifier.GetLocation(), parent.Identifier.Text);
            string keyword = parent switch
            {
                RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            result.Insert(0, new ContainingTypeSpec(keyword, parent.Identifier.Text));
        }
        return result;
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static bool IsNetGen(INamedTypeSymbol? type, string name)
        => type is not null && type.Name == name && type.ContainingNamespace?.ToDisplayString() == Namespace;

    private static bool IsInput(AttributeData data) => IsNetGen(data.AttributeClass, "InputAttribute");

    private static bool IsLayer(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type?.BaseType; t is not null; t = t.BaseType)
            if (IsNetGen(t, "LayerAttribute")) return true;
        return false;
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode at, params string[] args)
        => Report(descriptor, at.GetLocation(), args);

    private void Report(DiagnosticDescriptor descriptor, Location at, params string[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) _failed = true;
        _diagnostics.Add(new DiagnosticInfo(descriptor, LocationInfo.From(at), args.ToEquatableArray()));
    }
}

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
    private LocationInfo? _weightsAt;

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
            if (context.TargetNode is not ClassDeclarationSyntax declaration)
            {
                // [Network] is allowed on a record class by the compiler, but a network is a plain class.
                var node = (TypeDeclarationSyntax)context.TargetNode;
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[]
                {
                    new DiagnosticInfo(DiagnosticDescriptors.NotAPlainClass, LocationInfo.From(node.Identifier.GetLocation()),
                        new EquatableArray<string>(new[] { type.Name, "a record" })),
                }));
            }
            return new NetworkParser(type, cancellationToken).Parse(declaration);
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
                new DiagnosticInfo(DiagnosticDescriptors.InternalError, LocationInfo.From(context.TargetNode.GetLocation()),
                    new EquatableArray<string>(new[] { type.Name, "analysing", e.GetType().Name + ": " + e.Message })),
            }));
        }
    }

    private ParseResult Parse(ClassDeclarationSyntax declaration)
    {
        Location classLocation = declaration.Identifier.GetLocation();
        CheckDeclaration(declaration, classLocation);
        CheckMemberNames(classLocation);
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

        var spec = new NetworkSpec(
            _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? EscapedNamespace(ns) : null,
            containing.ToEquatableArray(),
            declaration.Identifier.Text,
            training,
            precision,
            inputShape.ToEquatableArray(),
            layers.Select(l => l.Spec).ToEquatableArray(),
            IsAbstract: _type.IsAbstract,
            Weights: WeightsArgument(networkAttribute.Data, networkAttribute.Syntax, out _weightsAt));

        // The one analysis: shapes, tensors, and every fact the emitters read.
        NetworkModel? model = NetworkModelBuilder.Build(spec, out ShapeError? shapeError);
        if (model is null)
        {
            AttributeSyntax at = layers[shapeError!.LayerIndex].Syntax;
            if (shapeError.TooLarge) Report(DiagnosticDescriptors.NetworkTooLarge, at, _type.Name, $"'{layers[shapeError.LayerIndex].Spec.Name}': {shapeError.Reason}");
            else Report(DiagnosticDescriptors.ShapeMismatch, at, layers[shapeError.LayerIndex].Spec.Name, shapeError.InputShape, shapeError.Reason);
            return Result(null);
        }

        return Result(model);
    }

    private ParseResult Result(NetworkModel? model) => new(_failed ? null : model, _diagnostics.ToEquatableArray(), _weightsAt);

    // ---- the class itself ------------------------------------------------------------------

    private void CheckDeclaration(ClassDeclarationSyntax declaration, Location classLocation)
    {
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            Report(DiagnosticDescriptors.NotPartial, classLocation, _type.Name);
        if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            Report(DiagnosticDescriptors.NotAPlainClass, classLocation, _type.Name, "file-local (its generated members would live in another file, on another type)");
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

    /// <summary>The members the generated part declares; a user member of the same name would not compile.</summary>
    private static readonly string[] s_generatedMembers =
    {
        "InputSize", "OutputSize", "ParameterCount", "DefaultSeed", "Parameters", "Gradients", "ParameterTensors",
        "LearningRate", "OptimizerStep", "OptimizerState", "RandomState", "Predict", "ComputeLoss", "ComputeGradients",
        "TrainStep", "Forward", "Backward", "InputGradients", "InitializeParameters", "FindNonFiniteLayer", "Summary",
        "RunForward", "RunLoss", "RunLossGradient", "RunBackward", "RunPerceptronRule", "ApplyUpdate", "EnsureCapacity",
        "Rows", "CheckBatch", "LabelsPerSample", "ClassCount", "RunLabelLoss", "RunLabelLossGradient",
    };

    /// <summary>The generated private fields and tensor views: <c>_parameters</c>, <c>_y3</c>, <c>_mask1</c>, <c>L0Weight</c>, ...</summary>
    private static readonly System.Text.RegularExpressions.Regex s_generatedFields = new(
        "^(_(parameters|buffers|gradients|optimizerState|step|learningRate|random|capacity|lastBatch|x|dx)|_[a-zA-Z]+[0-9]+|L[0-9]+[A-Z][A-Za-z]*)$");

    private void CheckMemberNames(Location classLocation)
    {
        // The class's own name, a member named like a generated one, or a constructor with the generated signatures.
        if (Array.IndexOf(s_generatedMembers, _type.Name) >= 0)
            Report(DiagnosticDescriptors.MemberNameClash, classLocation, _type.Name, _type.Name, "the class itself");
        foreach (ISymbol member in _type.GetMembers())
        {
            if (member.IsImplicitlyDeclared) continue;
            string name = member.Name;
            bool clash = Array.IndexOf(s_generatedMembers, name) >= 0
                || s_generatedFields.IsMatch(name)
                || (member is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor
                    && (ctor.Parameters.Length == 0 || (ctor.Parameters.Length == 1 && ctor.Parameters[0].Type.SpecialType == SpecialType.System_Int32)));
            if (clash)
                Report(DiagnosticDescriptors.MemberNameClash, member.Locations.FirstOrDefault() ?? classLocation, _type.Name,
                    member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "a constructor () or (int seed)" : name, "a member the generator declares");
        }
        // The emitted code reaches the kernels through a 'Kernels' alias, which a type of that name in the namespace would hide.
        if (_type.ContainingNamespace?.GetTypeMembers("Kernels").Length > 0)
            Report(DiagnosticDescriptors.MemberNameClash, classLocation, _type.Name, "Kernels", "the alias the generated file uses for NetGen.Numerics (a type named Kernels in the same namespace)");
    }

    private static string EscapedNamespace(INamespaceSymbol ns)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? n = ns; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace) parts.Insert(0, Escape(n.Name));
        return string.Join(".", parts);
    }

    /// <summary>A name as C# must write it: <c>@class</c> for a keyword.</summary>
    private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

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

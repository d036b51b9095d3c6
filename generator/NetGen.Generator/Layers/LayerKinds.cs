using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>The one table of layer kinds. Adding a kind: one line here (see docs/adding-a-layer.md).</summary>
internal static class LayerKinds
{
    /// <summary>Every layer kind NetGen compiles.</summary>
    public static IReadOnlyList<LayerKind> All { get; } = new LayerKind[]
    {
        new DenseKind(),
        new ActivationLayerKind(),
        new MaxoutKind(),
        new DropoutKind(),
        new FlattenKind(),
        new Conv2DKind(),
        new Pool2DKind(),
        new EmbeddingKind(),
    };

    private static readonly Dictionary<string, LayerKind> s_byAttribute = All
        .SelectMany(k => k.AttributeNames.Select(a => (Attribute: a, Kind: k)))
        .ToDictionary(p => p.Attribute, p => p.Kind, StringComparer.Ordinal);

    private static readonly Dictionary<Type, LayerKind> s_bySpec = All.ToDictionary(k => k.SpecType);

    /// <summary>The kind that reads an attribute (its class name without "Attribute"), or null.</summary>
    public static LayerKind? ForAttribute(string attributeName) => s_byAttribute.TryGetValue(attributeName, out LayerKind? k) ? k : null;

    /// <summary>The kind of a spec.</summary>
    public static LayerKind Of(LayerSpec spec)
        => s_bySpec.TryGetValue(spec.GetType(), out LayerKind? k) ? k : throw new InvalidOperationException($"no layer kind registered for {spec.GetType().Name}");
}

using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary>
/// A tensor a layer kind declares: its PyTorch name within the layer (<c>weight</c>, <c>prelu.weight</c>),
/// role, shape, initialisation, whether it is trained, and the suffix of its C# view
/// (<c>L0Weight</c>; by default the role's name, so give one when two tensors share a role).
/// </summary>
internal sealed record TensorDeclaration(string Name, TensorRole Role, long[] Shape, InitRule Init, bool Trainable = true, string? Field = null);

/// <summary>What a kind knows when it declares its tensors: its shapes and what follows it.</summary>
/// <param name="NextIsReluFamily">The next layer is an <c>[Activation]</c> of the ReLU family (He initialisation then).</param>
internal sealed record TensorContext(TensorShape Input, TensorShape Output, bool NextIsReluFamily);

/// <summary>
/// One layer kind: everything NetGen knows about it, in one place. Register each kind once in
/// <see cref="LayerKinds.All"/>; subclass <see cref="LayerKind{TSpec}"/> rather than this class.
/// </summary>
internal abstract class LayerKind
{
    /// <summary>The kind's name as Summary and messages write it: <c>Dense</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The attribute classes this kind reads, without "Attribute" (usually just <see cref="Name"/>).</summary>
    public virtual IReadOnlyList<string> AttributeNames => new[] { Name };

    /// <summary>
    /// A small valid declaration using this kind (the attributes after <c>[Network]</c>), e.g.
    /// <c>[Input(6)] [Dense(3, Activation.Tanh)]</c>: the registry test compiles it for CPU and GPU.
    /// </summary>
    public abstract string Example { get; }

    /// <summary>The <see cref="LayerSpec"/> record this kind reads into.</summary>
    public abstract Type SpecType { get; }

    /// <summary>True when the kind takes integer token ids: an <c>[Input(timeSteps)]</c> before it is then a token input.</summary>
    public virtual bool ConsumesTokens => false;

    /// <summary>True when the layer moves no data (Flatten): its output is its input, reinterpreted.</summary>
    public virtual bool PassesInputThrough => false;

    /// <summary>
    /// True for kinds without a time axis that apply at every step of a sequence (Dense, Activation,
    /// Dropout): <c>Step</c> runs their forward pass on the one step. A kind that mixes time steps keeps
    /// false and, to be steppable, overrides <see cref="LayerEmitter.EmitStep"/> (recurrent layers carry state).
    /// </summary>
    public virtual bool AppliesPerTimeStep => false;

    /// <summary>Reads the attribute into a spec, reporting bad arguments through <paramref name="attribute"/>; null when it cannot.</summary>
    public abstract LayerSpec? Read(LayerAttribute attribute);

    /// <summary>The output shape for an input shape, or null and the reason (NETGEN013) when the layer cannot take it.</summary>
    public abstract TensorShape? OutputShape(LayerSpec spec, TensorShape input, out string? reason);

    /// <summary>The kind's tensors in PyTorch's order (the order of the flat parameter array).</summary>
    public abstract IEnumerable<TensorDeclaration> Tensors(LayerSpec spec, TensorContext context);

    /// <summary>The activation this layer applies last, if any: Summary, the placement checks and the loss fusion read it.</summary>
    public abstract ActivationSpec? Activation(LayerSpec spec);

    /// <summary>The name of this layer's kind in Summary and messages (MaxPool2D and AvgPool2D share a kind).</summary>
    public virtual string DisplayName(LayerSpec spec) => Name;

    /// <summary>The "(type)" cell of the layer's Summary row: <c>Dense, ReLU</c>.</summary>
    public virtual string SummaryType(LayerSpec spec)
        => DisplayName(spec) + (Activation(spec) is { IsNonLinear: true } a ? ", " + a.Kind : "");

    /// <summary>The CPU emitter of one layer of this kind.</summary>
    public abstract LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer);

    /// <summary>Why this layer has no GPU kernels (NETGEN200's reason), or null when <see cref="CreateGpuEmitter"/> gives an emitter.</summary>
    public abstract string? GpuUnsupportedReason(LayerModel layer);

    /// <summary>The GPU emitter of one layer of this kind; called only when <see cref="GpuUnsupportedReason"/> is null.</summary>
    public abstract GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer);

    /// <summary>He uniform when a ReLU-family activation follows the weights (in the layer or the next), else Glorot uniform.</summary>
    protected static InitRule WeightInit(int fanIn, int fanOut, ActivationSpec? activation, TensorContext context)
        => activation?.IsReluFamily == true || context.NextIsReluFamily
            ? InitRule.He(fanIn, "He uniform: a ReLU-family activation follows")
            : InitRule.Glorot(fanIn, fanOut);

    /// <summary>PReLU slopes start at 0.25, as <c>nn.PReLU</c>'s.</summary>
    protected static InitRule PReLUSlopes { get; } = InitRule.Constant(0.25, "PReLU slopes start at 0.25");
}

/// <summary>A layer kind over its own spec record: override the typed members.</summary>
internal abstract class LayerKind<TSpec> : LayerKind where TSpec : LayerSpec
{
    public sealed override Type SpecType => typeof(TSpec);

    public sealed override TensorShape? OutputShape(LayerSpec spec, TensorShape input, out string? reason) => OutputShape((TSpec)spec, input, out reason);
    public sealed override IEnumerable<TensorDeclaration> Tensors(LayerSpec spec, TensorContext context) => Tensors((TSpec)spec, context);
    public sealed override ActivationSpec? Activation(LayerSpec spec) => Activation((TSpec)spec);
    public sealed override string DisplayName(LayerSpec spec) => DisplayName((TSpec)spec);

    /// <inheritdoc cref="LayerKind.OutputShape(LayerSpec, TensorShape, out string?)"/>
    protected abstract TensorShape? OutputShape(TSpec spec, TensorShape input, out string? reason);

    /// <inheritdoc cref="LayerKind.Tensors(LayerSpec, TensorContext)"/>
    protected virtual IEnumerable<TensorDeclaration> Tensors(TSpec spec, TensorContext context) => Enumerable.Empty<TensorDeclaration>();

    /// <inheritdoc cref="LayerKind.Activation(LayerSpec)"/>
    protected virtual ActivationSpec? Activation(TSpec spec) => null;

    /// <inheritdoc cref="LayerKind.DisplayName(LayerSpec)"/>
    protected virtual string DisplayName(TSpec spec) => Name;
}

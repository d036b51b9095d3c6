using System;

namespace NetGen.Generator.Model;

/// <summary>
/// Everything the emitters need to know about one declared network: plain values only, no
/// <c>ISymbol</c>, <c>SyntaxNode</c> or <c>Compilation</c>, so that equal declarations give equal
/// specs and the incremental pipeline caches the emitted source.
/// </summary>
public sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    TrainingSpec Training,
    PrecisionKind Precision,
    EquatableArray<int> InputShape,
    EquatableArray<LayerSpec> Layers,
    bool IsAbstract = false,
    string? Weights = null)
{
    /// <summary>True when <c>[Network(Weights = ...)]</c> compiles trained weights in: an inference-only class.</summary>
    public bool IsInferenceOnly => Weights is not null;

    /// <summary>The C# keyword of the element type.</summary>
    public string ElementType => Precision == PrecisionKind.Double ? "double" : "float";
}

/// <summary>A type the network class is nested in: <c>partial class Outer</c>, <c>partial struct Outer</c>, ...</summary>
public sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>The <c>[Network]</c> settings, defaults resolved.</summary>
public sealed record TrainingSpec(
    LossKind Loss,
    OptimizerKind Optimizer,
    double LearningRate,
    double Momentum,
    double Beta1,
    double Beta2,
    double Epsilon,
    double RmsDecay,
    double WeightDecay,
    int Seed,
    double ClipNorm = 0)
{
    /// <summary>AdamW decays matrices only: tensors of two or more dimensions (nanoGPT's parameter groups); the other optimizers decay every value.</summary>
    public bool DecaysMatricesOnly => Optimizer == OptimizerKind.AdamW;
}

/// <summary>An activation function with its one setting.</summary>
public sealed record ActivationSpec(ActivationKind Kind, double Alpha)
{
    public static ActivationSpec Linear { get; } = new(ActivationKind.Linear, 0);

    /// <summary>True for functions that change their input (all but Linear).</summary>
    public bool IsNonLinear => Kind != ActivationKind.Linear;

    /// <summary>The ReLU family takes He initialisation; the rest Glorot.</summary>
    public bool IsReluFamily => Kind is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.PReLU or ActivationKind.ELU;
}

/// <summary>One declared layer (after <c>Input</c>): each kind's record lives in its folder under <c>Layers/</c>.</summary>
public abstract record LayerSpec(string Name);

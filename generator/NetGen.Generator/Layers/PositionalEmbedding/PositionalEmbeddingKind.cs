using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[PositionalEmbedding(maxLength)]</c>.</summary>
public sealed record PositionalEmbeddingSpec(string Name, int MaxLength) : LayerSpec(Name);

/// <summary>
/// A learned position table added to a sequence: y[t] = x[t] + P[t], P = <c>{name}.weight [maxLength, d]</c>
/// ~ N(0, 0.02²) (GPT-2's <c>wpe</c>). maxLength must be at least the sequence's time steps.
/// </summary>
internal sealed class PositionalEmbeddingKind : LayerKind<PositionalEmbeddingSpec>
{
    /// <summary>GPT-2's standard deviation of the table.</summary>
    public const double Deviation = 0.02;

    public override string Name => "PositionalEmbedding";

    public override string Example => "[Input(5, 3)] [PositionalEmbedding(7)] [Flatten] [Dense(2)]";

    public override LayerSpec? Read(LayerAttribute a)
    {
        int maxLength = a.Int(0);
        a.Positive(maxLength, $"The maxLength of {a.What}");
        return new PositionalEmbeddingSpec(a.Name, maxLength);
    }

    protected override TensorShape? OutputShape(PositionalEmbeddingSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (!input.IsSequence)
        {
            reason = "PositionalEmbedding adds a position table to a sequence [timeSteps, features]; its input has no time axis";
            return null;
        }
        if (spec.MaxLength < input.TimeSteps)
        {
            reason = $"its maxLength {spec.MaxLength} is shorter than the sequence's {input.TimeSteps} time steps; declare PositionalEmbedding({input.TimeSteps}) or more";
            return null;
        }
        return input;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(PositionalEmbeddingSpec spec, TensorContext c)
    {
        yield return new TensorDeclaration("weight", TensorRole.Positional, new long[] { spec.MaxLength, c.Input.Features }, InitRule.Normal(0, Deviation, "GPT-2's position table: N(0, 0.02²)"));
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new PositionalEmbeddingEmitter(context, layer);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuPositionalEmbeddingEmitter(context, layer);
}

/// <summary>y[b, t] = x[b, t] + P[t]; dP[t] = Σ_b dy[b, t] (rows t ≥ timeSteps get 0); dx = dy.</summary>
internal sealed class PositionalEmbeddingEmitter : LayerEmitter
{
    private readonly PositionalEmbeddingSpec _positional;

    public PositionalEmbeddingEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _positional = (PositionalEmbeddingSpec)layer.Spec;

    private int Steps => Layer.Input.TimeSteps;
    private int Width => Layer.Input.Features;
    private TensorModel Table => Layer.Tensor(TensorRole.Positional);

    public override string Describe() => $"PositionalEmbedding of {Steps} of {_positional.MaxLength} positions × {Width}";

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[b, t] = x{I}[b, t] + P{I}[t]   (P{I}: {_positional.MaxLength}×{Width}, rows 0..{Steps - 1} used)");
        w.Line($"{K}.PositionalEmbedding.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Table)}, {Ctx.OutputOf(I)}, batch: n, time: {Steps}, width: {Width});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        // The kernel copies dy into dx when given one; an empty dx skips that copy.
        string dx = Layer.InputGradientAlways ? Ctx.InputGradientOf(I) : $"inputGradient ? {Ctx.InputGradientOf(I)} : default";
        w.Line($"// dP{I}[t] = Σ over the batch of dy{I}[b, t] (unused rows 0);  dx{I} = dy{I}");
        w.Line($"{K}.PositionalEmbedding.Backward<{T}>({Ctx.OutputGradientOf(I)}, {dx}, {EmitContext.Grad(Table)}, batch: n, time: {Steps}, width: {Width}, maxLength: {_positional.MaxLength});");
    }

    /// <summary>A step needs only its position: y = x + P[position].</summary>
    public override string? StepUnsupportedReason => null;

    /// <summary>The table has a row for each of maxLength positions.</summary>
    public override int? StepLimit => _positional.MaxLength;

    public override void EmitStep(SourceWriter w)
    {
        w.Line($"// y{I} = x{I} + P{I}[position]   (position = steps since ResetState)");
        w.Line($"{K}.PositionalEmbedding.Step<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Table)}, {Ctx.OutputOf(I)}, position: (int)_position, batch: 1, width: {Width});");
    }
}

using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// A buffer a layer keeps: its field, values per sample, element type and meaning. A scratch that
/// does not grow with the batch (<paramref name="PerSample"/> false) holds <paramref name="Size"/> values in all.
/// </summary>
internal sealed record BufferField(string Name, int Size, string Type, string Meaning, bool PerSample = true);

/// <summary>
/// The code for one layer kind: its buffers, its forward and backward steps, its initialisation.
/// Each kind has one subclass in a file of its own.
/// </summary>
internal abstract class LayerEmitter
{
    protected LayerEmitter(EmitContext ctx, LayerPlan plan)
    {
        Ctx = ctx;
        Plan = plan;
    }

    protected EmitContext Ctx { get; }
    public LayerPlan Plan { get; }
    protected int I => Plan.Index;
    protected string T => Ctx.T;
    protected string K => EmitContext.Kernels;

    /// <summary>A one-line description for comments: <c>Dense 784 → 128, ReLU</c>.</summary>
    public abstract string Describe();

    /// <summary>The buffers this layer owns. By default its output and the gradient of its output.</summary>
    public virtual IEnumerable<BufferField> Buffers()
    {
        yield return new BufferField($"_y{I}", Plan.OutputSize, T, $"{Plan.Spec.Name} output");
        yield return new BufferField($"_dy{I}", Plan.OutputSize, T, $"d(loss)/d({Plan.Spec.Name} output)");
    }

    /// <summary>The activation applied last in this layer, if any (for the fused losses).</summary>
    public virtual ActivationSpec? FinalActivation => null;

    /// <summary>The buffer holding the input of the final activation (the logits, for a fused loss).</summary>
    public virtual string PreActivation => Ctx.InputOf(I);

    /// <summary>Where d(loss)/d(<see cref="PreActivation"/>) goes.</summary>
    public virtual string PreActivationGradient => Ctx.InputGradientOf(I);

    /// <summary>Writes the forward step. In scope: <c>x</c>, <c>n</c>, <c>training</c>.</summary>
    public abstract void EmitForward(SourceWriter w);

    /// <summary>
    /// Writes the backward step: from d(loss)/d(output) to the parameter gradients and (when needed)
    /// d(loss)/d(input). In scope: <c>x</c>, <c>n</c>, <c>inputGradient</c>, and <c>lossFused</c> when
    /// <paramref name="mayBeFused"/> (the loss already wrote d(loss)/d(pre-activation)).
    /// </summary>
    public abstract void EmitBackward(SourceWriter w, bool mayBeFused);

    /// <summary>Writes the parameter initialisation. In scope: <c>random</c>.</summary>
    public virtual void EmitInitialize(SourceWriter w)
    {
    }

    /// <summary>Opens <c>if (cond) {</c> unless the condition is always true; returns whether it did.</summary>
    protected static bool OpenIf(SourceWriter w, string condition)
    {
        if (condition == "true") return false;
        w.Open($"if ({condition})");
        return true;
    }

    /// <summary>Writes He or Glorot uniform for a weight tensor, choosing by the activation that follows it.</summary>
    protected void EmitWeightInit(SourceWriter w, TensorPlan weight, int fanIn, int fanOut, ActivationSpec? activation)
    {
        bool he = activation?.IsReluFamily == true || NextIsReluFamily();
        if (he)
        {
            w.Line($"// {weight.Name} ~ U(−b, b), b = √(6 / {fanIn})   (He uniform: a ReLU-family activation follows)");
            w.Line($"{K}.Initializers.HeUniform<{T}>({EmitContext.Param(weight)}, {fanIn}, ref random);");
        }
        else
        {
            w.Line($"// {weight.Name} ~ U(−b, b), b = √(6 / ({fanIn} + {fanOut}))   (Glorot uniform)");
            w.Line($"{K}.Initializers.GlorotUniform<{T}>({EmitContext.Param(weight)}, {fanIn}, {fanOut}, ref random);");
        }
    }

    private bool NextIsReluFamily()
        => I + 1 < Ctx.Plans.Count && Ctx.Plans[I + 1].Spec is ActivationLayerSpec { Activation.IsReluFamily: true };

    protected TensorPlan Tensor(string field) => Plan.Tensors.First(t => t.FieldPrefix.EndsWith(field, System.StringComparison.Ordinal));
    protected TensorPlan? TryTensor(string field) => Plan.Tensors.FirstOrDefault(t => t.FieldPrefix.EndsWith(field, System.StringComparison.Ordinal));

    /// <summary>Creates the emitter for a layer.</summary>
    public static LayerEmitter For(EmitContext ctx, LayerPlan plan) => plan.Spec switch
    {
        DenseSpec => new DenseEmitter(ctx, plan),
        ActivationLayerSpec => new ActivationLayerEmitter(ctx, plan),
        MaxoutSpec => new MaxoutEmitter(ctx, plan),
        DropoutSpec => new DropoutEmitter(ctx, plan),
        FlattenSpec => new FlattenEmitter(ctx, plan),
        Conv2DSpec => new Conv2DEmitter(ctx, plan),
        Pool2DSpec => new Pool2DEmitter(ctx, plan),
        _ => throw new System.NotSupportedException(plan.Spec.GetType().Name),
    };
}

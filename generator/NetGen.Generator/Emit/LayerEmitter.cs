using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// A buffer a layer keeps: its field, values per sample, element type and meaning. A scratch that
/// does not grow with the batch (<paramref name="PerSample"/> false) holds <paramref name="Size"/> values in all.
/// <paramref name="StepOnly"/> marks state and scratch that only <c>Step</c> uses (Predict's scratch sets leave them out).
/// </summary>
internal sealed record BufferField(string Name, int Size, string Type, string Meaning, bool PerSample = true, bool BackwardOnly = false, bool StepOnly = false);

/// <summary>
/// The CPU code of one layer: its buffers and its forward and backward steps, written from the
/// analysed <see cref="LayerModel"/> (initialisation is written from each tensor's <see cref="InitRule"/>).
/// Each kind has one subclass, in its folder under <c>Layers/</c>.
/// </summary>
internal abstract partial class LayerEmitter
{
    protected LayerEmitter(EmitContext ctx, LayerModel layer)
    {
        Ctx = ctx;
        Layer = layer;
    }

    protected EmitContext Ctx { get; }
    /// <summary>The analysed layer: shapes, tensors (by role), facts.</summary>
    public LayerModel Layer { get; }
    protected int I => Layer.Index;
    /// <summary>The element type keyword: <c>float</c> or <c>double</c>.</summary>
    protected string T => Ctx.T;
    /// <summary>The kernels' namespace alias in the emitted file.</summary>
    protected string K => EmitContext.Kernels;

    /// <summary>A one-line description for comments: <c>Dense 784 → 128, ReLU</c>.</summary>
    public abstract string Describe();

    /// <summary>The buffers this layer owns. By default its output and the gradient of its output.</summary>
    public virtual IEnumerable<BufferField> Buffers()
    {
        yield return new BufferField($"_y{I}", Layer.OutputSize, T, $"{Layer.Spec.Name} output");
        yield return new BufferField($"_dy{I}", Layer.OutputSize, T, $"d(loss)/d({Layer.Spec.Name} output)", BackwardOnly: true);
    }

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

    /// <summary>
    /// Opens <c>if (inputGradient) {</c> unless the layer always passes its gradient back (a layer
    /// before it has parameters, <see cref="LayerModel.InputGradientAlways"/>); returns whether it did.
    /// </summary>
    protected bool OpenIfInputGradientWanted(SourceWriter w) => OpenIf(w, !Layer.InputGradientAlways, "inputGradient");

    /// <summary>Opens <c>if (condition) {</c> when <paramref name="needed"/>; returns whether it did.</summary>
    protected static bool OpenIf(SourceWriter w, bool needed, string condition)
    {
        if (!needed) return false;
        w.Open($"if ({condition})");
        return true;
    }
}

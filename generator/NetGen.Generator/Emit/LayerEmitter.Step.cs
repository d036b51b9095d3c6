using NetGen.Generator.Layers;

namespace NetGen.Generator.Emit;

// Generation: how a layer runs one time step (Step) and what state it carries between steps (ResetState).
internal abstract partial class LayerEmitter
{
    /// <summary>
    /// Why this layer cannot run one time step at a time, or null. Without a reason from every layer the
    /// network gets no <c>Step</c>. By default a layer steps when its input is no sequence (a vector after
    /// a recurrent layer that returns its last step) or when its kind applies at every time step
    /// (<see cref="LayerKind.AppliesPerTimeStep"/>); any other kind on a sequence needs the whole sequence
    /// (Flatten) until it overrides this and <see cref="EmitStep"/> (attention: a key/value cache).
    /// </summary>
    public virtual string? StepUnsupportedReason
        => Layer.Input.IsSequence && !LayerKinds.Of(Layer.Spec).AppliesPerTimeStep
            ? $"layer '{Layer.Spec.Name}' ({Layer.KindName}) needs the whole sequence at once"
            : null;

    /// <summary>
    /// Writes this layer's part of one generation step. Step emitters are built over the network's
    /// one-step view (every sequence [t, f] seen as [1, f]), so <see cref="EmitContext.InputOf"/> and
    /// <see cref="EmitContext.OutputOf"/> name this step's rows. In scope: <c>x</c> (this step's input),
    /// <c>n</c> (1), <c>training</c> (false) and the field <c>_position</c> (the steps taken since
    /// <c>ResetState</c>, not counting this one: 0 on the first). The default is the forward pass over that one step,
    /// right for the kinds <see cref="StepUnsupportedReason"/> accepts by default.
    /// </summary>
    public virtual void EmitStep(SourceWriter w) => EmitForward(w);

    /// <summary>Writes the clearing of the state this layer carries from one Step to the next (none by default).</summary>
    public virtual void EmitResetState(SourceWriter w) { }

    /// <summary>
    /// The most steps this layer can take after <c>ResetState</c> (attention: the capacity of its key/value cache,
    /// the network's time steps; a position table: its rows), or null for no limit (the default, recurrent layers).
    /// The emitted <c>Step</c> throws <see cref="System.InvalidOperationException"/> past the smallest limit.
    /// </summary>
    public virtual int? StepLimit => null;

    /// <summary>The time steps of the whole network, when this emitter writes <see cref="EmitStep"/> (the key/value caches' capacity).</summary>
    protected int StepCapacity => Ctx.StepCapacity;
}

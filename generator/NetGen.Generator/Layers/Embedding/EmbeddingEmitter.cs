using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Embedding: a gather of table rows forward, a scatter-add of row gradients backward (no input gradient: ids are not differentiable).</summary>
internal sealed class EmbeddingEmitter : LayerEmitter
{
    private readonly EmbeddingSpec _embedding;

    public EmbeddingEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _embedding = (EmbeddingSpec)layer.Spec;

    private TensorModel Table => Layer.Tensor(TensorRole.Embedding);
    /// <summary>Ids in the batch: <c>n * timeSteps</c>, one table row each.</summary>
    private string Count => $"n * {Layer.Input.TimeSteps}";

    public override string Describe() => $"Embedding of {_embedding.Vocabulary} token ids → {_embedding.Dimensions} at each of {Layer.Input.TimeSteps} time steps";

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// y{I}[s, t] = W{I}[ids[s, t]]   (W{I}: {_embedding.Vocabulary}×{_embedding.Dimensions}; an id outside [0, {_embedding.Vocabulary}) throws, naming its position)");
        w.Line($"{K}.Embedding.Forward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(Table)}, {Ctx.OutputOf(I)}, count: {Count}, vocabulary: {_embedding.Vocabulary}, dimensions: {_embedding.Dimensions});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        w.Line($"// dW{I}[v] = Σ over positions p with ids[p] = v of dy{I}[p]   (repeated ids accumulate)");
        w.Line($"{K}.Embedding.Backward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputGradientOf(I)}, {EmitContext.Grad(Table)}, count: {Count}, vocabulary: {_embedding.Vocabulary}, dimensions: {_embedding.Dimensions});");
    }
}

using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary><c>[Embedding(vocabulary, dimensions)]</c>.</summary>
public sealed record EmbeddingSpec(string Name, int Vocabulary, int Dimensions) : LayerSpec(Name);

/// <summary>
/// Embedding: y[s, t] = W[ids[s, t]], W [vocabulary, dimensions] (PyTorch's <c>nn.Embedding</c>, N(0, 1)).
/// It consumes the token ids of <c>[Input(timeSteps)]</c> and gives the sequence [timeSteps, dimensions].
/// </summary>
internal sealed class EmbeddingKind : LayerKind<EmbeddingSpec>
{
    public override string Name => "Embedding";

    public override string Example => "[Input(7)] [Embedding(11, 3)] [Dense(5, Activation.Tanh)] [Flatten] [Dense(3)]";

    public override bool ConsumesTokens => true;

    public override LayerSpec? Read(LayerAttribute a)
    {
        int vocabulary = a.Int(0), dimensions = a.Int(1);
        a.Positive(vocabulary, $"The vocabulary of {a.What}");
        a.Positive(dimensions, $"The dimensions of {a.What}");
        return new EmbeddingSpec(a.Name, vocabulary, dimensions);
    }

    protected override TensorShape? OutputShape(EmbeddingSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.Kind == ShapeKind.Tokens) return TensorShape.Sequence(input.TimeSteps, spec.Dimensions);
        reason = input.Kind switch
        {
            ShapeKind.Image => "Embedding takes integer token ids, not an image; declare [Input(timeSteps)] right before it",
            ShapeKind.Sequence => "Embedding takes integer token ids, not a float sequence; declare [Input(timeSteps)] (one int) right before it, or drop the Embedding and feed the features directly",
            _ => "Embedding takes integer token ids, so it must be the first layer, right after [Input(timeSteps)]",
        };
        return null;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(EmbeddingSpec spec, TensorContext c)
    {
        yield return new TensorDeclaration("weight", TensorRole.Embedding, new long[] { spec.Vocabulary, spec.Dimensions },
            InitRule.Normal(0, 1, "nn.Embedding's N(0, 1)"));
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new EmbeddingEmitter(context, layer);

    /// <summary>The largest vocabulary whose ids a float holds exactly (2²⁴): the GPU runner takes ids as floats.</summary>
    public const int MaxGpuVocabulary = 1 << 24;

    public override string? GpuUnsupportedReason(LayerModel layer)
        => ((EmbeddingSpec)layer.Spec).Vocabulary <= MaxGpuVocabulary ? null
            : $"layer '{layer.Spec.Name}' (Embedding) has a vocabulary over 2^24, whose ids a float cannot hold exactly (the GPU runner takes ids as floats); the CPU class is generated as usual";

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => new GpuEmbeddingEmitter(context, layer);
}

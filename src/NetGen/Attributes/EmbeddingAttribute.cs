using System;

namespace NetGen;

/// <summary>
/// A lookup table over integer token ids (PyTorch's <c>nn.Embedding</c>): each id becomes the row
/// <c>weight[id]</c> of <c>{name}.weight [vocabulary, dimensions]</c>, initialised N(0, 1). It must come right
/// after <c>[Input(timeSteps)]</c>, which then takes <c>timeSteps</c> token ids per sample; the output is
/// the sequence <c>[timeSteps, dimensions]</c>. The generated network takes <see cref="ReadOnlySpan{T}"/> of
/// <see cref="int"/> inputs and implements <see cref="ITokenNetwork{T}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>A table of <paramref name="vocabulary"/> rows of <paramref name="dimensions"/> values.</summary>
    public EmbeddingAttribute(int vocabulary, int dimensions) { Vocabulary = vocabulary; Dimensions = dimensions; }
    /// <summary>The number of distinct token ids: valid ids are 0 to vocabulary − 1.</summary>
    public int Vocabulary { get; }
    /// <summary>The width of each token's vector.</summary>
    public int Dimensions { get; }
}

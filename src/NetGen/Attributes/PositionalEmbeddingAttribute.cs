using System;

namespace NetGen;

/// <summary>
/// A learned position table added to a sequence: y[t] = x[t] + weight[t], <c>{name}.weight [maxLength, features]</c>
/// ~ N(0, 0.02²) (GPT-2's <c>wpe</c>). <c>maxLength</c> must be at least the sequence's time steps.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PositionalEmbeddingAttribute : LayerAttribute
{
    /// <param name="maxLength">Rows of the table: the longest sequence it can label.</param>
    public PositionalEmbeddingAttribute(int maxLength) => MaxLength = maxLength;
    /// <summary>Rows of the table.</summary>
    public int MaxLength { get; }
}

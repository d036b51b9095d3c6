using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// Lookup table over integer token ids, PyTorch's <c>nn.Embedding</c>: weight [vocabulary, dimensions],
/// y[p] = weight[ids[p]] for every position p (ids of a batch of sequences laid out [batch, time]).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Embedding
{
    /// <summary>
    /// y[p, :] = weight[ids[p], :] for p in [0, count) (y: [count, dimensions]). Throws
    /// <see cref="ArgumentOutOfRangeException"/> naming the position and the id when an id is outside
    /// [0, vocabulary). Allocates nothing.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<int> ids, ReadOnlySpan<T> weight, Span<T> y, int count, int vocabulary, int dimensions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(ids.Length, weight.Length, y.Length, count, vocabulary, dimensions, nameof(weight), nameof(y));
        CheckIds(ids, count, vocabulary);
        // Gather: one row copy per position.
        for (int p = 0; p < count; p++) weight.Slice(ids[p] * dimensions, dimensions).CopyTo(y.Slice(p * dimensions, dimensions));
    }

    /// <summary>
    /// dWeight = Σ_p e_{ids[p]} ⊗ dy[p] (scatter-add: a repeated id accumulates every position's
    /// gradient), overwriting dWeight [vocabulary, dimensions]. Ids are checked as in <see cref="Forward"/>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<int> ids, ReadOnlySpan<T> dy, Span<T> dWeight, int count, int vocabulary, int dimensions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(ids.Length, dWeight.Length, dy.Length, count, vocabulary, dimensions, nameof(dWeight), nameof(dy));
        CheckIds(ids, count, vocabulary);
        dWeight.Slice(0, vocabulary * dimensions).Clear();
        // Scatter-add, positions in order (so the sum for each id is always formed in the same order).
        for (int p = 0; p < count; p++)
            RecurrentMath.AddInPlace(dWeight.Slice(ids[p] * dimensions, dimensions), dy.Slice(p * dimensions, dimensions));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first position whose id is outside [0, vocabulary).</summary>
    public static void CheckIds(ReadOnlySpan<int> ids, int count, int vocabulary)
    {
        for (int p = 0; p < count; p++)
        {
            int id = ids[p];
            if ((uint)id >= (uint)vocabulary)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} at position {p} is outside the vocabulary [0, {vocabulary}).");
        }
    }

    private static void CheckShapes(int ids, int table, int rows, int count, int vocabulary, int dimensions, string tableName, string rowsName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        RecurrentChecks.Length(ids, count, "ids");
        RecurrentChecks.Length(table, (long)vocabulary * dimensions, tableName);
        RecurrentChecks.Length(rows, (long)count * dimensions, rowsName);
    }
}

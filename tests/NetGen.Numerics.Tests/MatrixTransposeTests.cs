using System;
using System.Numerics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The shared transpose (8 × 8 register blocks for float on AVX, element by element at the edges and for double):
/// every element lands at its transposed place, with strides wider than the rows on both sides, on sizes that are
/// and are not multiples of 8, and nothing between the destination's rows is written.
/// </summary>
public class MatrixTransposeTests
{
    private static readonly int[] Sizes = [1, 3, 7, 8, 9, 16, 17, 33, 64];

    [Fact] public void FloatEveryShape() => EveryShape<float>();
    [Fact] public void DoubleEveryShape() => EveryShape<double>();

    private static unsafe void EveryShape<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int rows in Sizes)
            foreach (int columns in Sizes)
                foreach (int pad in new[] { 0, 5 })
                {
                    int sourceStride = columns + pad, destinationStride = rows + pad + 3;
                    var source = new T[rows * sourceStride];
                    for (int i = 0; i < source.Length; i++) source[i] = T.CreateTruncating(i + 1);
                    // The destination starts filled with a sentinel; the gaps between its rows must keep it.
                    T sentinel = T.CreateTruncating(-7);
                    var destination = new T[columns * destinationStride];
                    Array.Fill(destination, sentinel);
                    fixed (T* s = source, d = destination) MatrixTranspose.Transpose(s, sourceStride, d, destinationStride, rows, columns);
                    for (int c = 0; c < columns; c++)
                        for (int r = 0; r < destinationStride; r++)
                        {
                            T expected = r < rows ? source[r * sourceStride + c] : sentinel;
                            Assert.True(expected == destination[c * destinationStride + r],
                                $"{typeof(T).Name} {rows} × {columns} (pad {pad}): destination[{c}, {r}] = {destination[c * destinationStride + r]}, expected {expected}");
                        }
                }
    }
}

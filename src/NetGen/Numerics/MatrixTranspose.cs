using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// destination[c, r] = source[r, c] for strided row-major matrices: the one transpose the kernels share (Dense's
/// broadcast-form forward transposes W, attention transposes each head's keys and values, the recurrent products
/// their weights). Float matrices on AVX move whole 8 × 8 blocks through registers (unpack, shuffle, swap halves);
/// everything else, and the edges, element by element. It only moves values, so every path gives the same bits.
/// </summary>
internal static unsafe class MatrixTranspose
{
    /// <summary>
    /// destination[c·<paramref name="destinationStride"/> + r] = source[r·<paramref name="sourceStride"/> + c]
    /// for r &lt; <paramref name="rows"/>, c &lt; <paramref name="columns"/>.
    /// </summary>
    public static void Transpose<T>(T* source, nint sourceStride, T* destination, nint destinationStride, int rows, int columns) where T : unmanaged
    {
        int blockRows = 0, blockColumns = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            blockRows = rows & ~7;
            blockColumns = columns & ~7;
            for (int r = 0; r < blockRows; r += 8)
                for (int c = 0; c < blockColumns; c += 8)
                    Block8x8((float*)source + r * sourceStride + c, sourceStride, (float*)destination + c * destinationStride + r, destinationStride);
        }
        // The edges (all of it without AVX or for doubles): columns right of the blocks, then rows below them,
        // in 16 × 16 tiles so both sides stay in a few cache lines.
        Scalar(source, sourceStride, destination, destinationStride, 0, blockRows, blockColumns, columns);
        Scalar(source, sourceStride, destination, destinationStride, blockRows, rows, 0, columns);
    }

    private static void Scalar<T>(T* source, nint sourceStride, T* destination, nint destinationStride, int r0, int r1, int c0, int c1) where T : unmanaged
    {
        const int Tile = 16;
        for (int rt = r0; rt < r1; rt += Tile)
            for (int ct = c0; ct < c1; ct += Tile)
            {
                int rEnd = Math.Min(r1, rt + Tile), cEnd = Math.Min(c1, ct + Tile);
                for (int r = rt; r < rEnd; r++)
                    for (int c = ct; c < cEnd; c++)
                        destination[c * destinationStride + r] = source[r * sourceStride + c];
            }
    }

    /// <summary>One 8 × 8 block: rows a0..a7 in, columns out as rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x8(float* source, nint sourceStride, float* destination, nint destinationStride)
    {
        Vector256<float> a0 = Avx.LoadVector256(source), a1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> a2 = Avx.LoadVector256(source + 2 * sourceStride), a3 = Avx.LoadVector256(source + 3 * sourceStride);
        Vector256<float> a4 = Avx.LoadVector256(source + 4 * sourceStride), a5 = Avx.LoadVector256(source + 5 * sourceStride);
        Vector256<float> a6 = Avx.LoadVector256(source + 6 * sourceStride), a7 = Avx.LoadVector256(source + 7 * sourceStride);
        // Interleave pairs of rows: t0 = a0₀ a1₀ a0₁ a1₁ | a0₄ a1₄ a0₅ a1₅, ...
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        Vector256<float> t4 = Avx.UnpackLow(a4, a5), t5 = Avx.UnpackHigh(a4, a5), t6 = Avx.UnpackLow(a6, a7), t7 = Avx.UnpackHigh(a6, a7);
        // Pairs of pairs: s0 = a0₀ a1₀ a2₀ a3₀ | a0₄ a1₄ a2₄ a3₄, ... (0x44 takes elements 0,1 of each; 0xEE elements 2,3).
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Low halves of rows 0–3 with those of rows 4–7 give columns 0–3; high halves give columns 4–7.
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}

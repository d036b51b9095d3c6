using System;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>
/// The register-tiled head kernels (MultiHeadAttention.Tiles.cs) against the row sweeps they replace: the same
/// bits for probabilities, context, dq, dk and dv, for causal and full attention, sequence lengths that leave
/// partial 4-row and 3-row blocks and a partial pair of vectors of keys, several heads of one sample.
/// </summary>
public unsafe class AttentionTileTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int time in new[] { 1, 2, 3, 5, 7, 17, 20, 64 })
            foreach (int heads in new[] { 1, 2 })
            {
                data.Add(time, heads, true);
                data.Add(time, heads, false);
            }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void FloatTilesGiveTheRowSweepsBits(int time, int heads, bool causal) => TilesGiveTheRowSweepsBits<float>(time, heads, causal);

    [Theory, MemberData(nameof(Shapes))]
    public void DoubleTilesGiveTheRowSweepsBits(int time, int heads, bool causal) => TilesGiveTheRowSweepsBits<double>(time, heads, causal);

    private static void TilesGiveTheRowSweepsBits<T>(int time, int heads, bool causal) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int d = AttentionTiles.Chunk<T>(), width = heads * d, stride = 3 * width;
        Assert.True(AttentionTiles.Serve<T>(d), "the tiles serve a head of four vectors");
        T[] qkv = TestData.Random<T>(time * stride, 3, 2.0), dContext = TestData.Random<T>(time * width, 4);
        int scratch = MultiHeadAttention.HeadScratchSize(time, width, heads);
        T[] pRows = new T[heads * time * time], pTiles = new T[heads * time * time];
        T[] cRows = new T[time * width], cTiles = new T[time * width];
        T[] dRows = new T[time * stride], dTiles = TestData.Random<T>(time * stride, 5); // the tiles store: stale values must vanish
        T[] sRows = new T[scratch], sTiles = TestData.Random<T>(scratch, 6);
        fixed (T* q = qkv, dc = dContext, pr = pRows, pt = pTiles, cr = cRows, ct = cTiles, dr = dRows, dt = dTiles, sr = sRows, st = sTiles)
            for (int h = 0; h < heads; h++)
            {
                MultiHeadAttention.ForwardHeadRows(q, pr + h * time * time, cr, sr, time, width, d, h, causal);
                MultiHeadAttention.ForwardHeadTiles(q, pt + h * time * time, ct, st, time, width, d, h, causal);
                MultiHeadAttention.BackwardHeadRows(q, dr, pr + h * time * time, dc, sr, time, width, d, h, causal);
                MultiHeadAttention.BackwardHeadTiles(q, dt, pt + h * time * time, dc, st, time, width, d, h, causal);
            }
        TestData.BitEqual<T>(pTiles, pRows, "probabilities");
        TestData.BitEqual<T>(cTiles, cRows, "context");
        TestData.BitEqual<T>(dTiles, dRows, "dq | dk | dv");
        if (causal)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < time; t++)
                    for (int s = t + 1; s < time; s++)
                        Assert.True(pTiles[(h * time + t) * time + s] == T.Zero, $"masked P[{t}, {s}] is exactly 0");
    }
}

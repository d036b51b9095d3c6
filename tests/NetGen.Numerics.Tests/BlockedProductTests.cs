using System;
using System.Numerics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The backward products run long reductions in blocks (each chain continued from the value stored in
/// the output) and copy strided rows of dy into a contiguous buffer first; neither may change a bit.
/// Every output must equal one fused multiply-add chain from zero over the reduction, in order.
/// </summary>
public class BlockedProductTests
{
    [Theory]
    [InlineData(401, 19, 37)]   // 3 reduction blocks for dW, leftover rows and columns
    [InlineData(1000, 64, 128)] // many blocks, whole 3- and 4-vector panels
    [InlineData(193, 1, 3)]
    [InlineData(7, 300, 5)]
    public void BackwardWeights_equals_one_in_order_fma_chain(int batch, int inputs, int units)
    {
        Check<float>(batch, inputs, units);
        Check<double>(batch, inputs, units);
    }

    [Theory]
    [InlineData(13, 23, 300)]   // dx: a reduction over 300 units, two blocks
    [InlineData(32, 128, 512)]  // the LSTM's per-step ∂h product shape
    [InlineData(5, 7, 1000)]
    public void BackwardInput_equals_one_in_order_fma_chain(int batch, int inputs, int units)
    {
        CheckInput<float>(batch, inputs, units);
        CheckInput<double>(batch, inputs, units);
    }

    private static void Check<T>(int batch, int inputs, int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] dy = TestData.Random<T>(batch * units, 11), x = TestData.Random<T>(batch * inputs, 12);
        T[] dw = new T[units * inputs], db = new T[units], expected = new T[units * inputs];
        using (new ParallelismScope(1, minimumWork: 0)) Dense.BackwardWeights<T>(dy, x, dw, db, batch, inputs, units);
        // dW[u,i] = fma chain over b = 0..batch−1 of dy[b,u]·x[b,i], starting from zero.
        for (int u = 0; u < units; u++)
            for (int i = 0; i < inputs; i++)
            {
                T s = T.Zero;
                for (int b = 0; b < batch; b++) s = T.FusedMultiplyAdd(dy[b * units + u], x[b * inputs + i], s);
                expected[u * inputs + i] = s;
            }
        TestData.BitEqual<T>(expected, dw, $"dW of b={batch} i={inputs} u={units} ({typeof(T).Name})");
    }

    private static void CheckInput<T>(int batch, int inputs, int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] dy = TestData.Random<T>(batch * units, 13), w = TestData.Random<T>(units * inputs, 14);
        T[] dx = new T[batch * inputs], expected = new T[batch * inputs];
        using (new ParallelismScope(1, minimumWork: 0)) Dense.BackwardInput<T>(dy, w, dx, batch, inputs, units);
        // dx[b,i] = fma chain over u = 0..units−1 of dy[b,u]·W[u,i], starting from zero.
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < inputs; i++)
            {
                T s = T.Zero;
                for (int u = 0; u < units; u++) s = T.FusedMultiplyAdd(dy[b * units + u], w[u * inputs + i], s);
                expected[b * inputs + i] = s;
            }
        TestData.BitEqual<T>(expected, dx, $"dx of b={batch} i={inputs} u={units} ({typeof(T).Name})");
    }
}

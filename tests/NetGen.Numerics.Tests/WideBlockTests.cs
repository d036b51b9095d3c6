using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The 32-register blocks (6×4 dot and broadcast blocks, row copies to aligned scratch, used where
/// Vector512 is accelerated) must give the same bits as the 4×4 blocks that machines without AVX-512
/// run, on aligned and misaligned operands, on one thread and on several. With
/// <see cref="Dense.WideBlocks"/> off the same process runs the fallback path, so both are exercised
/// here whatever the machine (without AVX-512 both runs take the fallback and the test still holds).
/// </summary>
public class WideBlockTests
{
    [Theory]
    [InlineData(64, 784, 128, 0)]  // the MNIST MLP's first layer
    [InlineData(64, 784, 128, 1)]  // the same, every operand one element off the array start
    [InlineData(67, 785, 130, 3)]  // leftover rows, units, columns and a scalar tail
    [InlineData(300, 100, 37, 1)]  // dW in three reduction blocks (each continued from C)
    [InlineData(13, 40, 7, 2)]
    [InlineData(7, 64, 64, 1)]     // one 6-row group and one leftover row
    [InlineData(5, 120, 84, 0)]    // fewer rows than a wide block
    public void Wide_blocks_give_the_bits_of_the_4x4_blocks(int batch, int inputs, int units, int offset)
    {
        Check<float>(batch, inputs, units, offset);
        Check<double>(batch, inputs, units, offset);
    }

    [Fact]
    public void The_wide_path_runs_where_Vector512_is_accelerated()
    {
        // A guard for the test above: on an AVX-512 machine it compares two different paths.
        Assert.True(Dense.WideBlocks);
        if (Vector512.IsHardwareAccelerated) Assert.True(Dense.UsesWideBlocksForFloat);
        else Assert.False(Dense.UsesWideBlocksForFloat);
    }

    private static void Check<T>(int batch, int inputs, int units, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = TestData.Random<T>(batch * inputs + offset, 21), w = TestData.Random<T>(units * inputs + offset, 22);
        T[] bias = TestData.Random<T>(units, 23), dy = TestData.Random<T>(batch * units + offset, 24);
        var xs = x.AsSpan(offset); var ws = w.AsSpan(offset); var dys = dy.AsSpan(offset);
        foreach (int threads in new[] { 1, 2 })
        {
            T[] z0 = new T[batch * units], y0 = new T[batch * units], dw0 = new T[units * inputs], db0 = new T[units], dx0 = new T[batch * inputs];
            T[] z1 = new T[batch * units], y1 = new T[batch * units], dw1 = new T[units * inputs], db1 = new T[units], dx1 = new T[batch * inputs];
            try
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                Dense.WideBlocks = false;
                Dense.Forward(default(ReLUOperator<T>), xs, ws, bias, z0, y0, batch, inputs, units);
                Dense.BackwardWeights<T>(dys, xs, dw0, db0, batch, inputs, units);
                Dense.BackwardInput<T>(dys, ws, dx0, batch, inputs, units);
                Dense.WideBlocks = true;
                Dense.Forward(default(ReLUOperator<T>), xs, ws, bias, z1, y1, batch, inputs, units);
                Dense.BackwardWeights<T>(dys, xs, dw1, db1, batch, inputs, units);
                Dense.BackwardInput<T>(dys, ws, dx1, batch, inputs, units);
            }
            finally { Dense.WideBlocks = true; }
            string what = $"b={batch} i={inputs} u={units} offset {offset}, {threads} thread(s) ({typeof(T).Name})";
            TestData.BitEqual<T>(z0, z1, "z of " + what);
            TestData.BitEqual<T>(y0, y1, "y of " + what);
            TestData.BitEqual<T>(dw0, dw1, "dW of " + what);
            TestData.BitEqual<T>(db0, db1, "db of " + what);
            TestData.BitEqual<T>(dx0, dx1, "dx of " + what);
        }
    }
}

using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// Tall forward products with short reductions run in broadcast form on the transposed weights
/// (Dense.TransposedForward.cs): every output is one fused multiply-add chain over the inputs in order, from zero,
/// then + bias, then the activation — checked bit for bit against that chain written out in scalar code, on one
/// thread and on two, for float and double, with odd input counts and misaligned operands.
/// </summary>
public class TransposedForwardTests
{
    [Theory]
    [InlineData(256, 128, 384, 0)] // a Transformer's in_proj at 4 × 64 rows
    [InlineData(768, 128, 512, 1)] // linear1 of the GPT row, every operand one element off
    [InlineData(300, 512, 128, 0)] // linear2: the longest reduction that takes the path
    [InlineData(257, 1, 16, 3)]    // one input, one vector of units, a leftover row
    [InlineData(263, 3, 32, 1)]
    [InlineData(256, 17, 48, 2)]   // an odd reduction, three vectors of units
    public void Each_output_is_one_fma_chain_over_the_inputs(int batch, int inputs, int units, int offset)
    {
        Check<float>(batch, inputs, units, offset);
        Check<double>(batch, inputs, units, offset);
    }

    [Theory]
    [InlineData(255, 128, 384)] // one row short of the path
    [InlineData(768, 128, 65)]  // units not whole vectors (the GPT's head)
    [InlineData(768, 513, 128)] // a reduction past the longest measured
    public void Shapes_outside_the_path_keep_the_dot_form(int batch, int inputs, int units)
    {
        Assert.False(Dense.UseTransposedForward<float>(batch, inputs, units));
        float[] x = TestData.Random<float>(batch * inputs, 31), w = TestData.Random<float>(units * inputs, 32), bias = TestData.Random<float>(units, 33);
        float[] on = new float[batch * units], off = new float[batch * units];
        Dense.Forward<float>(x, w, bias, on, batch, inputs, units);
        bool setting = Dense.TransposedForward;
        try
        {
            Dense.TransposedForward = false;
            Dense.Forward<float>(x, w, bias, off, batch, inputs, units);
        }
        finally { Dense.TransposedForward = setting; }
        TestData.BitEqual<float>(on, off, $"b={batch} i={inputs} u={units}");
    }

    [Fact]
    public void The_path_runs_where_Vector512_is_accelerated()
    {
        // A guard for the chain test: on an AVX-512 machine its shapes take the broadcast form.
        Assert.True(Dense.TransposedForward);
        Assert.Equal(Vector512.IsHardwareAccelerated, Dense.UseTransposedForward<float>(256, 128, 384));
        Assert.Equal(Vector512.IsHardwareAccelerated, Dense.UseTransposedForward<double>(768, 128, 512));
    }

    private static void Check<T>(int batch, int inputs, int units, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = TestData.Random<T>(batch * inputs + offset, 21), w = TestData.Random<T>(units * inputs + offset, 22);
        T[] bias = TestData.Random<T>(units + offset, 23);
        var xs = x.AsSpan(offset); var ws = w.AsSpan(offset); var bs = bias.AsSpan(offset);
        // The chain: z[b, u] = fma(x[b, k−1], W[u, k−1], … fma(x[b, 0], W[u, 0], 0)) + bias[u].
        T[] expected = new T[batch * units];
        for (int b = 0; b < batch; b++)
            for (int u = 0; u < units; u++)
            {
                T sum = T.Zero;
                for (int i = 0; i < inputs; i++) sum = T.FusedMultiplyAdd(xs[b * inputs + i], ws[u * inputs + i], sum);
                expected[b * units + u] = sum + bs[u];
            }
        var relu = default(ReLUOperator<T>);
        T[] expectedRelu = Array.ConvertAll(expected, relu.Invoke);
        foreach (int threads in new[] { 1, 2 })
        {
            using var scope = new ParallelismScope(threads, minimumWork: 0);
            string what = $"b={batch} i={inputs} u={units} offset {offset}, {threads} thread(s) ({typeof(T).Name})";
            // In place (y is z), as Dense.Forward<T> calls it.
            T[] y = new T[batch * units];
            Dense.Forward<T>(xs, ws, bs, y, batch, inputs, units);
            TestData.BitEqual<T>(y, expected, "y = z of " + what);
            // Linear with z and y apart: both hold z.
            T[] z1 = new T[batch * units], y1 = new T[batch * units];
            Dense.Forward(default(LinearOperator<T>), xs, ws, bs, z1, y1, batch, inputs, units);
            TestData.BitEqual<T>(z1, expected, "z (linear) of " + what);
            TestData.BitEqual<T>(y1, expected, "y (linear) of " + what);
            // An activation: z kept, y = f(z).
            T[] z2 = new T[batch * units], y2 = new T[batch * units];
            Dense.Forward(relu, xs, ws, bs, z2, y2, batch, inputs, units);
            TestData.BitEqual<T>(z2, expected, "z (ReLU) of " + what);
            TestData.BitEqual<T>(y2, expectedRelu, "y (ReLU) of " + what);
        }
    }
}

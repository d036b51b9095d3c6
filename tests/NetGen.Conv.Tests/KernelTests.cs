using System;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>The runtime kernels on their own, over shapes that exercise every vector width and remainder.</summary>
public class KernelTests
{
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        // channels, height, width, filters, kernel, stride, padding
        { 1, 5, 7, 1, 3, 1, 0 },
        { 3, 5, 7, 2, 3, 2, 1 },
        { 2, 9, 11, 5, 3, 1, 1 },
        { 1, 28, 28, 6, 5, 1, 2 },
        { 6, 14, 14, 16, 5, 1, 0 },
        { 4, 8, 13, 7, 2, 3, 2 },
        { 3, 6, 6, 9, 1, 1, 0 },
        { 2, 4, 4, 3, 4, 1, 3 },
        // Whole vectors of filters and no padding: the forward pass reads the input in place, and so
        // does the weight gradient where the scratch has room (the last three).
        { 2, 9, 8, 16, 3, 2, 0 },
        { 3, 7, 9, 32, 2, 1, 0 },
        { 4, 12, 12, 16, 3, 1, 0 },
        { 6, 12, 12, 32, 3, 1, 0 },
        { 8, 15, 15, 16, 3, 2, 0 },
        // Stride 1, output rows of one to two vectors, few filters: the forward pass works along rows
        // of a padded copy (float: the first; double: the second).
        { 2, 20, 19, 8, 3, 1, 1 },
        { 3, 12, 12, 7, 3, 1, 0 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Forward_matches_the_reference_in_double_and_float(int c, int h, int w, int f, int k, int s, int p)
    {
        var shape = new Conv2DShape(c, h, w, f, k, s, p);
        const int batch = 3;
        double[] x = Reference.Random(batch * shape.InputSize, 1), weight = Reference.Random(f * c * k * k, 2), bias = Reference.Random(f, 3);
        double[] expected = Reference.Conv2D(x, weight, bias, batch, c, h, w, f, k, s, p);
        Assert.Equal(expected.Length, batch * shape.OutputSize);

        var z = new double[expected.Length];
        Convolution.Forward<double>(x, weight, bias, z, new double[shape.ColumnsSize], batch, shape);
        for (int i = 0; i < z.Length; i++) Assert.Equal(expected[i], z[i], 1e-12);

        var zf = new float[expected.Length];
        Convolution.Forward<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(weight, v => (float)v), Array.ConvertAll(bias, v => (float)v),
            zf, new float[shape.ColumnsSize], batch, shape);
        for (int i = 0; i < zf.Length; i++) Assert.Equal(expected[i], zf[i], 1e-4);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Backward_is_the_adjoint_of_forward(int c, int h, int w, int f, int k, int s, int p)
    {
        // For a linear map z = A(x, W): ⟨dz, A(x, W)⟩ = ⟨dW, W⟩ + ⟨db, b⟩ = ⟨dx, x⟩ (with b = 0 for the last).
        var shape = new Conv2DShape(c, h, w, f, k, s, p);
        const int batch = 2;
        double[] x = Reference.Random(batch * shape.InputSize, 4), weight = Reference.Random(f * c * k * k, 5), bias = Reference.Random(f, 6);
        double[] dz = Reference.Random(batch * shape.OutputSize, 7);
        var columns = new double[shape.ColumnsSize];
        var z = new double[dz.Length];
        Convolution.Forward<double>(x, weight, bias, z, columns, batch, shape);
        var dw = new double[weight.Length];
        var db = new double[f];
        var dx = new double[x.Length];
        Convolution.BackwardWeights<double>(x, dz, dw, db, columns, batch, shape);
        Convolution.BackwardInput<double>(dz, weight, dx, columns, batch, shape);
        double lhs = Dot(dz, z);
        Assert.Equal(lhs, Dot(dw, weight) + Dot(db, bias), 1e-9);
        Convolution.Forward<double>(x, weight, new double[f], z, columns, batch, shape);
        Assert.Equal(Dot(dz, z), Dot(dx, x), 1e-9);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Fold_is_the_adjoint_of_Unroll(int c, int h, int w, int f, int k, int s, int p)
    {
        var shape = new Conv2DShape(c, h, w, f, k, s, p);
        double[] x = Reference.Random(shape.InputSize, 8), cols = Reference.Random(shape.ColumnsSize, 9);
        var unrolled = new double[shape.ColumnsSize];
        var folded = new double[shape.InputSize];
        Convolution.Unroll<double>(x, unrolled, shape);
        Convolution.Fold<double>(cols, folded, shape);
        Assert.Equal(Dot(unrolled, cols), Dot(x, folded), 1e-10);
    }

    [Theory]
    [InlineData(6, 14, 14, 16, 5, 1, 0)]
    [InlineData(1, 28, 28, 6, 5, 1, 2)]
    [InlineData(3, 17, 13, 5, 3, 2, 1)]
    [InlineData(2, 19, 18, 32, 3, 2, 0)]
    [InlineData(8, 15, 15, 16, 3, 2, 0)]
    [InlineData(2, 20, 19, 8, 3, 1, 1)]
    public void Results_are_bit_identical_with_one_thread_or_several(int c, int h, int w, int f, int k, int s, int p)
    {
        var shape = new Conv2DShape(c, h, w, f, k, s, p);
        const int batch = 16; // enough work to be split across threads
        float[] x = Array.ConvertAll(Reference.Random(batch * shape.InputSize, 10), v => (float)v);
        float[] weight = Array.ConvertAll(Reference.Random(f * c * k * k, 11), v => (float)v);
        float[] bias = Array.ConvertAll(Reference.Random(f, 12), v => (float)v);
        float[] dz = Array.ConvertAll(Reference.Random(batch * shape.OutputSize, 13), v => (float)v);
        (float[] Z, float[] DW, float[] DB, float[] DX) Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var columns = new float[shape.ColumnsSize];
                var z = new float[batch * shape.OutputSize];
                var dw = new float[weight.Length];
                var db = new float[f];
                var dx = new float[x.Length];
                Convolution.Forward<float>(x, weight, bias, z, columns, batch, shape);
                Convolution.BackwardWeights<float>(x, dz, dw, db, columns, batch, shape);
                Convolution.BackwardInput<float>(dz, weight, dx, columns, batch, shape);
                return (z, dw, db, dx);
            }
            finally { Parallelism.MaxThreads = saved; }
        }
        var one = Run(1);
        var many = Run(Math.Max(2, Environment.ProcessorCount));
        Assert.Equal(one.Z, many.Z);
        Assert.Equal(one.DW, many.DW);
        Assert.Equal(one.DB, many.DB);
        Assert.Equal(one.DX, many.DX);
    }

    [Fact]
    public void MaxPool_routes_the_gradient_to_the_first_maximum()
    {
        var shape = new Pool2DShape(1, 2, 4, 2, 2);
        double[] x = { 1, 5, 2, 2, 5, 0, 2, 1 };
        var y = new double[2];
        var argmax = new int[2];
        Pooling.MaxForward<double>(x, y, argmax, 1, shape);
        Assert.Equal(new double[] { 5, 2 }, y);
        Assert.Equal(new[] { 1, 2 }, argmax);
        var dx = new double[8];
        Pooling.MaxBackward<double>(new double[] { 3, 4 }, argmax, dx, 1, shape);
        Assert.Equal(new double[] { 0, 3, 4, 0, 0, 0, 0, 0 }, dx);
    }

    [Fact]
    public void MaxPool_lets_a_NaN_win_as_PyTorch_does()
    {
        var shape = new Pool2DShape(1, 2, 2, 2, 2);
        var y = new float[1];
        var argmax = new int[1];
        Pooling.MaxForward<float>(new[] { 1f, float.NaN, 3f, 2f }, y, argmax, 1, shape);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1, argmax[0]);
    }

    [Theory]
    [InlineData(6, 28, 28)] // the 2×2 fast paths, forward and backward
    [InlineData(16, 10, 10)]
    [InlineData(3, 9, 11)]  // odd sizes: the general backward
    [InlineData(1, 2, 2)]   // fewer than four windows a row: the general loops
    public void MaxPool_2x2_matches_the_rule_with_ties_NaNs_and_signed_zeros(int c, int h, int w)
    {
        var shape = new Pool2DShape(c, h, w, 2, 2);
        const int batch = 3;
        var rng = new Random(7);
        var x = new float[batch * shape.InputSize];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.Next(10) switch { 0 => float.NaN, 1 => 0f, 2 => -0f, int v => v % 3 };
        var y = new float[batch * shape.OutputSize];
        var argmax = new int[y.Length];
        Pooling.MaxForward<float>(x, y, argmax, batch, shape);
        var dy = new float[y.Length];
        for (int i = 0; i < dy.Length; i++) dy[i] = rng.Next(5) == 0 ? -0f : (float)rng.NextDouble() - 0.5f;
        var dx = new float[x.Length];
        Array.Fill(dx, 99f);
        Pooling.MaxBackward<float>(dy, argmax, dx, batch, shape);

        var expectedDx = new float[x.Length];
        int o = 0;
        for (int b = 0; b < batch; b++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < shape.OutHeight; oy++)
                    for (int ox = 0; ox < shape.OutWidth; ox++, o++)
                    {
                        int corner = ch * h * w + 2 * oy * w + 2 * ox, best = corner;
                        float max = x[b * shape.InputSize + corner];
                        foreach (int d in new[] { 1, w, w + 1 })
                        {
                            float v = x[b * shape.InputSize + corner + d];
                            if (v > max || float.IsNaN(v)) best = corner + d;
                            max = MathF.Max(max, v);
                        }
                        Assert.Equal(best, argmax[o]);
                        Assert.Equal(BitConverter.SingleToInt32Bits(max), BitConverter.SingleToInt32Bits(y[o]));
                        expectedDx[b * shape.InputSize + best] += dy[o];
                    }
        for (int i = 0; i < dx.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(expectedDx[i]), BitConverter.SingleToInt32Bits(dx[i]));
    }

    [Fact]
    public void Kernels_reject_short_buffers()
    {
        var shape = new Conv2DShape(1, 5, 5, 2, 3, 1, 0);
        Assert.Throws<ArgumentException>(() => Convolution.Forward<double>(new double[25], new double[18], new double[2], new double[18], new double[shape.ColumnsSize - 1], 1, shape));
        Assert.Throws<ArgumentException>(() => Convolution.Forward<double>(new double[24], new double[18], new double[2], new double[18], new double[shape.ColumnsSize], 1, shape));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2DShape(1, 2, 2, 1, 5, 1, 0));
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}

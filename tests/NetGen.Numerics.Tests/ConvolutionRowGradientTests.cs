using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The row-wise convolution weight gradient (Convolution.RowGradient.cs, 512-bit machines) against a
/// double-precision reference and against the im2col path that runs without AVX-512
/// (<see cref="Convolution.RowWeightGradients"/> off), and bit-identical on one thread or two.
/// </summary>
public class ConvolutionRowGradientTests
{
    [Theory]
    [InlineData(1, 28, 28, 6, 5, 2, 5)]   // LeNet-5's conv1
    [InlineData(2, 20, 19, 8, 3, 1, 4)]   // a short filter group (8 = 6 + 2), odd kernel, two channels
    [InlineData(3, 17, 24, 5, 4, 1, 3)]   // even kernel (whole column pairs), 23-wide rows
    [InlineData(1, 16, 16, 6, 1, 0, 2)]   // 1×1 kernel, rows of exactly one vector
    public void Matches_the_reference_and_the_im2col_path(int c, int h, int w, int f, int k, int p, int batch)
    {
        var shape = new Conv2DShape(c, h, w, f, k, 1, p);
        double[] xd = Random(batch * shape.InputSize, 1), dzd = Random(batch * shape.OutputSize, 2);
        float[] x = Array.ConvertAll(xd, v => (float)v), dz = Array.ConvertAll(dzd, v => (float)v);
        // dW[f, c, ky, kx] = Σ_b Σ_oy Σ_ox dz[b, f, oy, ox]·x[b, c, oy + ky − p, ox + kx − p] in double, from the float inputs.
        var expected = new double[f * shape.PatchSize];
        for (int b = 0; b < batch; b++)
            for (int fi = 0; fi < f; fi++)
                for (int ci = 0; ci < c; ci++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                            for (int oy = 0; oy < shape.OutHeight; oy++)
                                for (int ox = 0; ox < shape.OutWidth; ox++)
                                {
                                    int y = oy + ky - p, xx = ox + kx - p;
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                    expected[((fi * c + ci) * k + ky) * k + kx] += (double)dz[((b * f + fi) * shape.OutHeight + oy) * shape.OutWidth + ox] * x[((b * c + ci) * h + y) * w + xx];
                                }
        float[] rowOne = Run(x, dz, batch, shape, rows: true, threads: 1);
        float[] rowTwo = Run(x, dz, batch, shape, rows: true, threads: 2);
        float[] im2col = Run(x, dz, batch, shape, rows: false, threads: 1);
        TestData.BitEqual<float>(rowOne, rowTwo, $"dW on one thread and two, {shape.Channels}x{h}x{w} f{f} k{k}");
        int terms = batch * shape.Positions;
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-6 * Math.Sqrt(terms) * 4 + 1e-6 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(rowOne[i] - expected[i]) <= tolerance, $"row path dW[{i}] = {rowOne[i]}, reference {expected[i]}");
            Assert.True(Math.Abs(im2col[i] - expected[i]) <= tolerance, $"im2col path dW[{i}] = {im2col[i]}, reference {expected[i]}");
        }
    }

    [Fact]
    public void The_row_path_is_on_by_default()
    {
        Assert.True(Convolution.RowWeightGradients);
        _ = Vector512.IsHardwareAccelerated; // on machines without AVX-512 both runs above take the im2col path
    }

    private static float[] Run(float[] x, float[] dz, int batch, Conv2DShape shape, bool rows, int threads)
    {
        var dw = new float[shape.Filters * shape.PatchSize];
        var db = new float[shape.Filters];
        try
        {
            using var scope = new ParallelismScope(threads, minimumWork: 0);
            Convolution.RowWeightGradients = rows;
            Convolution.BackwardWeights<float>(x, dz, dw, db, new float[shape.ColumnsSize], batch, shape);
        }
        finally { Convolution.RowWeightGradients = true; }
        return dw;
    }

    private static double[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = 2 * rng.NextDouble() - 1;
        return a;
    }
}

using System;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The position-lane convolution forward (Convolution.FlatForward.cs, 512-bit machines) computes every
/// output by the direct and im2col paths' sequence (one FMA chain from the bias over (c, ky, kx)), so
/// with <see cref="Convolution.FlatForward"/> off (what machines without AVX-512 run) the bits must be
/// the same, on one thread or two.
/// </summary>
public class ConvolutionFlatForwardTests
{
    [Theory]
    [InlineData(6, 14, 14, 16, 5, 5)]  // LeNet-5's conv2 (the direct path without it)
    [InlineData(3, 12, 13, 10, 3, 3)]  // a short filter group (10 = 8 + 2), the im2col path without it
    [InlineData(2, 9, 20, 8, 4, 2)]    // even kernel, 117 wide positions: a pulled-back last vector
    [InlineData(1, 8, 8, 9, 1, 1)]     // 1×1 kernel
    public void Gives_the_bits_of_the_other_paths(int c, int h, int w, int f, int k, int batch)
    {
        var shape = new Conv2DShape(c, h, w, f, k, 1, 0);
        float[] x = TestData.Random<float>(batch * shape.InputSize, 31), weight = TestData.Random<float>(f * shape.PatchSize, 32);
        float[] bias = TestData.Random<float>(f, 33);
        float[] reference = Run(false, 1), one = Run(true, 1), two = Run(true, 2);
        TestData.BitEqual<float>(reference, one, $"z of {c}x{h}x{w} f{f} k{k}, one thread");
        TestData.BitEqual<float>(reference, two, $"z of {c}x{h}x{w} f{f} k{k}, two threads");

        float[] Run(bool flat, int threads)
        {
            var z = new float[batch * shape.OutputSize];
            try
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                Convolution.FlatForward = flat;
                Convolution.Forward<float>(x, weight, bias, z, new float[shape.ColumnsSize], batch, shape);
            }
            finally { Convolution.FlatForward = true; }
            return z;
        }
    }
}

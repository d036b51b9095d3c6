using System;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// ConvTranspose2D against a direct scalar scatter written here (forward) and its two gathers
/// (input and weight gradients), against central differences in double, float against the
/// references on shapes that take the vectorised and threaded paths, and without allocation.
/// </summary>
public class ConvTranspose2DTests
{
    private const double Step = 1e-6;

    /// <summary>3 channels, 5×7 images, 3 filters, kernel 3: every stride, padding and output padding combination asked for.</summary>
    public static TheoryData<int, int, int> Geometries => new()
    {
        { 1, 0, 0 }, { 1, 1, 0 }, { 2, 0, 0 }, { 2, 1, 0 }, { 2, 0, 1 }, { 2, 1, 1 },
    };

    /// <summary>
    /// y[b, f, iy·s − p + ky, ix·s − p + kx] += x[b, c, iy, ix]·W[c, f, ky, kx] for every input value and
    /// kernel tap landing inside the output, after y = bias.
    /// </summary>
    private static double[] ScatterReference(double[] x, double[] w, double[] bias, int batch, in ConvTranspose2DShape s)
    {
        var y = new double[batch * s.OutputSize];
        int k = s.KernelSize;
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < s.Filters; f++)
                for (int o = 0; o < s.OutHeight * s.OutWidth; o++) y[(b * s.Filters + f) * s.OutHeight * s.OutWidth + o] = bias[f];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < s.Channels; c++)
                for (int iy = 0; iy < s.Height; iy++)
                    for (int ix = 0; ix < s.Width; ix++)
                    {
                        double v = x[((b * s.Channels + c) * s.Height + iy) * s.Width + ix];
                        for (int f = 0; f < s.Filters; f++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int oy = iy * s.Stride - s.Padding + ky, ox = ix * s.Stride - s.Padding + kx;
                                    if (oy < 0 || oy >= s.OutHeight || ox < 0 || ox >= s.OutWidth) continue;
                                    y[((b * s.Filters + f) * s.OutHeight + oy) * s.OutWidth + ox] += v * w[((c * s.Filters + f) * k + ky) * k + kx];
                                }
                    }
        return y;
    }

    /// <summary>The adjoints of the scatter: dx[b, c, iy, ix] = Σ W·dy and dW[c, f, ky, kx] = Σ x·dy over the same (input, tap, output) triples; db[f] = Σ dy.</summary>
    private static (double[] Dx, double[] Dw, double[] Db) GatherReference(double[] x, double[] w, double[] dy, int batch, in ConvTranspose2DShape s)
    {
        var dx = new double[batch * s.InputSize];
        var dw = new double[s.WeightSize];
        var db = new double[s.Filters];
        int k = s.KernelSize, plane = s.OutHeight * s.OutWidth;
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < s.Filters; f++)
                for (int o = 0; o < plane; o++) db[f] += dy[(b * s.Filters + f) * plane + o];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < s.Channels; c++)
                for (int iy = 0; iy < s.Height; iy++)
                    for (int ix = 0; ix < s.Width; ix++)
                    {
                        int xi = ((b * s.Channels + c) * s.Height + iy) * s.Width + ix;
                        for (int f = 0; f < s.Filters; f++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int oy = iy * s.Stride - s.Padding + ky, ox = ix * s.Stride - s.Padding + kx;
                                    if (oy < 0 || oy >= s.OutHeight || ox < 0 || ox >= s.OutWidth) continue;
                                    double g = dy[((b * s.Filters + f) * s.OutHeight + oy) * s.OutWidth + ox];
                                    int wi = ((c * s.Filters + f) * k + ky) * k + kx;
                                    dx[xi] += w[wi] * g;
                                    dw[wi] += x[xi] * g;
                                }
                    }
        return (dx, dw, db);
    }

    [Fact]
    public void Output_size_is_pytorchs()
    {
        // (n − 1)·s − 2p + k + output_padding, as nn.ConvTranspose2d.
        var s = new ConvTranspose2DShape(3, 5, 7, 2, 3, 2, 1, 1);
        Assert.Equal((5 - 1) * 2 - 2 + 3 + 1, s.OutHeight);
        Assert.Equal((7 - 1) * 2 - 2 + 3 + 1, s.OutWidth);
        var dcgan = new ConvTranspose2DShape(128, 7, 7, 64, 4, 2, 1, 0);
        Assert.Equal(14, dcgan.OutHeight);
        Assert.Equal(64 * 4 * 4 * 7 * 7 + 128, dcgan.ScratchSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2DShape(3, 5, 7, 2, 3, 2, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2DShape(3, 1, 1, 2, 1, 1, 1, 0));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_the_scalar_scatter(int stride, int padding, int outputPadding)
    {
        var s = new ConvTranspose2DShape(3, 5, 7, 3, 3, stride, padding, outputPadding);
        const int batch = 3;
        double[] x = Reference.Random(batch * s.InputSize, 1), w = Reference.Random(s.WeightSize, 2), bias = Reference.Random(s.Filters, 3);
        var y = new double[batch * s.OutputSize];
        ConvTranspose2D.Forward<double>(x, w, bias, y, new double[s.ScratchSize], batch, s);
        double[] expected = ScatterReference(x, w, bias, batch, s);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gradients_match_finite_differences_and_the_gathers(int stride, int padding, int outputPadding)
    {
        var s = new ConvTranspose2DShape(3, 5, 7, 3, 3, stride, padding, outputPadding);
        const int batch = 3;
        double[] x = Reference.Random(batch * s.InputSize, 4), w = Reference.Random(s.WeightSize, 5), bias = Reference.Random(s.Filters, 6);
        double[] g = Reference.Random(batch * s.OutputSize, 7);
        var scratch = new double[s.ScratchSize];
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[bias.Length];
        // Garbage in the outputs and scratch: every pass must overwrite, not add.
        Array.Fill(dx, 9.0);
        Array.Fill(dw, 9.0);
        Array.Fill(db, 9.0);
        Array.Fill(scratch, 7.0);
        ConvTranspose2D.BackwardInput<double>(g, w, dx, scratch, batch, s);
        ConvTranspose2D.BackwardWeights<double>(x, g, dw, db, scratch, batch, s);

        double Loss()
        {
            // L = Σ g·y
            var y = new double[batch * s.OutputSize];
            ConvTranspose2D.Forward<double>(x, w, bias, y, scratch, batch, s);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += g[i] * y[i];
            return sum;
        }
        double Numeric(double[] tensor, int i)
        {
            double saved = tensor[i];
            tensor[i] = saved + Step;
            double plus = Loss();
            tensor[i] = saved - Step;
            double minus = Loss();
            tensor[i] = saved;
            return (plus - minus) / (2 * Step);
        }
        for (int i = 0; i < x.Length; i++) BatchNormTests.Close(dx[i], Numeric(x, i), $"dx[{i}]");
        for (int i = 0; i < w.Length; i++) BatchNormTests.Close(dw[i], Numeric(w, i), $"dW[{i}]");
        for (int i = 0; i < bias.Length; i++) BatchNormTests.Close(db[i], Numeric(bias, i), $"db[{i}]");

        (double[] rdx, double[] rdw, double[] rdb) = GatherReference(x, w, g, batch, s);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(rdx[i], dx[i], 1e-12);
        for (int i = 0; i < dw.Length; i++) Assert.Equal(rdw[i], dw[i], 1e-12);
        for (int i = 0; i < db.Length; i++) Assert.Equal(rdb[i], db[i], 1e-12);
    }

    /// <summary>DCGAN-sized layers in float: the im2col/col2im products, the direct (unpadded, whole vectors of channels) paths, several threads.</summary>
    [Theory]
    [InlineData(32, 7, 7, 16, 4, 2, 1, 0)]
    [InlineData(32, 6, 5, 16, 3, 1, 0, 0)]
    [InlineData(16, 7, 7, 1, 4, 2, 1, 0)]
    [InlineData(17, 5, 7, 3, 5, 2, 2, 1)]
    public void Float_matches_the_references_on_larger_layers(int channels, int height, int width, int filters, int k, int stride, int padding, int outputPadding)
    {
        var s = new ConvTranspose2DShape(channels, height, width, filters, k, stride, padding, outputPadding);
        const int batch = 5;
        double[] x = Reference.Random(batch * s.InputSize, 8), w = Reference.Random(s.WeightSize, 9, 0.2), bias = Reference.Random(s.Filters, 10);
        double[] g = Reference.Random(batch * s.OutputSize, 11);
        double[] expected = ScatterReference(x, w, bias, batch, s);
        (double[] rdx, double[] rdw, double[] rdb) = GatherReference(x, w, g, batch, s);

        float[] xf = BatchNormTests.ToFloat(x), wf = BatchNormTests.ToFloat(w), bf = BatchNormTests.ToFloat(bias), gf = BatchNormTests.ToFloat(g);
        var scratch = new float[s.ScratchSize];
        var y = new float[expected.Length];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[bias.Length];
        ConvTranspose2D.Forward<float>(xf, wf, bf, y, scratch, batch, s);
        ConvTranspose2D.BackwardInput<float>(gf, wf, dx, scratch, batch, s);
        ConvTranspose2D.BackwardWeights<float>(xf, gf, dw, db, scratch, batch, s);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-4);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(rdx[i], dx[i], 1e-4);
        for (int i = 0; i < dw.Length; i++) Assert.Equal(rdw[i], dw[i], 1e-3);
        for (int i = 0; i < db.Length; i++) Assert.Equal(rdb[i], db[i], 1e-3);
    }

    [Fact]
    public void Short_spans_are_named()
    {
        var s = new ConvTranspose2DShape(3, 5, 7, 2, 3, 2, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => ConvTranspose2D.Forward<double>(new double[2 * s.InputSize], new double[s.WeightSize], new double[2],
            new double[2 * s.OutputSize], new double[s.ScratchSize - 1], 2, s));
        Assert.Equal("scratch", e.ParamName);
        Assert.Contains(s.ScratchSize.ToString(), e.Message);
        e = Assert.Throws<ArgumentException>(() => ConvTranspose2D.BackwardInput<double>(new double[2 * s.OutputSize - 1], new double[s.WeightSize],
            new double[2 * s.InputSize], new double[s.ScratchSize], 2, s));
        Assert.Equal("dy", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ConvTranspose2D.BackwardWeights<double>(new double[2 * s.InputSize], new double[2 * s.OutputSize],
            new double[s.WeightSize], new double[1], new double[s.ScratchSize], 2, s));
        Assert.Equal("biasGradient", e.ParamName);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Allocates_nothing()
    {
        // The DCGAN generator's first transposed convolution, batch 16: large enough to use the workers.
        var s = new ConvTranspose2DShape(64, 7, 7, 32, 4, 2, 1, 0);
        const int batch = 16;
        float[] x = BatchNormTests.ToFloat(Reference.Random(batch * s.InputSize, 12)), w = BatchNormTests.ToFloat(Reference.Random(s.WeightSize, 13));
        var bias = new float[s.Filters];
        var y = new float[batch * s.OutputSize];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[bias.Length];
        var scratch = new float[s.ScratchSize];
        void Run()
        {
            ConvTranspose2D.Forward<float>(x, w, bias, y, scratch, batch, s);
            ConvTranspose2D.BackwardInput<float>(y, w, dx, scratch, batch, s);
            ConvTranspose2D.BackwardWeights<float>(x, y, dw, db, scratch, batch, s);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

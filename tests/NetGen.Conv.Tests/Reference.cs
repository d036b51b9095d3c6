using System;

namespace NetGen.Conv.Tests;

/// <summary>Textbook loops for convolution and pooling, written for clarity rather than speed, to check the kernels against.</summary>
internal static class Reference
{
    /// <summary>z[b, f, oy, ox] = bias[f] + Σ_c Σ_ky Σ_kx W[f, c, ky, kx]·x[b, c, oy·s + ky − p, ox·s + kx − p] (zero outside).</summary>
    public static double[] Conv2D(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, int batch,
        int channels, int height, int width, int filters, int k, int stride, int padding)
    {
        int oh = (height + 2 * padding - k) / stride + 1, ow = (width + 2 * padding - k) / stride + 1;
        var z = new double[batch * filters * oh * ow];
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < filters; f++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double s = bias[f];
                        for (int c = 0; c < channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * stride + ky - padding, ix = ox * stride + kx - padding;
                                    if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                                    s += weight[((f * channels + c) * k + ky) * k + kx] * x[((b * channels + c) * height + iy) * width + ix];
                                }
                        z[((b * filters + f) * oh + oy) * ow + ox] = s;
                    }
        return z;
    }

    /// <summary>Max or mean over each size×size window at stride s, per channel.</summary>
    public static double[] Pool2D(ReadOnlySpan<double> x, int batch, int channels, int height, int width, int size, int stride, bool max)
    {
        int oh = (height - size) / stride + 1, ow = (width - size) / stride + 1;
        var y = new double[batch * channels * oh * ow];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int ky = 0; ky < size; ky++)
                            for (int kx = 0; kx < size; kx++)
                            {
                                double v = x[((b * channels + c) * height + oy * stride + ky) * width + ox * stride + kx];
                                acc = max ? Math.Max(acc, v) : acc + v;
                            }
                        y[((b * channels + c) * oh + oy) * ow + ox] = max ? acc : acc / (size * size);
                    }
        return y;
    }

    public static double[] Random(int length, int seed, double scale = 1)
    {
        var r = new System.Random(seed);
        var a = new double[length];
        for (int i = 0; i < a.Length; i++) a[i] = (2 * r.NextDouble() - 1) * scale;
        return a;
    }
}

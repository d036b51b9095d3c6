using System;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// BatchNorm1d ([batch, features], spatial 1) and BatchNorm2d ([batch, C, H, W], spatial H·W):
/// training-mode gradients against central differences in double, inference mode and the running
/// statistics against their formulas, float against double, no allocation.
/// </summary>
public class BatchNormTests
{
    private const double Step = 1e-6;

    /// <summary>(batch, channels, spatial): odd sizes 1, 3, 17; 17 features cover a vector of doubles plus a tail; 5×7 images.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 3, 17, 1 }, { 17, 3, 1 }, { 2, 1, 1 }, { 3, 3, 35 }, { 1, 3, 35 }, { 2, 17, 9 }, { 3, 1, 1 },
    };

    /// <summary>y of a training-mode forward with the running statistics left alone.</summary>
    private static double[] TrainingForward(double[] x, double[] weight, double[] bias, int batch, int channels, int spatial, double[]? mean = null, double[]? invStd = null)
    {
        var y = new double[x.Length];
        BatchNorm.ForwardTraining<double>(x, weight, bias, Span<double>.Empty, Span<double>.Empty, y,
            mean ?? new double[channels], invStd ?? new double[channels], batch, channels, spatial);
        return y;
    }

    /// <summary>L = Σ g·y, the loss whose gradient the backward pass is given g for.</summary>
    private static double Loss(double[] x, double[] weight, double[] bias, double[] g, int batch, int channels, int spatial)
    {
        double[] y = TrainingForward(x, weight, bias, batch, channels, spatial);
        double loss = 0;
        for (int i = 0; i < y.Length; i++) loss += g[i] * y[i];
        return loss;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_gradients_match_finite_differences(int batch, int channels, int spatial)
    {
        int size = batch * channels * spatial;
        // Inputs with a channel-dependent offset and scale, so the normalisation does real work.
        double[] x = Reference.Random(size, 11);
        for (int i = 0; i < size; i++) x[i] = 3 * x[i] + (i / spatial % channels) - 1;
        double[] weight = Reference.Random(channels, 12, 0.5), bias = Reference.Random(channels, 13);
        for (int c = 0; c < channels; c++) weight[c] += 1;
        double[] g = Reference.Random(size, 14);
        var mean = new double[channels];
        var invStd = new double[channels];
        TrainingForward(x, weight, bias, batch, channels, spatial, mean, invStd);
        var dx = new double[size];
        var dweight = new double[channels];
        var dbias = new double[channels];
        BatchNorm.Backward<double>(x, g, weight, mean, invStd, dx, dweight, dbias, batch, channels, spatial);

        double Numeric(double[] tensor, int i)
        {
            double saved = tensor[i];
            tensor[i] = saved + Step;
            double plus = Loss(x, weight, bias, g, batch, channels, spatial);
            tensor[i] = saved - Step;
            double minus = Loss(x, weight, bias, g, batch, channels, spatial);
            tensor[i] = saved;
            return (plus - minus) / (2 * Step);
        }
        for (int i = 0; i < size; i++) Close(dx[i], Numeric(x, i), $"dx[{i}]");
        for (int c = 0; c < channels; c++) Close(dweight[c], Numeric(weight, c), $"dweight[{c}]");
        for (int c = 0; c < channels; c++) Close(dbias[c], Numeric(bias, c), $"dbias[{c}]");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_forward_and_running_statistics_follow_the_formulas(int batch, int channels, int spatial)
    {
        int size = batch * channels * spatial, m = batch * spatial;
        double[] x = Reference.Random(size, 21, 2);
        double[] weight = Reference.Random(channels, 22), bias = Reference.Random(channels, 23);
        double[] runningMean = Reference.Random(channels, 24), runningVar = Reference.Random(channels, 25);
        for (int c = 0; c < channels; c++) runningVar[c] = Math.Abs(runningVar[c]) + 0.5;
        double[] expectedMean = (double[])runningMean.Clone(), expectedVar = (double[])runningVar.Clone();
        var y = new double[size];
        var mean = new double[channels];
        var invStd = new double[channels];
        BatchNorm.ForwardTraining<double>(x, weight, bias, runningMean, runningVar, y, mean, invStd, batch, channels, spatial);
        for (int c = 0; c < channels; c++)
        {
            // μ, biased σ², then the PyTorch update with the unbiased variance σ²·m/(m − 1).
            double mu = 0, squares = 0;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++) mu += x[(b * channels + c) * spatial + s];
            mu /= m;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++) squares += Math.Pow(x[(b * channels + c) * spatial + s] - mu, 2);
            double biased = squares / m, unbiased = squares / (m - 1);
            Assert.Equal(mu, mean[c], 1e-12);
            Assert.Equal(1 / Math.Sqrt(biased + 1e-5), invStd[c], 1e-9);
            Assert.Equal(0.9 * expectedMean[c] + 0.1 * mu, runningMean[c], 1e-12);
            Assert.Equal(0.9 * expectedVar[c] + 0.1 * unbiased, runningVar[c], 1e-12);
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int i = (b * channels + c) * spatial + s;
                    Assert.Equal((x[i] - mu) / Math.Sqrt(biased + 1e-5) * weight[c] + bias[c], y[i], 1e-9);
                }
        }
    }

    [Theory]
    [InlineData(1, 17, 1)]
    [InlineData(3, 3, 35)]
    [InlineData(5, 1, 1)]
    public void Inference_uses_the_running_statistics(int batch, int channels, int spatial)
    {
        int size = batch * channels * spatial;
        double[] x = Reference.Random(size, 31, 2);
        double[] weight = Reference.Random(channels, 32), bias = Reference.Random(channels, 33);
        double[] runningMean = Reference.Random(channels, 34), runningVar = Reference.Random(channels, 35);
        for (int c = 0; c < channels; c++) runningVar[c] = Math.Abs(runningVar[c]) + 0.1;
        double[] meanBefore = (double[])runningMean.Clone(), varBefore = (double[])runningVar.Clone();
        var y = new double[size];
        BatchNorm.ForwardInference<double>(x, weight, bias, runningMean, runningVar, y, batch, channels, spatial);
        for (int i = 0; i < size; i++)
        {
            int c = i / spatial % channels;
            Assert.Equal((x[i] - runningMean[c]) / Math.Sqrt(runningVar[c] + 1e-5) * weight[c] + bias[c], y[i], 1e-12);
        }
        Assert.Equal(meanBefore, runningMean);
        Assert.Equal(varBefore, runningVar);
    }

    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(1, 3, 1)]
    public void Training_with_one_value_per_channel_is_refused(int batch, int channels, int spatial)
    {
        var x = new double[batch * channels * spatial];
        var stats = new double[channels];
        var e = Assert.Throws<ArgumentException>(() => BatchNorm.ForwardTraining<double>(x, stats, stats, Span<double>.Empty, Span<double>.Empty,
            new double[x.Length], new double[channels], new double[channels], batch, channels, spatial));
        Assert.Contains("more than one value per channel", e.Message);
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void Short_spans_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNorm.ForwardTraining<double>(new double[12], new double[3], new double[2],
            new double[3], new double[3], new double[12], new double[3], new double[3], 4, 3, 1));
        Assert.Equal("bias", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BatchNorm.Backward<double>(new double[12], new double[11], new double[3], new double[3], new double[3],
            new double[12], new double[3], new double[3], 4, 3, 1));
        Assert.Equal("dy", e.ParamName);
    }

    [Theory]
    [InlineData(16, 37, 1)]
    [InlineData(8, 5, 49)]
    public void Float_matches_double(int batch, int channels, int spatial)
    {
        int size = batch * channels * spatial;
        double[] x = Reference.Random(size, 41, 2), g = Reference.Random(size, 42);
        double[] weight = Reference.Random(channels, 43), bias = Reference.Random(channels, 44);
        var mean = new double[channels];
        var invStd = new double[channels];
        double[] y = TrainingForward(x, weight, bias, batch, channels, spatial, mean, invStd);
        var dx = new double[size];
        var dw = new double[channels];
        var db = new double[channels];
        BatchNorm.Backward<double>(x, g, weight, mean, invStd, dx, dw, db, batch, channels, spatial);

        float[] xf = ToFloat(x), gf = ToFloat(g), wf = ToFloat(weight), bf = ToFloat(bias);
        var yf = new float[size];
        var meanF = new float[channels];
        var invStdF = new float[channels];
        BatchNorm.ForwardTraining<float>(xf, wf, bf, Span<float>.Empty, Span<float>.Empty, yf, meanF, invStdF, batch, channels, spatial);
        var dxf = new float[size];
        var dwf = new float[channels];
        var dbf = new float[channels];
        BatchNorm.Backward<float>(xf, gf, wf, meanF, invStdF, dxf, dwf, dbf, batch, channels, spatial);
        for (int i = 0; i < size; i++)
        {
            Assert.Equal(y[i], yf[i], 1e-4);
            Assert.Equal(dx[i], dxf[i], 1e-4);
        }
        for (int c = 0; c < channels; c++)
        {
            Assert.Equal(dw[c], dwf[c], 1e-3);
            Assert.Equal(db[c], dbf[c], 1e-3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void Allocates_nothing()
    {
        const int batch = 8, channels = 16, spatial = 49;
        int size = batch * channels * spatial;
        float[] x = ToFloat(Reference.Random(size, 51)), g = ToFloat(Reference.Random(size, 52));
        float[] weight = new float[channels], bias = new float[channels], rm = new float[channels], rv = new float[channels];
        float[] mean = new float[channels], invStd = new float[channels], y = new float[size], dx = new float[size];
        float[] dw = new float[channels], db = new float[channels];
        Array.Fill(weight, 1f);
        Array.Fill(rv, 1f);
        void Run()
        {
            BatchNorm.ForwardTraining<float>(x, weight, bias, rm, rv, y, mean, invStd, batch, channels, spatial);
            BatchNorm.Backward<float>(x, g, weight, mean, invStd, dx, dw, db, batch, channels, spatial);
            BatchNorm.ForwardInference<float>(x, weight, bias, rm, rv, y, batch, channels, spatial);
            BatchNorm.ForwardTraining<float>(x.AsSpan(0, batch * channels), weight, bias, rm, rv, y, mean, invStd, batch, channels, 1);
            BatchNorm.Backward<float>(x.AsSpan(0, batch * channels), g, weight, mean, invStd, dx, dw, db, batch, channels, 1);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static float[] ToFloat(double[] a) => Array.ConvertAll(a, v => (float)v);

    /// <summary>torch.autograd.gradcheck's tolerance: |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|.</summary>
    internal static void Close(double analytic, double numeric, string what)
    {
        if (Math.Abs(analytic - numeric) > 1e-5 + 1e-3 * Math.Abs(numeric))
            Assert.Fail($"{what}: analytic {analytic}, numeric {numeric}");
    }
}

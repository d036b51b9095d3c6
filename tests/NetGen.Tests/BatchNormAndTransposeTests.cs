using System;
using System.IO;
using System.Linq;
using NetGen.Serialization;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>BatchNorm (training and inference modes, buffers), ConvTranspose2D and Reshape through generated networks, in double.</summary>
public class BatchNormAndTransposeTests
{
    private static void CheckBackward<TNet>(int batch, int seed = 3) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        // Training mode (Forward): BatchNorm normalises with the batch's statistics, so the objective is the
        // batch-statistics function whose derivative Backward computes.
        GradientCheck.ThroughBackward(net, GradientCheck.Random(batch * net.InputSize, seed + 7), batch, seed + 11);
    }

    [Theory, InlineData(3), InlineData(5)]
    public void BatchNorm1dThroughBackward(int batch) { CheckBackward<GcBatchNorm1d>(batch); CheckBackward<GcBatchNormFirst>(batch); }

    [Theory, InlineData(1), InlineData(3)]
    public void BatchNorm2dThroughBackward(int batch) { CheckBackward<GcBatchNorm2d>(batch); CheckBackward<GcBatchNorm2dFirst>(batch); }

    [Theory, InlineData(1), InlineData(3)]
    public void ConvTranspose2DThroughBackward(int batch)
    {
        CheckBackward<GcConvTranspose>(batch);
        CheckBackward<GcConvTransposePReLU>(batch);
        CheckBackward<GcReshapeConvTranspose>(batch);
    }

    [Theory, InlineData(1), InlineData(3)]
    public void ConvTranspose2DParametersAgainstTheLoss(int batch)
    {
        foreach (int seed in new[] { 1, 2 })
        {
            Check<GcConvTranspose>(Loss.MeanSquaredError, batch, seed);
            Check<GcConvTransposePReLU>(Loss.MeanSquaredError, batch, seed);
            Check<GcReshapeConvTranspose>(Loss.BinaryCrossEntropy, batch, seed);   // sigmoid fused with BCE
        }
    }

    private static void Check<TNet>(Loss loss, int batch, int seed) where TNet : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        GradientCheck.Parameters(net, GradientCheck.Random(batch * net.InputSize, seed + 100), GradientCheck.Targets(batch, net.OutputSize, loss, seed + 200), batch);
    }

    /// <summary>y = weight·(x − mean)/√(var + 1e-5) + bias per channel, with values laid out [batch, channels, spatial].</summary>
    private static double[] Formula(double[] x, double[] weight, double[] bias, double[] mean, double[] variance, int batch, int channels, int spatial)
    {
        var y = new double[x.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < spatial; s++)
                {
                    int i = (b * channels + c) * spatial + s;
                    y[i] = weight[c] * (x[i] - mean[c]) / Math.Sqrt(variance[c] + 1e-5) + bias[c];
                }
        return y;
    }

    private static void AssertNear(double[] expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact] public void BatchNorm1dModesAgainstTheFormula() => CheckModes(new GcBatchNormOnly1d(), batch: 3, channels: 17, spatial: 1);

    [Fact] public void BatchNorm2dModesAgainstTheFormula() => CheckModes(new GcBatchNormOnly2d(), batch: 3, channels: 3, spatial: 6);

    private static void CheckModes<TNet>(TNet net, int batch, int channels, int spatial) where TNet : INetwork<double>
    {
        // The initial state: weight ones, bias zeros, running mean zeros, running variance ones.
        Assert.Equal(Enumerable.Repeat(1.0, channels).Concat(new double[channels]), net.Parameters.ToArray());
        Assert.Equal(new double[channels].Concat(Enumerable.Repeat(1.0, channels)), net.Buffers.ToArray());
        Assert.Equal(new[] { "layers.0.running_mean", "layers.0.running_var" }, net.BufferTensors.Select(t => t.Name));

        double[] weight = GradientCheck.Random(channels, 1), bias = GradientCheck.Random(channels, 2);
        double[] runningMean = GradientCheck.Random(channels, 3), runningVar = GradientCheck.Random(channels, 4).Select(v => 0.5 + v * v).ToArray();
        weight.Concat(bias).ToArray().CopyTo(net.Parameters);
        runningMean.Concat(runningVar).ToArray().CopyTo(net.Buffers);
        double[] x = GradientCheck.Random(batch * channels * spatial, 5, scale: 3);
        double[] y = new double[x.Length];

        // Inference (Predict, ComputeLoss): the running statistics, which stay as they are.
        net.Predict(x, y, batch);
        AssertNear(Formula(x, weight, bias, runningMean, runningVar, batch, channels, spatial), y, "Predict");
        double[] t = GradientCheck.Random(x.Length, 6);
        double mse = Formula(x, weight, bias, runningMean, runningVar, batch, channels, spatial).Zip(t, (a, b) => (a - b) * (a - b)).Average();
        Assert.True(Math.Abs(mse - net.ComputeLoss(x, t, batch)) <= 1e-12 * mse);
        Assert.Equal(runningMean.Concat(runningVar), net.Buffers.ToArray());

        // Training (Forward): the batch's mean and biased variance; running ← 0.9·running + 0.1·(mean, unbiased variance).
        int m = batch * spatial;
        double[] mean = new double[channels], variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            var values = Enumerable.Range(0, batch).SelectMany(b => Enumerable.Range(0, spatial).Select(s => x[(b * channels + c) * spatial + s])).ToArray();
            mean[c] = values.Average();
            variance[c] = values.Select(v => (v - mean[c]) * (v - mean[c])).Sum() / m;
        }
        net.Forward(x, y, batch);
        AssertNear(Formula(x, weight, bias, mean, variance, batch, channels, spatial), y, "Forward");
        double[] expectedBuffers = runningMean.Select((r, c) => 0.9 * r + 0.1 * mean[c])
            .Concat(runningVar.Select((r, c) => 0.9 * r + 0.1 * variance[c] * m / (m - 1))).ToArray();
        AssertNear(expectedBuffers, net.Buffers, "running statistics");
    }

    [Fact]
    public void ComputeGradientsAndTrainStepUseBatchStatistics()
    {
        var a = new GcBatchNormOnly1d();
        double[] x = GradientCheck.Random(3 * 17, 5, scale: 3), t = GradientCheck.Random(3 * 17, 6), y = new double[x.Length];
        a.Forward(x, y, 3);
        double batchLoss = y.Zip(t, (p, q) => (p - q) * (p - q)).Average();
        var b = new GcBatchNormOnly1d();
        Assert.Equal(batchLoss, b.ComputeGradients(x, t, 3), 12);
        Assert.Equal(a.Buffers.ToArray(), b.Buffers.ToArray());
        var c = new GcBatchNormOnly1d();
        Assert.Equal(batchLoss, c.TrainStep(x, t, 3), 12);
        Assert.NotEqual(batchLoss, new GcBatchNormOnly1d().ComputeLoss(x, t, 3), 6);   // running statistics
        // One value per channel cannot be normalised by its own statistics (PyTorch refuses it too).
        var e = Assert.Throws<ArgumentException>(() => new GcBatchNormOnly1d().ComputeGradients(x.AsSpan(0, 17), t.AsSpan(0, 17), 1));
        Assert.Contains("at least 2", e.Message);
    }

    [Fact]
    public void BuffersAreSavedAndLoadedWithTheParametersUnderPyTorchsNames()
    {
        var net = new GcBatchNorm2d();
        double[] x = GradientCheck.Random(3 * GcBatchNorm2d.InputSize, 1), t = GradientCheck.Random(3 * GcBatchNorm2d.OutputSize, 2);
        for (int i = 0; i < 3; i++) net.TrainStep(x, t, 3);
        Assert.Equal(new[] { "layers.1.running_mean", "layers.1.running_var" }, GcBatchNorm2d.BufferTensors.Select(b => b.Name));
        string path = Path.Combine(Path.GetTempPath(), $"netgen-bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(net, path);
            string header = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));
            Assert.Contains("\"layers.1.running_mean\"", header);
            Assert.Contains("\"layers.1.running_var\"", header);
            var copy = new GcBatchNorm2d(99);
            SafeTensors.Load(copy, path);
            Assert.Equal(net.Parameters.ToArray(), copy.Parameters.ToArray());
            Assert.Equal(net.Buffers.ToArray(), copy.Buffers.ToArray());
            double[] a = new double[3 * GcBatchNorm2d.OutputSize], b = new double[a.Length];
            net.Predict(x, a, 3);
            copy.Predict(x, b, 3);
            Assert.Equal(a, b);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SummaryRows()
    {
        Assert.Contains("layers.1 (BatchNorm)", GcBatchNorm1d.Summary);
        Assert.Contains("Non-trainable params: 34", GcBatchNorm1d.Summary);
        Assert.Contains("(None, 3, 5, 5)", GcBatchNorm2d.Summary);
        Assert.Contains("layers.2 (ConvTranspose2D, Sigmoid)", GcReshapeConvTranspose.Summary);
        Assert.Contains("layers.1 (Reshape)", GcReshapeConvTranspose.Summary);
        Assert.Contains("(None, 3, 2, 2)", GcReshapeConvTranspose.Summary);
        Assert.Contains("(None, 1, 5, 5)", GcReshapeConvTranspose.Summary);
        Assert.Contains("(None, 3, 6, 6)", GcConvTranspose.Summary);
        Assert.Equal(new[] { "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias" }, GcReshapeConvTranspose.ParameterTensors.Select(p => p.Name));
        Assert.Equal(new[] { 3, 1, 3, 3 }, GcReshapeConvTranspose.ParameterTensors[2].Shape);
        Assert.Empty(GcOdd17.BufferTensors);
        Assert.Equal(0, new GcOdd17().Buffers.Length);
    }
}

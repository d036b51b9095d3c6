using System;
using System.IO;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>
/// Issue 17 item 7: a double network trains, saves, loads and evaluates with the same calls as a float one (no
/// type arguments; these calls were CS0311 before), and a dataset of doubles reaches it unrounded.
/// </summary>
public class DoublePrecisionTests
{
    /// <summary>y = 2x − 1 + 1e-10: the 1e-10 does not survive rounding to float.</summary>
    private static Dataset PreciseLine()
    {
        var x = new double[16];
        var y = new double[16];
        for (int i = 0; i < 16; i++) { x[i] = i / 16.0; y[i] = 2 * x[i] - 1 + 1e-10; }
        return new Dataset(x, y, 16, 1, 1);
    }

    [Fact]
    public void ADoubleNetworkTrainsSavesLoadsAndEvaluatesWithoutTypeArguments()
    {
        Dataset data = PreciseLine();
        Assert.True(data.IsDoublePrecision);
        var net = new LinearModel<double>(1, 1, LinearHead.MeanSquaredError, learningRate: 0.3);
        History h = Trainer.Fit(net, data, new TrainingOptions { Epochs = 2000, BatchSize = 16 });
        Assert.Equal(2000, h.Epochs.Count);
        Assert.Equal(2.0, net.Parameters[0], 6);

        string path = Path.Combine(TestFiles.NewTempDirectory(), "double.safetensors");
        SafeTensors.Save(net, path);
        Assert.Equal("F64", SafeTensorsFile.Read(path).Tensors["layers.0.weight"].DType);
        var loaded = new LinearModel<double>(1, 1, LinearHead.MeanSquaredError, seed: 9);
        SafeTensors.Load(loaded, path);
        Assert.Equal(net.Parameters.ToArray(), loaded.Parameters.ToArray());
        SafeTensors.SaveCheckpoint(net, path);
        SafeTensors.LoadCheckpoint(loaded, path);

        RegressionReport report = Evaluation.EvaluateRegressor(loaded, data);
        Assert.True(report.MeanSquaredError < 1e-6);
        Assert.IsType<RegressionReport>(Evaluation.Evaluate(loaded, data));
    }

    [Fact]
    public void ADatasetOfDoublesReachesADoubleNetworkUnrounded()
    {
        Dataset data = PreciseLine();
        // Zero parameters predict 0, so the loss is the mean of t²; with float-rounded targets it would differ in the 10th digit.
        var net = new LinearModel<double>(1, 1, LinearHead.MeanSquaredError);
        net.Parameters.Clear();
        double expected = 0;
        foreach (double t in data.DoubleTargets!) expected += t * t / 16;
        Assert.Equal(expected, Evaluation.EvaluateRegressor(net, data).Loss, 15);
        Assert.NotEqual(expected, Evaluation.EvaluateRegressor(net, new Dataset(data.Features, data.Targets, 16, 1, 1)).Loss, 15);

        // Selecting, slicing and scaling keep the doubles.
        Dataset part = data.Slice(2, 4).Shuffle(seed: 1);
        Assert.True(part.IsDoublePrecision);
        Assert.Contains(2 * (2 / 16.0) - 1 + 1e-10, part.DoubleTargets!);
        Assert.Equal(0.5 / 16, data.ScaleFeatures(0.5f).DoubleFeatures![1]);
    }

    [Fact]
    public void ScalersTransformTheDoublesToo()
    {
        Dataset data = PreciseLine();
        Standardizer.Fit(data).Transform(data);
        double mean = 0;
        foreach (double v in data.DoubleFeatures!) mean += v / data.Count;
        Assert.True(Math.Abs(mean) < 1e-15, $"mean {mean}");
        for (int i = 0; i < data.Count; i++) Assert.Equal(data.Features[i], (float)data.DoubleFeatures[i], 1e-6f);

        Dataset other = PreciseLine();
        MinMaxScaler.Fit(other).Transform(other);
        Assert.Equal(0.0, other.DoubleFeatures![0]);
        Assert.Equal(1.0, other.DoubleFeatures[^1], 6);
    }

    [Fact]
    public void SnapshotsShowWhatTheyHold()
    {
        ParameterSnapshot? snapshot = null;
        var net = new LinearModel<double>(2, 3, LinearHead.MeanSquaredError);
        Trainer.Fit(net, new Dataset(new double[4], new double[6], 2, 2, 3), new TrainingOptions
        {
            Epochs = 1, Callbacks = [new Capture(s => snapshot = s)],
        });
        Assert.NotNull(snapshot);
        Assert.Equal(9, snapshot!.Count);
        Assert.Equal(typeof(double), snapshot.ElementType);
        Assert.Equal("ParameterSnapshot(9 × Double)", snapshot.ToString());
        Assert.Equal(net.Parameters.ToArray(), snapshot.ToArray<double>());
    }

    private sealed class Capture(System.Action<ParameterSnapshot> keep) : TrainingCallback
    {
        public override void OnTrainingEnd(TrainingContext context) => keep(context.CaptureParameters());
    }
}

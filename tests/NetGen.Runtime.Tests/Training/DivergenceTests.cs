using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>
/// Issue 17 item 5: a non-finite loss stops training, undoes the failing step, names the bad row or blames the
/// learning rate, says so with or without a progress reporter, and records the cut-short epoch in History.
/// </summary>
public class DivergenceTests
{
    /// <summary>y = 2x₀ − x₁ on 12 rows; <paramref name="badRow"/> gets a NaN feature or target.</summary>
    private static Dataset Line(int badRow, bool badTarget)
    {
        var x = new float[24];
        var y = new float[12];
        for (int i = 0; i < 12; i++) { x[2 * i] = i / 12f; x[2 * i + 1] = 1 - i / 12f; y[i] = 2 * x[2 * i] - x[2 * i + 1]; }
        if (badTarget) y[badRow] = float.NaN; else x[2 * badRow + 1] = float.PositiveInfinity;
        return new Dataset(x, y, 12, 2, 1);
    }

    [Theory]
    [InlineData(false, DivergenceCause.NonFiniteInput)]
    [InlineData(true, DivergenceCause.NonFiniteTarget)]
    public void ANonFiniteCellIsNamedByItsRowAndTheStepIsUndone(bool badTarget, DivergenceCause cause)
    {
        // Unshuffled batches of 4: row 5 is in step 2 of epoch 1.
        Dataset data = Line(badRow: 5, badTarget);
        var net = new LinearModel<float>(2, 1, LinearHead.MeanSquaredError, momentum: true, learningRate: 0.05);
        var stderr = new StringWriter();
        History h = Trainer.Fit(net, data, new TrainingOptions { Epochs = 3, BatchSize = 4, Shuffle = false, DiagnosticOutput = stderr });

        TrainingDivergence d = Assert.IsType<TrainingDivergence>(h.Divergence);
        Assert.Equal((1, 2, cause, 5, badTarget ? 0 : 1), (d.Epoch, d.Step, d.Cause, d.Row, d.Column));
        Assert.True(h.StoppedOnNonFiniteLoss);
        Assert.Equal(d.Message, h.StopReason);
        Assert.Contains("row 5 of the training data", d.Message);
        Assert.Contains(badTarget ? "target 0 is NaN" : "feature 1 is +Infinity", d.Message);
        Assert.DoesNotContain("non-finite layer", d.Message); // the data is at fault, not a layer
        // Said without a progress reporter: on DiagnosticOutput (stderr by default).
        Assert.Contains(d.Message, stderr.ToString());

        // The epoch cut short is in History, so h.Epochs[^1] works; it covers the one finite step.
        EpochSummary last = h.Epochs[^1];
        Assert.Single(h.Epochs);
        Assert.False(last.Completed);
        Assert.Equal(1, last.Steps);
        Assert.True(double.IsFinite(last.Loss));

        // Parameters, optimizer state and step are exactly those after the one good step.
        var reference = new LinearModel<float>(2, 1, LinearHead.MeanSquaredError, momentum: true, learningRate: 0.05);
        Trainer.Fit(reference, data.Slice(0, 4), new TrainingOptions { Epochs = 1, BatchSize = 4, Shuffle = false });
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(reference.OptimizerState.ToArray(), net.OptimizerState.ToArray());
        Assert.Equal(1, net.OptimizerStep);
    }

    [Theory]
    [InlineData(31)]  // the step just before a state copy
    [InlineData(32)]  // the step a copy is taken at
    [InlineData(77)]  // far from one: 13 steps replayed
    public void AFailureBetweenStateCopiesIsUndoneByReplayingToTheSameBits(int badRow)
    {
        // Batches of one, unshuffled: step badRow + 1 fails; the state was copied at step 32 · ⌊badRow / 32⌋.
        var x = new float[2 * 100];
        var y = new float[100];
        for (int i = 0; i < 100; i++) { x[2 * i] = (i % 7) / 7f; x[2 * i + 1] = (i % 5) / 5f; y[i] = x[2 * i] - 2 * x[2 * i + 1]; }
        y[badRow] = float.NaN;
        var data = new Dataset(x, y, 100, 2, 1);
        var net = new LinearModel<float>(2, 1, LinearHead.MeanSquaredError, momentum: true, learningRate: 0.05);
        History h = Trainer.Fit(net, data, new TrainingOptions { Epochs = 1, BatchSize = 1, Shuffle = false, DiagnosticOutput = TextWriter.Null });
        Assert.Equal(badRow, h.Divergence!.Row);

        var reference = new LinearModel<float>(2, 1, LinearHead.MeanSquaredError, momentum: true, learningRate: 0.05);
        Trainer.Fit(reference, data.Slice(0, badRow), new TrainingOptions { Epochs = 1, BatchSize = 1, Shuffle = false });
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(reference.OptimizerState.ToArray(), net.OptimizerState.ToArray());
        Assert.Equal(badRow, net.OptimizerStep);
    }

    [Fact]
    public void AnOverflowingLossBlamesTheLearningRateAndLeavesFiniteWeights()
    {
        var net = new LinearModel<float>(1, 1, LinearHead.MeanSquaredError, learningRate: 1e6, layerName: "hidden");
        var data = new Dataset([1f, 2f, 3f, 4f], [1f, 2f, 3f, 4f], 4, 1, 1);
        var reports = new List<TrainingProgress>();
        var stderr = new StringWriter();
        History h = Trainer.Fit(net, data, new TrainingOptions
        {
            Epochs = 50, BatchSize = 1, Progress = new TrainerTests.Recorder(reports), DiagnosticOutput = stderr,
        });

        TrainingDivergence d = Assert.IsType<TrainingDivergence>(h.Divergence);
        Assert.Equal(DivergenceCause.LossOverflow, d.Cause);
        Assert.Null(d.Row);
        Assert.Equal("hidden", d.Layer);
        Assert.Contains("learning rate 1E+06 is likely too high (try 100000)", d.Message);
        Assert.Contains("First non-finite layer: hidden", d.Message);
        Assert.DoesNotMatch(new Regex(@"\d{10}"), d.Message); // no 39-digit float
        Assert.True(net.Parameters.ToArray() is var p && Array.TrueForAll(p, float.IsFinite));
        // The stop epoch is recorded; the reporter says why, so nothing goes to stderr twice.
        Assert.Equal(d.Epoch, h.Epochs[^1].Epoch);
        Assert.Equal(TrainingProgressKind.Stopped, reports[^1].Kind);
        Assert.Equal(d.Message, reports[^1].Message);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void AStopOnTheFirstStepRecordsEpochOneWithNanLossAndTheConsoleLineIsReadable()
    {
        Dataset data = Line(badRow: 0, badTarget: false);
        var net = new LinearModel<float>(2, 1, LinearHead.MeanSquaredError);
        float[] before = net.Parameters.ToArray();
        var console = new StringWriter();
        History h = Trainer.Fit(net, data, new TrainingOptions
        {
            Epochs = 2, BatchSize = 4, Shuffle = false, Progress = new ConsoleProgressReporter(console, inPlace: false),
        });
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal(0, net.OptimizerStep);
        Assert.Equal(1, h.Epochs[^1].Epoch);
        Assert.Equal(0, h.Epochs[^1].Steps);
        Assert.True(double.IsNaN(h["loss"][0]));
        string text = console.ToString();
        Assert.Contains("0/3 [", text);
        Assert.Contains("loss: nan", text);
        Assert.Contains("row 0 of the training data", text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TheGuardedLoopStillAllocatesNothingPerEpoch()
    {
        Dataset iris = TrainerTests.StandardizedIris();
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true);
        var loop = new TrainingLoop<LinearModel<float>, float>(net, DatasetRange.All(iris), null, new TrainingOptions { BatchSize = 16 });
        loop.RunEpoch(1, 3, stopOnNonFinite: true, progress: null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int e = 0; e < 20; e++) loop.RunEpoch(2, 3, stopOnNonFinite: true, progress: null);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(3.4028234663852886E+38, "3.40282E+38")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.5, "0.5")]
    public void NumbersInMessagesAreShort(double value, string text) => Assert.Equal(text, TrainingDivergence.FormatNumber(value));
}

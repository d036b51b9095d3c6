using System;
using System.Diagnostics;
using System.IO;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>Resuming from a checkpoint is bit-identical to not stopping; a save killed with SIGKILL leaves the previous checkpoint loadable.</summary>
public class CheckpointResumeTests
{
    private static TrainingOptions Options(params TrainingCallback[] callbacks) => new()
    {
        Epochs = 6, BatchSize = 16, Seed = 3, ValidationSplit = 0.2, Metrics = [TrainingMetric.Accuracy], Callbacks = callbacks,
    };

    /// <summary>Ends training after <paramref name="epochs"/> epochs, as a process that died then would.</summary>
    private sealed class StopAfter(int epochs) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochSummary summary)
        {
            if (summary.Epoch == epochs) context.RequestStop("interrupted");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void ResumingAfterEpochKIsBitIdenticalToAnUninterruptedRun(int k)
    {
        Dataset iris = TrainerTests.StandardizedIris();
        var straight = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        History full = Trainer.Fit(straight, iris, Options());

        string path = Path.Combine(TestFiles.NewTempDirectory(), "checkpoint.safetensors");
        var first = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        Trainer.Fit(first, iris, Options(new ModelCheckpoint(path), new StopAfter(k)));
        Assert.Equal(k, ModelCheckpoint.ReadEpoch(path));

        // A fresh process: another initialisation, everything else from the checkpoint.
        var resumed = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, seed: 77, momentum: true, learningRate: 0.05);
        SafeTensors.LoadCheckpoint(resumed, path);
        History rest = Trainer.Fit(resumed, iris, Options() with { InitialEpoch = ModelCheckpoint.ReadEpoch(path) });

        Assert.Equal(6 - k, rest.Epochs.Count);
        Assert.Equal(k + 1, rest.Epochs[0].Epoch);
        Assert.Equal(full.Epochs[^1].Loss, rest.Epochs[^1].Loss);
        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(straight.OptimizerState.ToArray(), resumed.OptimizerState.ToArray());
        Assert.Equal(straight.OptimizerStep, resumed.OptimizerStep);
    }

    [Fact]
    public void ResumingWithALearningRateScheduleIsBitIdenticalToo()
    {
        Dataset iris = TrainerTests.StandardizedIris();
        TrainingOptions Scheduled(params TrainingCallback[] extra) =>
            Options([new LearningRateScheduler(new CosineAnnealing(6, minimumRate: 1e-3)), .. extra]);
        var straight = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        Trainer.Fit(straight, iris, Scheduled());

        string path = Path.Combine(TestFiles.NewTempDirectory(), "checkpoint.safetensors");
        Trainer.Fit(new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05), iris,
            Scheduled(new ModelCheckpoint(path), new StopAfter(2)));
        var resumed = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        SafeTensors.LoadCheckpoint(resumed, path);
        Assert.NotEqual(0.05, resumed.LearningRate); // the checkpoint holds the scheduled rate of epoch 2
        TrainingOptions resume = ModelCheckpoint.Resume(Scheduled(), path);
        Assert.Equal((2, 0.05), (resume.InitialEpoch, resume.InitialLearningRate));
        Trainer.Fit(resumed, iris, resume);
        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(straight.LearningRate, resumed.LearningRate);
    }

    [Fact]
    public void WithoutReplayingTheShufflesTheRunWouldDiffer()
    {
        // The check above can fail: resuming as epoch 1 (InitialEpoch 0, Epochs = 6 − k) draws other batches.
        Dataset iris = TrainerTests.StandardizedIris();
        var straight = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        Trainer.Fit(straight, iris, Options());
        string path = Path.Combine(TestFiles.NewTempDirectory(), "checkpoint.safetensors");
        Trainer.Fit(new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05), iris,
            Options(new ModelCheckpoint(path), new StopAfter(3)));
        var resumed = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy, momentum: true, learningRate: 0.05);
        SafeTensors.LoadCheckpoint(resumed, path);
        Trainer.Fit(resumed, iris, Options() with { Epochs = 3 });
        Assert.NotEqual(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void AProcessKilledWhileSavingLeavesTheLastCheckpointLoadable()
    {
        string dir = TestFiles.NewTempDirectory();
        string path = Path.Combine(dir, "checkpoint.safetensors");
        string self = typeof(ChildProcessEntry).Assembly.Location;
        int lastSaved = 0;
        for (int round = 0; round < 4; round++)
        {
            // Start the saver and kill it (SIGKILL) right after it announces save number `victim`, mid-write.
            int victim = lastSaved + 2 + round;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { "exec", self, "save-loop", path }) start.ArgumentList.Add(a);
            using Process child = Process.Start(start)!;
            int saved = 0;
            try
            {
                // The child starts counting from 1 each run: a save is known complete once "saved k" is read.
                while (child.StandardOutput.ReadLine() is string line)
                {
                    if (line.StartsWith("saved ", StringComparison.Ordinal)) saved = int.Parse(line[6..]);
                    if (line == $"begin {victim}") { child.Kill(); break; } // Process.Kill is SIGKILL on Linux
                }
            }
            finally
            {
                if (!child.HasExited) child.Kill();
                child.WaitForExit();
            }
            Assert.Equal(victim - 1, saved);
            Assert.Equal(137, child.ExitCode); // 128 + SIGKILL

            // Whatever the kill interrupted, the file is one whole checkpoint: save victim − 1, or victim if it finished.
            var net = new LinearModel<float>(1000, 1000, LinearHead.MeanSquaredError, momentum: true);
            SafeTensors.LoadCheckpoint(net, path);
            float k = net.Parameters[0];
            Assert.True(k == victim - 1 || k == victim, $"round {round}: loaded save {k}, killed during save {victim}");
            Assert.True(net.Parameters.ToArray() is var p && Array.TrueForAll(p, v => v == k));
            Assert.True(net.OptimizerState.ToArray() is var s && Array.TrueForAll(s, v => v == -k));
            Assert.Equal((long)k, net.OptimizerStep);
            lastSaved = 0;
        }
    }
}

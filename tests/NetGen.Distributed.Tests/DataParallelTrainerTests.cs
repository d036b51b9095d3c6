using System;
using System.IO;
using System.Runtime.InteropServices;
using NetGen.Data;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Distributed.Tests;

/// <summary>The trainer in one process (<see cref="SingleProcessCollectives"/>): what every part count computes, and resuming.</summary>
public sealed class DataParallelTrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-dp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void One_part_per_batch_is_TrainStep_on_the_whole_batch_bit_for_bit()
    {
        // 50 samples in batches of 8 (the last one 2), two epochs, no shuffle: the plain loop is TrainStep on rows 0..7, 8..15, ...
        Dataset data = SyntheticData.Classes(50, seed: 1);
        var reference = new MomentumNet();
        for (int epoch = 0; epoch < 2; epoch++)
            for (int start = 0; start < data.Count; start += 8)
            {
                int n = Math.Min(8, data.Count - start);
                (float[] x, float[] t) = SyntheticData.Batch<float>(data, start, n, 3);
                reference.TrainStep(x, t, n);
            }

        var distributed = new MomentumNet();
        DataParallelResult result = DataParallelTrainer.Fit(distributed, data, Options(shards: 1) with { Shuffle = false }, SingleProcessCollectives.Instance);

        Assert.Equal(14, result.Steps);
        Assert.Equal(Bits(reference.Parameters), Bits(distributed.Parameters));
        Assert.Equal(Bits(reference.OptimizerState), Bits(distributed.OptimizerState));
    }

    [Fact]
    public void Four_parts_agree_with_one_part_within_the_stated_tolerance()
    {
        // Summing four part-means weighted by their sizes reorders the float additions of the batch mean, so the
        // weights differ in the last bits; after 21 Momentum steps they must stay within 1e-6 (absolute; measured: 3e-8) of each other.
        Dataset data = SyntheticData.Classes(50, seed: 2);
        var one = new MomentumNet();
        var four = new MomentumNet();
        DataParallelTrainer.Fit(one, data, Options(shards: 1) with { Epochs = 3 }, SingleProcessCollectives.Instance);
        DataParallelTrainer.Fit(four, data, Options(shards: 4) with { Epochs = 3 }, SingleProcessCollectives.Instance);
        double worst = 0, scale = 0;
        for (int i = 0; i < MomentumNet.ParameterCount; i++)
        {
            worst = Math.Max(worst, Math.Abs(one.Parameters[i] - four.Parameters[i]));
            scale = Math.Max(scale, Math.Abs(one.Parameters[i]));
        }
        output.WriteLine($"largest |w(1 part) − w(4 parts)| = {worst:E2} (largest |w| = {scale:F3})");
        Assert.True(worst <= 1e-6, $"the weights of 1 and 4 parts differ by {worst:E2}, more than the stated 1e-6");
    }

    [Fact]
    public void A_run_stopped_after_a_checkpoint_resumes_to_the_same_weights()
    {
        Dataset data = SyntheticData.Classes(50, seed: 3);
        var whole = new AdamDropoutNet();
        DataParallelTrainer.Fit(whole, data, Options(shards: 4), SingleProcessCollectives.Instance);

        // 7 steps per epoch; checkpoints after steps 3, 6, 7 (the epoch's end) and 9; stop after step 11, mid-epoch.
        string checkpoint = Path.Combine(_folder, "run.safetensors");
        var first = new AdamDropoutNet();
        DataParallelResult stopped = DataParallelTrainer.Fit(first, data, Options(shards: 4) with { CheckpointPath = checkpoint, CheckpointEverySteps = 3, MaxSteps = 11 }, SingleProcessCollectives.Instance);
        Assert.Equal(11, stopped.Steps);

        var resumed = new AdamDropoutNet(seed: 99); // different initial weights: everything must come from the checkpoint
        DataParallelResult finished = DataParallelTrainer.Fit(resumed, data, Options(shards: 4) with { ResumeFrom = checkpoint }, SingleProcessCollectives.Instance);

        Assert.Equal(5, finished.StepsThisRun); // steps 10 .. 14, from the checkpoint after step 9
        Assert.Equal(14, finished.Steps);
        Assert.Equal(Bits(whole.Parameters), Bits(resumed.Parameters));
        Assert.Equal(Bits(whole.OptimizerState), Bits(resumed.OptimizerState));
    }

    [Fact]
    public void A_checkpoint_of_another_part_count_is_refused_naming_the_setting()
    {
        Dataset data = SyntheticData.Classes(20, seed: 4);
        string checkpoint = Path.Combine(_folder, "four.safetensors");
        DataParallelTrainer.Fit(new SgdNet(), data, Options(shards: 4) with { Epochs = 1, CheckpointPath = checkpoint }, SingleProcessCollectives.Instance);
        var e = Assert.Throws<InvalidDataException>(() =>
            DataParallelTrainer.Fit(new SgdNet(), data, Options(shards: 2) with { ResumeFrom = checkpoint }, SingleProcessCollectives.Instance));
        Assert.Contains("ShardCount", e.Message);
    }

    [Fact]
    public void A_part_count_that_is_not_a_multiple_of_the_ranks_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            DataParallelTrainer.Fit(new SgdNet(), SyntheticData.Classes(20, seed: 5), Options(shards: 3), new FakeGroup(size: 2)));
        Assert.Contains("multiple of the rank count (2)", e.Message);
    }

    [Fact]
    public void Progress_reports_come_from_rank_0_with_the_loss_and_the_checkpoint()
    {
        var reports = new System.Collections.Generic.List<DistributedProgress>();
        string checkpoint = Path.Combine(_folder, "progress.safetensors");
        DataParallelTrainer.Fit(new SgdNet(), SyntheticData.Classes(40, seed: 6), Options(shards: 2) with
        {
            Epochs = 1, CheckpointPath = checkpoint, ValidationData = SyntheticData.Classes(10, seed: 7), Progress = new ListProgress(reports),
        }, SingleProcessCollectives.Instance);
        DistributedProgress last = Assert.Single(reports);
        Assert.True(last.EpochEnded);
        Assert.Equal(5, last.StepsPerEpoch);
        Assert.Equal(checkpoint, last.Checkpoint);
        Assert.True(last.Loss is > 0 and < 5 && last.ValidationLoss is > 0 and < 5 && last.ValidationAccuracy is >= 0 and <= 1, last.ToString());
        Assert.Contains("val_accuracy", last.ToString());
        Assert.True(File.Exists(checkpoint));
    }

    private static DataParallelOptions Options(int shards) => new() { Epochs = 2, GlobalBatchSize = 8, ShardCount = shards, Seed = 3 };

    private static byte[] Bits(Span<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    private sealed class ListProgress(System.Collections.Generic.List<DistributedProgress> list) : IProgress<DistributedProgress>
    {
        public void Report(DistributedProgress value) => list.Add(value);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Numerics;

namespace NetGen.Distributed;

/// <summary>
/// Data-parallel training: every rank holds the same network, takes its parts of every global batch, and all
/// ranks apply the same update from the all-gathered, fixed-order sum of the parts' gradients, so the networks
/// stay identical bit for bit. Rank 0 reports progress and writes the checkpoints. See docs/distributed.md.
/// </summary>
public static class DataParallelTrainer
{
    /// <summary>Trains a float network; see <see cref="Fit{TNetwork, T}"/>.</summary>
    public static DataParallelResult Fit<TNetwork>(TNetwork network, Dataset data, DataParallelOptions options, ICollectives group)
        where TNetwork : INetwork<float> => Fit<TNetwork, float>(network, data, options, group);

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="data"/> with <paramref name="group"/>'s ranks. Every rank calls it
    /// with the same network type, initial parameters, data and options (or resumes from the same checkpoint).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (named) or the data does not fit the network.</exception>
    /// <exception cref="InvalidOperationException">Some rank starts from other parameters, data or options than rank 0 (named).</exception>
    /// <exception cref="NotSupportedException">The network's update cannot be reproduced from given gradients (checked on the first batch).</exception>
    /// <exception cref="System.IO.InvalidDataException">The checkpoint to resume from does not fit this run (the setting is named).</exception>
    public static DataParallelResult Fit<TNetwork, T>(TNetwork network, Dataset data, DataParallelOptions options, ICollectives group)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GlobalBatchSize, 1, nameof(options.GlobalBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CheckpointEverySteps, nameof(options.CheckpointEverySteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ProgressEverySteps, 1, nameof(options.ProgressEverySteps));
        if (data.Count == 0) throw new ArgumentException("The training data is empty.", nameof(data));
        ShardPlan plan = ShardPlan.Create(options.ShardCount, group.Size, group.Rank);
        int batchSize = Math.Min(options.GlobalBatchSize, data.Count);
        int stepsPerEpoch = (data.Count + batchSize - 1) / batchSize;
        var position = new TrainingPosition(0, 0, 0, plan.Shards, options.GlobalBatchSize, options.Seed, data.Count);
        if (options.ResumeFrom is { } resume) position = DistributedCheckpoint.Load<TNetwork, T>(network, resume, position);

        RankAgreement.Check<TNetwork, T>(group, network, data.Count, options, plan.Shards);

        var step = new ShardedGradientStep<TNetwork, T>(network, data, plan, group, batchSize);
        var order = new int[data.Count];
        var epochLosses = new List<double>();
        bool isReporter = group.Rank == 0;
        long globalStep = position.GlobalStep, stepsThisRun = 0, samplesThisRun = 0;
        var clock = Stopwatch.StartNew();

        for (int epoch = position.Epoch; epoch < options.Epochs; epoch++)
        {
            // The epoch's order depends only on (seed, epoch), so a resumed run shuffles as the first run did.
            Order(order, options.Shuffle, options.Seed, epoch);
            int firstStep = epoch == position.Epoch ? position.StepInEpoch : 0;
            double lossSum = 0;
            int lossSteps = 0;
            for (int s = firstStep; s < stepsPerEpoch; s++)
            {
                if (options.MaxSteps > 0 && globalStep >= options.MaxSteps) return Result();
                int start = s * batchSize, rows = Math.Min(batchSize, data.Count - start);
                lossSum += step.Run(data, order.AsSpan(start, rows));
                lossSteps++;
                globalStep++;
                stepsThisRun++;
                samplesThisRun += rows;

                // Rank 0 writes the checkpoint of the position after this step, at the interval and at the epoch's end.
                bool epochEnds = s == stepsPerEpoch - 1;
                string? checkpoint = null;
                if (isReporter && options.CheckpointPath is { } path && (epochEnds || (options.CheckpointEverySteps > 0 && globalStep % options.CheckpointEverySteps == 0)))
                {
                    var next = epochEnds ? position with { Epoch = epoch + 1, StepInEpoch = 0 } : position with { Epoch = epoch, StepInEpoch = s + 1 };
                    DistributedCheckpoint.Save<TNetwork, T>(network, path, next with { GlobalStep = globalStep });
                    checkpoint = path;
                }
                if (isReporter && options.Progress is { } progress && (epochEnds || checkpoint is not null || (s + 1) % options.ProgressEverySteps == 0))
                {
                    // At an epoch's end: the validation loss (dropout off) and, for a classifier, its accuracy.
                    EvaluationReport? validation = epochEnds && options.ValidationData is { Count: > 0 } v ? Evaluation.Evaluate<TNetwork, T>(network, v) : null;
                    progress.Report(new DistributedProgress(epoch + 1, options.Epochs, s + 1, stepsPerEpoch, globalStep, lossSum / lossSteps,
                        samplesThisRun / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), epochEnds, validation?.Loss, (validation as ClassificationReport)?.Accuracy, checkpoint));
                }
                options.StepCompleted?.Invoke(globalStep);
            }
            if (lossSteps > 0) epochLosses.Add(lossSum / lossSteps);
        }
        return Result();

        DataParallelResult Result() => new(epochLosses.ToArray(), globalStep, stepsThisRun, samplesThisRun, clock.Elapsed, Stopwatch.GetElapsedTime(0, step.CommunicationTicks));
    }

    /// <summary>Sample order of an epoch: identity, or a Fisher–Yates shuffle seeded from (seed, epoch).</summary>
    private static void Order(int[] order, bool shuffle, int seed, int epoch)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (!shuffle) return;
        var rng = SplitMix64.FromSeed(unchecked(seed * 1_000_003 + epoch));
        DatasetTransforms.Shuffle(order, ref rng);
    }
}

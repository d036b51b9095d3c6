using System;
using NetGen.Data;

namespace NetGen.Distributed;

/// <summary>How <see cref="DataParallelTrainer"/> trains. Every rank must pass the same values.</summary>
public sealed record DataParallelOptions
{
    /// <summary>Passes over the training data. Default 1.</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Samples per optimizer step, summed over all ranks (the last batch of an epoch may be smaller). Default 64.</summary>
    public int GlobalBatchSize { get; init; } = 64;
    /// <summary>
    /// How many contiguous parts every global batch is cut into; each part's gradient is computed on its own and
    /// the parts are summed in part order. The weights depend on this number and not on the rank count, so a run
    /// with 1, 2 or 4 ranks and the same <see cref="ShardCount"/> gives bit-identical weights. Must be a multiple of
    /// the rank count; 0 (the default) means one part per rank.
    /// </summary>
    public int ShardCount { get; init; }
    /// <summary>Shuffles the sample order every epoch (from <see cref="Seed"/> and the epoch number). Default true.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>The seed of the shuffles.</summary>
    public int Seed { get; init; }
    /// <summary>Stops after this many optimizer steps in all (resumed steps included); 0 means no limit.</summary>
    public long MaxSteps { get; init; }
    /// <summary>Where rank 0 writes checkpoints (atomically); null writes none.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Checkpoint every this many steps as well as at every epoch's end; 0 means at epoch ends only.</summary>
    public int CheckpointEverySteps { get; init; }
    /// <summary>A checkpoint to resume from: every rank loads it and continues from the step after it.</summary>
    public string? ResumeFrom { get; init; }
    /// <summary>Data rank 0 computes the loss of at the end of every epoch; null for none.</summary>
    public Dataset? ValidationData { get; init; }
    /// <summary>Receives progress on rank 0 only (other ranks never call it); null for none.</summary>
    public IProgress<DistributedProgress>? Progress { get; init; }
    /// <summary>Report progress every this many steps (and at every epoch's end). Default 100.</summary>
    public int ProgressEverySteps { get; init; } = 100;
    /// <summary>Called on every rank after every step (and its checkpoint) with the number of steps taken so far.</summary>
    public Action<long>? StepCompleted { get; init; }
}

/// <summary>What rank 0 reports while training.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="GlobalStep">Steps done in all.</param>
/// <param name="Loss">The mean training loss of this epoch's steps so far (each step's loss is its global batch's mean).</param>
/// <param name="SamplesPerSecond">Training samples per second over all ranks since this process started training.</param>
/// <param name="EpochEnded">True for the report at an epoch's end.</param>
/// <param name="ValidationLoss">The validation loss at an epoch's end, when validation data was given.</param>
/// <param name="ValidationAccuracy">The validation accuracy at an epoch's end, when validation data was given and the network is a classifier.</param>
/// <param name="Checkpoint">The checkpoint written at this step, or null.</param>
public sealed record DistributedProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, long GlobalStep, double Loss,
    double SamplesPerSecond, bool EpochEnded, double? ValidationLoss, double? ValidationAccuracy, string? Checkpoint)
{
    /// <summary>One line for a console: <c>epoch 1/3  step 100/938  loss 0.5213  12,345 samples/s</c>.</summary>
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}  step {Step}/{StepsPerEpoch}  loss {Loss:F4}" +
        (ValidationLoss is double v ? $"  val_loss {v:F4}" : "") + (ValidationAccuracy is double a ? $"  val_accuracy {a:P2}" : "") + $"  {SamplesPerSecond:N0} samples/s" +
        (Checkpoint is null ? "" : $"  checkpoint {Checkpoint}");
}

/// <summary>The outcome of <see cref="DataParallelTrainer"/>'s training, the same on every rank.</summary>
/// <param name="EpochLosses">The mean training loss of every epoch completed in this run (a resumed run lists only its own).</param>
/// <param name="Steps">Steps taken in all, resumed ones included.</param>
/// <param name="StepsThisRun">Steps taken by this run.</param>
/// <param name="SamplesThisRun">Samples trained on by this run, all ranks together.</param>
/// <param name="Elapsed">The wall time of this run's training.</param>
/// <param name="CommunicationTime">This rank's time inside the all-gather, waiting for slower ranks included.</param>
public sealed record DataParallelResult(double[] EpochLosses, long Steps, long StepsThisRun, long SamplesThisRun, TimeSpan Elapsed, TimeSpan CommunicationTime)
{
    /// <summary>Samples per second, all ranks together.</summary>
    public double SamplesPerSecond => SamplesThisRun / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

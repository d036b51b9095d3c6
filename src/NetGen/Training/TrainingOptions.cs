using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>A metric tracked per epoch alongside the loss, on the training batches and on the validation set.</summary>
public enum TrainingMetric
{
    /// <summary>"accuracy": arg-max output (or output ≥ 0.5 for one output) equals the label.</summary>
    Accuracy,
    /// <summary>"mae": mean absolute error over every output.</summary>
    MeanAbsoluteError,
    /// <summary>"mse": mean squared error over every output.</summary>
    MeanSquaredError,
}

/// <summary>How <see cref="Trainer.Fit{TNetwork, T}(TNetwork, Data.Dataset, TrainingOptions)"/> trains. Batch, stochastic and mini-batch gradient descent are all just batch sizes.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data (Keras's default: 1).</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Samples per step: 1 is stochastic gradient descent, the dataset size is full-batch. The last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Reorders the training samples every epoch.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Seeds the shuffling, so the same seed gives the same batches.</summary>
    public int Seed { get; init; }
    /// <summary>The fraction of the data (its last samples, before shuffling, as Keras does) held out for validation; 0 for none.</summary>
    public double ValidationSplit { get; init; }
    /// <summary>A separate validation set (instead of <see cref="ValidationSplit"/>).</summary>
    public Dataset? ValidationData { get; init; }
    /// <summary>Metrics tracked beside the loss ("accuracy", "mae", "mse"); each costs one extra forward pass per training batch.</summary>
    public IReadOnlyList<TrainingMetric> Metrics { get; init; } = Array.Empty<TrainingMetric>();
    /// <summary>Called at the start and end of training and of each epoch (early stopping, learning-rate schedules, ...).</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = Array.Empty<TrainingCallback>();
    /// <summary>Receives a report after each batch and at each epoch's start and end; null for silence. See <see cref="ConsoleProgressReporter"/>.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>
    /// Stops training when a batch's loss is NaN or infinite, undoing that step and explaining why in
    /// <see cref="History.Divergence"/> and <see cref="History.StopReason"/>. Costs one copy of the parameters and
    /// optimizer state every 32 steps (a failing step is undone by restoring it and replaying the steps since).
    /// </summary>
    public bool StopOnNonFiniteLoss { get; init; } = true;
    /// <summary>Where a stop for a non-finite loss is written when <see cref="Progress"/> is null: standard error when null; <see cref="System.IO.TextWriter.Null"/> silences it.</summary>
    public System.IO.TextWriter? DiagnosticOutput { get; init; }
    /// <summary>
    /// Epochs already trained (Keras's <c>initial_epoch</c>): training runs epochs <c>InitialEpoch + 1</c> ..
    /// <see cref="Epochs"/>, and the shuffles of the skipped epochs are replayed first, so a network restored with
    /// <c>SafeTensors.LoadCheckpoint</c> from after epoch k and trained on with <c>InitialEpoch = k</c> (and the same
    /// options otherwise) ends bit for bit where an uninterrupted run ends.
    /// </summary>
    public int InitialEpoch { get; init; }
    /// <summary>
    /// The learning rate training began with, which schedules scale (<see cref="TrainingContext.InitialLearningRate"/>);
    /// null takes the network's rate when <c>Fit</c> starts. Resuming sets it to the first run's, as
    /// <see cref="ModelCheckpoint.Resume"/> does, since by then the network holds a scheduled rate.
    /// </summary>
    public double? InitialLearningRate { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 0, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialEpoch, nameof(InitialEpoch));
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "Expected a fraction in [0, 1).");
        if (ValidationSplit > 0 && ValidationData is not null) throw new ArgumentException("Give either ValidationSplit or ValidationData, not both.");
    }
}

using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>What a <see cref="TrainingProgress"/> report is about.</summary>
public enum TrainingProgressKind
{
    /// <summary>An epoch is about to start.</summary>
    EpochBegin,
    /// <summary>A training batch has been stepped.</summary>
    BatchEnd,
    /// <summary>An epoch has ended (validation included); <see cref="TrainingProgress.Summary"/> holds its results.</summary>
    EpochEnd,
    /// <summary>Training stopped before its last epoch; <see cref="TrainingProgress.Message"/> says why.</summary>
    Stopped,
}

/// <summary>
/// One progress report. Reports after each batch are allocation free: <see cref="MetricValues"/> is a live
/// view of the running values, valid only during the <c>Report</c> call.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="Step">Batches done in this epoch.</param>
/// <param name="Steps">Batches per epoch.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="MetricNames">The names of the tracked training metrics ("accuracy", ...).</param>
/// <param name="MetricValues">Their running values, in the order of <paramref name="MetricNames"/>.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
/// <param name="Summary">The epoch's results, for <see cref="TrainingProgressKind.EpochEnd"/>.</param>
/// <param name="Message">Why training stopped, for <see cref="TrainingProgressKind.Stopped"/>.</param>
public readonly record struct TrainingProgress(
    TrainingProgressKind Kind,
    int Epoch,
    int Epochs,
    int Step,
    int Steps,
    double Loss,
    IReadOnlyList<string> MetricNames,
    ReadOnlyMemory<double> MetricValues,
    TimeSpan Elapsed,
    EpochSummary? Summary = null,
    string? Message = null);

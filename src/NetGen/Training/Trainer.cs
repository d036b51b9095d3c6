using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// Keras-style <c>fit</c> for any network. Generic over the network type, so the JIT specialises the loop for
/// value-type networks and calls each batch method directly.
/// </summary>
public static class Trainer
{
    /// <summary>Trains a float network; see <see cref="Fit{TNetwork, T}(TNetwork, Dataset, TrainingOptions)"/>.</summary>
    public static History Fit<TNetwork>(TNetwork network, Dataset data, TrainingOptions options) where TNetwork : INetwork<float>
        => Fit<TNetwork, float>(network, data, options);

    /// <summary>
    /// Trains a double-precision network (<c>Precision = Precision.Double</c>); see <see cref="Fit{TNetwork, T}(TNetwork, Dataset, TrainingOptions)"/>. This
    /// overload lets <c>Trainer.Fit(net, data, options)</c> compile for such networks without spelling the type
    /// arguments. Give a dataset of doubles (<see cref="Dataset(double[], double[], int, int, int, string[])"/>) to
    /// train on unrounded values.
    /// </summary>
    public static History Fit(INetwork<double> network, Dataset data, TrainingOptions options)
        => Fit<INetwork<double>, double>(network, data, options);

    /// <summary>Trains a float token-input network on token ids; see <see cref="Fit{TNetwork, T}(TNetwork, TokenDataset, TrainingOptions)"/>.</summary>
    public static History Fit<TNetwork>(TNetwork network, TokenDataset data, TrainingOptions options) where TNetwork : ITokenNetwork<float>
        => Fit<TNetwork, float>(network, data, options);

    /// <summary>Trains a double token-input network; lets the call compile without type arguments.</summary>
    public static History Fit(ITokenNetwork<double> network, TokenDataset data, TrainingOptions options)
        => Fit<ITokenNetwork<double>, double>(network, data, options);

    /// <summary>
    /// Trains a token-input network (<c>[Input(t)] [Embedding(...)] ...</c>) on token ids, exactly as
    /// <see cref="Fit{TNetwork, T}(TNetwork, Dataset, TrainingOptions)"/> trains a float network: class ids are
    /// one-hot encoded per sample or per time step (<see cref="IClassIndexTargets{TInput, T}.LabelsPerSample"/>),
    /// float targets used as they are. <see cref="TrainingOptions.ValidationData"/>, when given, is
    /// <see cref="TokenDataset.AsDataset"/> of the validation samples.
    /// </summary>
    public static History Fit<TNetwork, T>(TNetwork network, TokenDataset data, TrainingOptions options)
        where TNetwork : ITokenNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return Fit<TokenInputAdapter<TNetwork, T>, T>(new TokenInputAdapter<TNetwork, T>(network), data.AsDataset(), options);
    }

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="data"/> for <see cref="TrainingOptions.Epochs"/> epochs:
    /// each epoch shuffles (seeded), steps through batches of <see cref="TrainingOptions.BatchSize"/> with
    /// <c>TrainStep</c>, then measures the validation set. Targets are used as they are when they have
    /// <c>OutputSize</c> values per sample, and one-hot encoded when they are one class label per sample.
    /// After the first epoch no step allocates (with <see cref="TrainingOptions.Progress"/> null).
    /// </summary>
    /// <remarks>
    /// When a step's loss is NaN or infinite (and <see cref="TrainingOptions.StopOnNonFiniteLoss"/>, the default),
    /// training stops as Keras's <c>TerminateOnNaN</c> does, without throwing: the step is undone (parameters,
    /// optimizer state, step count and dropout state as before it), the cause is found (a non-finite input or
    /// target, named by its row of <paramref name="data"/>, else an overflow with a learning-rate hint) and put in
    /// <see cref="History.Divergence"/> and <see cref="History.StopReason"/>, the cut-short epoch is recorded in
    /// <see cref="History.Epochs"/> (with <see cref="EpochSummary.Completed"/> false), and the message is printed by
    /// the progress reporter, or, with none, written to <see cref="TrainingOptions.DiagnosticOutput"/> (standard error).
    /// </remarks>
    /// <returns>Every epoch's loss and metrics, and why training stopped.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network, or the options are inconsistent.</exception>
    public static History Fit<TNetwork, T>(TNetwork network, Dataset data, TrainingOptions options)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        (DatasetRange train, DatasetRange? validation) = SplitValidation(data, options);
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(data));

        var loop = new TrainingLoop<TNetwork, T>(network, train, validation, options);
        var history = new History();
        var context = new TrainingContext<TNetwork, T>(network, options.Epochs, history, options.InitialLearningRate);
        var validationMetrics = new double[loop.MetricNames.Length];
        loop.InitialLearningRate = context.InitialLearningRate;
        loop.Evaluations = history.EvaluationList;
        IProgress<TrainingProgress>? progress = options.Progress;
        // Resuming at InitialEpoch: the shuffles of the epochs already trained are replayed, so batches repeat.
        loop.SkipEpochs(options.InitialEpoch);

        foreach (TrainingCallback c in options.Callbacks) c.OnTrainingBegin(context);
        for (int e = options.InitialEpoch; e < options.Epochs && !context.StopRequested; e++)
        {
            foreach (TrainingCallback c in options.Callbacks) c.OnEpochBegin(context, e);
            long started = Stopwatch.GetTimestamp();
            double learningRate = network.LearningRate;
            progress?.Report(new TrainingProgress(TrainingProgressKind.EpochBegin, e + 1, options.Epochs, 0, loop.StepsPerEpoch, 0,
                loop.MetricNames, loop.MetricValues, TimeSpan.Zero));

            EpochTotals totals = loop.RunEpoch(e + 1, options.Epochs, options.StopOnNonFiniteLoss, progress);
            if (totals.Divergence is { } divergence)
            {
                history.StoppedOnNonFiniteLoss = true;
                history.Divergence = divergence;
                context.RequestStop(divergence.Message);
            }

            // The epoch's values; an epoch cut short by a divergence records the steps before it (Keras records it too).
            var values = new Dictionary<string, double> { ["loss"] = totals.Loss };
            for (int m = 0; m < loop.MetricNames.Length; m++) values[loop.MetricNames[m]] = loop.MetricValues[m];
            if (loop.HasValidation)
            {
                values["val_loss"] = loop.Validate(validationMetrics);
                for (int m = 0; m < loop.MetricNames.Length; m++) values["val_" + loop.MetricNames[m]] = validationMetrics[m];
            }
            var summary = new EpochSummary(e + 1, totals.Steps, Stopwatch.GetElapsedTime(started), learningRate, values, completed: totals.Divergence is null);
            history.Add(summary);
            progress?.Report(new TrainingProgress(TrainingProgressKind.EpochEnd, e + 1, options.Epochs, totals.Steps, loop.StepsPerEpoch,
                totals.Loss, loop.MetricNames, loop.MetricValues, summary.Elapsed, summary));
            foreach (TrainingCallback c in options.Callbacks) c.OnEpochEnd(context, summary);
        }
        foreach (TrainingCallback c in options.Callbacks) c.OnTrainingEnd(context);

        history.StopReason = context.StopReason;
        if (context.StopReason is not null)
        {
            progress?.Report(new TrainingProgress(TrainingProgressKind.Stopped, history.Epochs.Count == 0 ? options.InitialEpoch : history.Epochs[^1].Epoch,
                options.Epochs, 0, loop.StepsPerEpoch, double.NaN, loop.MetricNames, loop.MetricValues, TimeSpan.Zero, Message: context.StopReason));
        }
        // A divergence is never silent: without a progress reporter to print it, it goes to DiagnosticOutput (stderr).
        if (history.Divergence is not null && progress is null) (options.DiagnosticOutput ?? Console.Error).WriteLine(history.Divergence.Message);
        return history;
    }

    /// <summary>
    /// Holds out the last <see cref="TrainingOptions.ValidationSplit"/> of the samples (before shuffling, as Keras):
    /// two row ranges of <paramref name="data"/>, nothing copied.
    /// </summary>
    private static (DatasetRange Train, DatasetRange? Validation) SplitValidation(Dataset data, TrainingOptions options)
    {
        if (options.ValidationData is not null) return (DatasetRange.All(data), DatasetRange.All(options.ValidationData));
        if (options.ValidationSplit <= 0) return (DatasetRange.All(data), null);
        int validationCount = (int)Math.Floor(data.Count * options.ValidationSplit);
        if (validationCount == 0) return (DatasetRange.All(data), null);
        int trainCount = data.Count - validationCount;
        return (new DatasetRange(data, 0, trainCount), new DatasetRange(data, trainCount, validationCount));
    }
}

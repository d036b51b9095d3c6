using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen.Serialization;

namespace NetGen.Training;

/// <summary>
/// Saves a checkpoint after every epoch (Keras's <c>ModelCheckpoint</c>): parameters, optimizer state, step count,
/// learning rate and dropout state (<see cref="SafeTensors.SaveCheckpoint{TNetwork, T}"/>), plus the epoch in
/// <c>__metadata__</c>. Each save is atomic, so a process killed while saving leaves the previous checkpoint
/// loadable. To resume: <c>SafeTensors.LoadCheckpoint(net, path)</c>, then
/// <c>Trainer.Fit(net, data, ModelCheckpoint.Resume(options, path))</c> with the first run's options; the weights end bit
/// for bit as an uninterrupted run's (learning-rate schedules included; early stopping's patience restarts, as Keras's does).
/// </summary>
/// <param name="path">The checkpoint file, overwritten each epoch.</param>
public sealed class ModelCheckpoint(string path) : TrainingCallback
{
    /// <summary>Metadata key of the number of epochs trained when the checkpoint was saved.</summary>
    public const string EpochKey = "netgen.epoch";
    /// <summary>Metadata key of the learning rate training began with (what schedules scale).</summary>
    public const string InitialLearningRateKey = "netgen.initial_learning_rate";

    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochSummary summary)
    {
        // An epoch cut short by a non-finite loss is not a point to resume from.
        if (!summary.Completed) return;
        context.SaveCheckpoint(Path, new Dictionary<string, string>
        {
            [EpochKey] = summary.Epoch.ToString(CultureInfo.InvariantCulture),
            [InitialLearningRateKey] = context.InitialLearningRate.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// <paramref name="options"/> set to continue from <paramref name="checkpointPath"/>: <see cref="TrainingOptions.InitialEpoch"/>
    /// from the epoch saved, <see cref="TrainingOptions.InitialLearningRate"/> from the first run's.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint saved by <see cref="ModelCheckpoint"/>.</exception>
    public static TrainingOptions Resume(TrainingOptions options, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        SafeTensorsFile file = SafeTensorsFile.Read(checkpointPath);
        double? initialRate = file.Metadata.TryGetValue(InitialLearningRateKey, out string? text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) ? rate : null;
        return options with { InitialEpoch = ReadEpoch(file, checkpointPath), InitialLearningRate = initialRate ?? options.InitialLearningRate };
    }

    /// <summary>The number of epochs trained when <paramref name="checkpointPath"/> was saved: the <c>InitialEpoch</c> to resume with.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint saved by <see cref="ModelCheckpoint"/>.</exception>
    public static int ReadEpoch(string checkpointPath) => ReadEpoch(SafeTensorsFile.Read(checkpointPath), checkpointPath);

    private static int ReadEpoch(SafeTensorsFile file, string checkpointPath)
    {
        if (!file.Metadata.TryGetValue(EpochKey, out string? text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw new InvalidDataException($"{checkpointPath}: '__metadata__' has no '{EpochKey}'; it was not saved by ModelCheckpoint.");
        return epoch;
    }
}

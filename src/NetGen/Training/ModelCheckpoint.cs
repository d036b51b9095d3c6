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
/// loadable. To resume: <c>SafeTensors.LoadCheckpoint(net, path)</c>, then <c>Trainer.Fit</c> with the same options
/// and <c>InitialEpoch = ModelCheckpoint.ReadEpoch(path)</c>; the result is bit for bit that of an uninterrupted run.
/// </summary>
/// <param name="path">The checkpoint file, overwritten each epoch.</param>
public sealed class ModelCheckpoint(string path) : TrainingCallback
{
    /// <summary>Metadata key of the number of epochs trained when the checkpoint was saved.</summary>
    public const string EpochKey = "netgen.epoch";

    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochSummary summary)
    {
        // An epoch cut short by a non-finite loss is not a point to resume from.
        if (!summary.Completed) return;
        context.SaveCheckpoint(Path, new Dictionary<string, string> { [EpochKey] = summary.Epoch.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>The number of epochs trained when <paramref name="checkpointPath"/> was saved: the <c>InitialEpoch</c> to resume with.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint saved by <see cref="ModelCheckpoint"/>.</exception>
    public static int ReadEpoch(string checkpointPath)
    {
        SafeTensorsFile file = SafeTensorsFile.Read(checkpointPath);
        if (!file.Metadata.TryGetValue(EpochKey, out string? text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw new InvalidDataException($"{checkpointPath}: '__metadata__' has no '{EpochKey}'; it was not saved by ModelCheckpoint.");
        return epoch;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using NetGen.Serialization;

namespace NetGen.Distributed;

/// <summary>Where a data-parallel run stands: the next step to take, and the settings a resume must share.</summary>
/// <param name="Epoch">The epoch of the next step, 0-based.</param>
/// <param name="StepInEpoch">The next step within that epoch, 0-based.</param>
/// <param name="GlobalStep">Steps taken so far.</param>
/// <param name="Shards">Parts per global batch.</param>
/// <param name="GlobalBatchSize">Samples per global batch.</param>
/// <param name="Seed">The shuffle seed.</param>
/// <param name="Samples">The number of training samples.</param>
internal readonly record struct TrainingPosition(int Epoch, int StepInEpoch, long GlobalStep, int Shards, int GlobalBatchSize, int Seed, int Samples);

/// <summary>
/// Checkpoints of a data-parallel run: the network's full training state (parameters, optimizer state, step,
/// learning rate, random state; <see cref="SafeTensors.SaveCheckpoint{TNetwork, T}"/>, written atomically) plus the
/// position in the data as <c>__metadata__</c> entries <c>netgen.distributed.*</c>.
/// </summary>
internal static class DistributedCheckpoint
{
    private const string Prefix = "netgen.distributed.";

    /// <summary>Writes the checkpoint atomically: a reader sees the previous checkpoint or this one, never a mix.</summary>
    public static void Save<TNetwork, T>(TNetwork network, string path, TrainingPosition p)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var metadata = new Dictionary<string, string>
        {
            [Prefix + "epoch"] = Text(p.Epoch),
            [Prefix + "step_in_epoch"] = Text(p.StepInEpoch),
            [Prefix + "global_step"] = Text(p.GlobalStep),
            [Prefix + "shards"] = Text(p.Shards),
            [Prefix + "global_batch"] = Text(p.GlobalBatchSize),
            [Prefix + "seed"] = Text(p.Seed),
            [Prefix + "samples"] = Text(p.Samples),
        };
        SafeTensors.SaveCheckpoint<TNetwork, T>(network, path, metadata);
    }

    /// <summary>Loads the network's state and returns the position; the run's settings must match the checkpoint's.</summary>
    /// <exception cref="InvalidDataException">The file is not a data-parallel checkpoint, or was written with other settings (named).</exception>
    public static TrainingPosition Load<TNetwork, T>(TNetwork network, string path, TrainingPosition expected)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyDictionary<string, string> m = SafeTensorsFile.Read(path).Metadata;
        var saved = new TrainingPosition((int)Read(m, path, "epoch"), (int)Read(m, path, "step_in_epoch"), Read(m, path, "global_step"),
            (int)Read(m, path, "shards"), (int)Read(m, path, "global_batch"), (int)Read(m, path, "seed"), (int)Read(m, path, "samples"));
        Match(path, "shards (ShardCount)", saved.Shards, expected.Shards);
        Match(path, "global_batch (GlobalBatchSize)", saved.GlobalBatchSize, expected.GlobalBatchSize);
        Match(path, "seed (Seed)", saved.Seed, expected.Seed);
        Match(path, "samples (the training set's size)", saved.Samples, expected.Samples);
        SafeTensors.LoadCheckpoint<TNetwork, T>(network, path);
        return saved;
    }

    private static void Match(string path, string what, long saved, long now)
    {
        if (saved != now)
            throw new InvalidDataException($"{path}: the checkpoint was written with {what} = {saved}, this run has {now}; resuming would not continue the same training.");
    }

    private static long Read(IReadOnlyDictionary<string, string> m, string path, string key)
    {
        if (!m.TryGetValue(Prefix + key, out string? text))
            throw new InvalidDataException($"{path}: '__metadata__' has no '{Prefix + key}'; this is not a checkpoint written by DataParallelTrainer.");
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw new InvalidDataException($"{path}: '__metadata__' entry '{Prefix + key}' is '{text}', not an integer.");
        return value;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit{TNetwork, T}(TNetwork, Data.Dataset, TrainingOptions)"/>: override what you need. Callbacks run once per epoch,
/// never per batch, so they may allocate.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainingBegin(TrainingContext context) { }
    /// <summary>Before epoch <paramref name="epochIndex"/> (counting from 0) trains.</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epochIndex) { }
    /// <summary>After an epoch, validation included.</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochSummary summary) { }
    /// <summary>After the last epoch, or after training stopped.</summary>
    public virtual void OnTrainingEnd(TrainingContext context) { }
}

/// <summary>An opaque copy of a network's parameters, taken by <see cref="TrainingContext.CaptureParameters"/>.</summary>
public sealed class ParameterSnapshot
{
    internal ParameterSnapshot(Array values) => Values = values;
    internal Array Values { get; }

    /// <summary>The number of parameters held.</summary>
    public int Count => Values.Length;
    /// <summary>Their element type (<see cref="float"/> or <see cref="double"/>).</summary>
    public Type ElementType => Values.GetType().GetElementType()!;

    /// <summary>Copies the parameters out, converted to <typeparamref name="TValue"/> when the types differ.</summary>
    public TValue[] ToArray<TValue>() where TValue : unmanaged, System.Numerics.INumberBase<TValue> => Values switch
    {
        TValue[] same => (TValue[])same.Clone(),
        float[] f => Array.ConvertAll(f, TValue.CreateTruncating),
        double[] d => Array.ConvertAll(d, TValue.CreateTruncating),
        _ => throw new NotSupportedException($"Snapshots of {ElementType} cannot be converted."),
    };

    /// <summary>"ParameterSnapshot(101 × Single)".</summary>
    public override string ToString() => $"ParameterSnapshot({Count} × {ElementType.Name})";
}

/// <summary>What a <see cref="TrainingCallback"/> sees of the training in progress, whatever the network's element type.</summary>
public abstract class TrainingContext
{
    private protected TrainingContext(int epochs, History history, double initialLearningRate)
    {
        Epochs = epochs;
        History = history;
        InitialLearningRate = initialLearningRate;
    }

    /// <summary>The number of epochs asked for.</summary>
    public int Epochs { get; }
    /// <summary>The epochs so far.</summary>
    public History History { get; }
    /// <summary>The network's learning rate when training began.</summary>
    public double InitialLearningRate { get; }
    /// <summary>The network's learning rate (<see cref="INetworkState{T}.LearningRate"/>); setting it changes the next step's.</summary>
    public abstract double LearningRate { get; set; }
    /// <summary>True once a callback asked training to stop.</summary>
    public bool StopRequested { get; private set; }
    /// <summary>Why, as given to <see cref="RequestStop"/>.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Ends training after the current epoch.</summary>
    public void RequestStop(string reason)
    {
        StopRequested = true;
        StopReason ??= reason;
    }

    /// <summary>Copies the network's parameters, into <paramref name="reuse"/> when it came from this network.</summary>
    public abstract ParameterSnapshot CaptureParameters(ParameterSnapshot? reuse = null);
    /// <summary>Puts back parameters captured from this network.</summary>
    public abstract void RestoreParameters(ParameterSnapshot snapshot);

    /// <summary>Saves the network's checkpoint (<c>SafeTensors.SaveCheckpoint</c>) atomically, with extra metadata.</summary>
    internal virtual void SaveCheckpoint(string path, IReadOnlyDictionary<string, string> metadata) =>
        throw new NotSupportedException("This context has no network to save.");
}

/// <summary>The context over a concrete network.</summary>
internal sealed class TrainingContext<TNetwork, T> : TrainingContext
    where TNetwork : INetwork<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private readonly TNetwork _network;

    public TrainingContext(TNetwork network, int epochs, History history, double? initialLearningRate = null)
        : base(epochs, history, initialLearningRate ?? network.LearningRate) => _network = network;

    public override double LearningRate { get => _network.LearningRate; set => _network.LearningRate = value; }

    public override ParameterSnapshot CaptureParameters(ParameterSnapshot? reuse = null)
    {
        if (reuse?.Values is T[] values && values.Length == _network.ParameterCount)
        {
            _network.Parameters.CopyTo(values);
            return reuse;
        }
        return new ParameterSnapshot(_network.Parameters.ToArray());
    }

    internal override void SaveCheckpoint(string path, IReadOnlyDictionary<string, string> metadata) =>
        NetGen.Serialization.SafeTensors.SaveCheckpoint<TNetwork, T>(_network, path, metadata);

    public override void RestoreParameters(ParameterSnapshot snapshot)
    {
        if (snapshot.Values is not T[] values || values.Length != _network.ParameterCount)
            throw new ArgumentException("The snapshot was not taken from this network.", nameof(snapshot));
        values.CopyTo(_network.Parameters);
    }
}

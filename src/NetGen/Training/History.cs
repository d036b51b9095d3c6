using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>One epoch's results.</summary>
public sealed class EpochSummary
{
    internal EpochSummary(int epoch, int steps, TimeSpan elapsed, double learningRate, IReadOnlyDictionary<string, double> values, bool completed = true)
    {
        Completed = completed;
        Epoch = epoch;
        Steps = steps;
        Elapsed = elapsed;
        LearningRate = learningRate;
        Values = values;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }
    /// <summary>False for an epoch cut short by a non-finite loss: its values cover the steps before the failing one (loss NaN when there were none).</summary>
    public bool Completed { get; }
    /// <summary>Training batches stepped (with a finite loss).</summary>
    public int Steps { get; }
    /// <summary>Wall-clock time of the epoch, validation included.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>The learning rate the epoch trained with.</summary>
    public double LearningRate { get; }
    /// <summary>Every value by Keras's name: "loss", metrics ("accuracy", "mae", "mse"), and with validation "val_loss", "val_accuracy", ...</summary>
    public IReadOnlyDictionary<string, double> Values { get; }
    /// <summary>The mean training loss.</summary>
    public double Loss => Values["loss"];
    /// <summary>The validation loss, or null without validation data.</summary>
    public double? ValidationLoss => Values.TryGetValue("val_loss", out double v) ? v : null;
}

/// <summary>What <see cref="Trainer.Fit{TNetwork, T}(TNetwork, Data.Dataset, TrainingOptions)"/> returns: every epoch's results and why training ended.</summary>
public sealed class History
{
    private readonly List<EpochSummary> _epochs = new();

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochSummary> Epochs => _epochs;
    /// <summary>Why training stopped before its last epoch (early stopping, a non-finite loss), or null when it ran them all.</summary>
    public string? StopReason { get; internal set; }
    /// <summary>True when a batch's loss was NaN or infinite.</summary>
    public bool StoppedOnNonFiniteLoss { get; internal set; }
    /// <summary>Where and why a step's loss was NaN or infinite, when training stopped for it; else null.</summary>
    public TrainingDivergence? Divergence { get; internal set; }

    /// <summary>One value per epoch, by name ("loss", "val_loss", "accuracy", ...), as Keras's <c>history.history[name]</c>.</summary>
    /// <exception cref="KeyNotFoundException">No epoch recorded <paramref name="name"/>.</exception>
    public IReadOnlyList<double> this[string name]
    {
        get
        {
            var values = new List<double>(_epochs.Count);
            foreach (EpochSummary e in _epochs) if (e.Values.TryGetValue(name, out double v)) values.Add(v);
            if (values.Count == 0 && _epochs.Count > 0) throw new KeyNotFoundException($"No epoch recorded '{name}'; recorded: {string.Join(", ", _epochs[0].Values.Keys)}.");
            return values;
        }
    }

    internal void Add(EpochSummary summary) => _epochs.Add(summary);
}

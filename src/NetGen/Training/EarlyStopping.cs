using System;

namespace NetGen.Training;

/// <summary>Whether a monitored value should fall or rise.</summary>
public enum MonitorMode
{
    /// <summary>Rise for names containing "accuracy" or "r2", fall otherwise.</summary>
    Auto,
    /// <summary>Lower is better (losses, errors).</summary>
    Min,
    /// <summary>Higher is better (accuracy).</summary>
    Max,
}

/// <summary>
/// Stops training when a monitored value has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row (Keras's <c>EarlyStopping</c>). With <see cref="RestoreBestWeights"/>
/// the network ends training with the parameters of its best epoch, whether it stopped early or not.
/// </summary>
/// <param name="monitor">The value to watch, by its <see cref="EpochSummary.Values"/> name ("val_loss", "loss", "val_accuracy", ...).</param>
/// <param name="patience">Epochs without improvement to tolerate.</param>
/// <param name="minDelta">The smallest change that counts as an improvement.</param>
/// <param name="restoreBestWeights">Put back the best epoch's parameters at the end.</param>
/// <param name="mode">Whether lower or higher is better.</param>
public sealed class EarlyStopping(string monitor = "val_loss", int patience = 0, double minDelta = 0, bool restoreBestWeights = false, MonitorMode mode = MonitorMode.Auto)
    : TrainingCallback
{
    private ParameterSnapshot? _best;
    private int _wait;

    /// <summary>The value watched.</summary>
    public string Monitor { get; } = monitor;
    /// <summary>Epochs without improvement to tolerate.</summary>
    public int Patience { get; } = patience >= 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience));
    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; } = Math.Abs(minDelta);
    /// <summary>Whether the best epoch's parameters are put back at the end.</summary>
    public bool RestoreBestWeights { get; } = restoreBestWeights;
    /// <summary>True when higher values are better.</summary>
    public bool HigherIsBetter { get; } = mode == MonitorMode.Max
        || (mode == MonitorMode.Auto && (monitor.Contains("accuracy", StringComparison.OrdinalIgnoreCase) || monitor.Contains("r2", StringComparison.OrdinalIgnoreCase)));
    /// <summary>The best value seen so far.</summary>
    public double BestValue { get; private set; }
    /// <summary>The epoch (from 1) with the best value, 0 before the first.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The epoch (from 1) after which training was stopped, 0 if it was not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainingBegin(TrainingContext context)
    {
        BestValue = HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
        BestEpoch = 0;
        StoppedEpoch = 0;
        _wait = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochSummary summary)
    {
        if (!summary.Values.TryGetValue(Monitor, out double current))
            throw new InvalidOperationException(
                $"EarlyStopping monitors '{Monitor}', which this training does not record (it records: {string.Join(", ", summary.Values.Keys)}). " +
                "Give validation data for 'val_*' values, or monitor 'loss'.");
        bool improved = HigherIsBetter ? current > BestValue + MinDelta : current < BestValue - MinDelta;
        if (improved)
        {
            BestValue = current;
            BestEpoch = summary.Epoch;
            _wait = 0;
            if (RestoreBestWeights) _best = context.CaptureParameters(_best);
            return;
        }
        if (++_wait >= Math.Max(Patience, 1))
        {
            StoppedEpoch = summary.Epoch;
            context.RequestStop($"Early stopping: '{Monitor}' did not improve for {_wait} epoch(s); best {BestValue:G6} at epoch {BestEpoch}.");
        }
    }

    /// <inheritdoc/>
    public override void OnTrainingEnd(TrainingContext context)
    {
        if (RestoreBestWeights && _best is not null) context.RestoreParameters(_best);
    }
}

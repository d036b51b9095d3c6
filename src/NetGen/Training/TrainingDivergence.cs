using System;
using System.Globalization;

namespace NetGen.Training;

/// <summary>Why a training step's loss was not finite.</summary>
public enum DivergenceCause
{
    /// <summary>A sample of the batch has a NaN or infinite feature.</summary>
    NonFiniteInput,
    /// <summary>A sample of the batch has a NaN or infinite target.</summary>
    NonFiniteTarget,
    /// <summary>The data was finite, so the loss (or a layer's values) overflowed: usually a learning rate too high.</summary>
    LossOverflow,
}

/// <summary>
/// What <see cref="Trainer.Fit{TNetwork, T}(TNetwork, Data.Dataset, TrainingOptions)"/> records in <see cref="History.Divergence"/> when a step's loss is
/// NaN or infinite. By then the parameters, optimizer state, step count and dropout state are back to what they
/// were before that step, so the network still predicts as after the last finite step.
/// </summary>
/// <param name="Epoch">The epoch of the failing step, from 1.</param>
/// <param name="Step">The failing step within the epoch, from 1.</param>
/// <param name="Loss">The step's loss (NaN or ±∞).</param>
/// <param name="Cause">What was found.</param>
/// <param name="Row">The row of the training data (the <c>Dataset</c> given to <c>Fit</c>) at fault, for a non-finite input or target; else null.</param>
/// <param name="Column">The feature or target index within that row, for a non-finite input or target; else null.</param>
/// <param name="Layer">The first layer the network reported as non-finite in the failing pass, or null.</param>
/// <param name="LearningRate">The learning rate the failing step used.</param>
/// <param name="Message">The whole explanation, as in <see cref="History.StopReason"/>.</param>
public sealed record TrainingDivergence(
    int Epoch, int Step, double Loss, DivergenceCause Cause, int? Row, int? Column, string? Layer, double LearningRate, string Message)
{
    /// <summary>The explanation.</summary>
    public override string ToString() => Message;

    /// <summary>Writes the explanation a user reads: where it failed, why, and what to do.</summary>
    internal static string Explain(int epoch, int step, int steps, double loss, DivergenceCause cause, int? row, int? column, double value,
        string? layer, double learningRate)
    {
        var inv = CultureInfo.InvariantCulture;
        string where = string.Create(inv, $"Training stopped at epoch {epoch}, step {step}/{steps}: the loss became {FormatNumber(loss)}");
        string what = cause switch
        {
            DivergenceCause.NonFiniteInput => string.Create(inv,
                $" because row {row} of the training data has a non-finite input (feature {column} is {FormatNumber(value)}). Clean or impute the data; the loaders reject such cells unless told otherwise."),
            DivergenceCause.NonFiniteTarget => string.Create(inv,
                $" because row {row} of the training data has a non-finite target (target {column} is {FormatNumber(value)}). Clean or impute the data."),
            _ => string.Create(inv,
                $" although every input and target of the batch is finite, so the training diverged: the learning rate {FormatNumber(learningRate)} is likely too high (try {FormatNumber(learningRate / 10)}), or set ClipNorm, or scale the features."),
        };
        // With bad data every layer downstream of it is non-finite; naming one would only mislead.
        string layerText = layer is null || cause != DivergenceCause.LossOverflow ? "" : $" First non-finite layer: {layer}.";
        return where + what + layerText + " The parameters and optimizer state are restored to before this step.";
    }

    /// <summary>A number as a person reads it: NaN, +∞, −∞, or at most 6 significant digits (1.5E+38, not 39 digits).</summary>
    internal static string FormatNumber(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("G6", CultureInfo.InvariantCulture);
}

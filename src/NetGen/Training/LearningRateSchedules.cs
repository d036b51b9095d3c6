using System;

namespace NetGen.Training;

/// <summary>The learning rate as a function of the epoch (PyTorch's <c>lr_scheduler</c> closed forms).</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate for epoch <paramref name="epochIndex"/> (from 0), given the rate training began with.</summary>
    public abstract double RateAt(int epochIndex, double initialRate);
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs: η₀·γ^⌊t/step⌋ (<c>StepLR</c>).</summary>
public sealed class StepDecay(int stepSize, double gamma = 0.1) : LearningRateSchedule
{
    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; } = stepSize >= 1 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize));
    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; } = gamma;
    /// <inheritdoc/>
    public override double RateAt(int epochIndex, double initialRate) => initialRate * Math.Pow(Gamma, epochIndex / StepSize);
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every epoch: η₀·γ^t (<c>ExponentialLR</c>).</summary>
public sealed class ExponentialDecay(double gamma) : LearningRateSchedule
{
    /// <summary>The factor applied each epoch.</summary>
    public double Gamma { get; } = gamma;
    /// <inheritdoc/>
    public override double RateAt(int epochIndex, double initialRate) => initialRate * Math.Pow(Gamma, epochIndex);
}

/// <summary>
/// Half a cosine from η₀ down to <see cref="MinimumRate"/> over <see cref="Period"/> epochs,
/// η_min + (η₀ − η_min)(1 + cos(π·t/T))/2 (<c>CosineAnnealingLR</c>), then stays at the minimum (as Keras's <c>CosineDecay</c>).
/// </summary>
public sealed class CosineAnnealing(int period, double minimumRate = 0) : LearningRateSchedule
{
    /// <summary>Epochs to reach the minimum (T_max).</summary>
    public int Period { get; } = period >= 1 ? period : throw new ArgumentOutOfRangeException(nameof(period));
    /// <summary>The rate at the end of the period (η_min).</summary>
    public double MinimumRate { get; } = minimumRate;
    /// <inheritdoc/>
    public override double RateAt(int epochIndex, double initialRate)
    {
        int t = Math.Min(epochIndex, Period);
        return MinimumRate + (initialRate - MinimumRate) * (1 + Math.Cos(Math.PI * t / Period)) / 2;
    }
}

/// <summary>A callback that sets the network's <c>LearningRate</c> from a schedule before each epoch.</summary>
public sealed class LearningRateScheduler(LearningRateSchedule schedule) : TrainingCallback
{
    /// <summary>The schedule followed.</summary>
    public LearningRateSchedule Schedule { get; } = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context, int epochIndex) =>
        context.LearningRate = Schedule.RateAt(epochIndex, context.InitialLearningRate);
}

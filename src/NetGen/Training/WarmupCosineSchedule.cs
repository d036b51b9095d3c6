using System;

namespace NetGen.Training;

/// <summary>
/// Linear warm-up then cosine decay, nanoGPT's <c>get_lr</c>: for step t (from 0) with W warm-up steps,
/// decay ending at step N, peak rate η_max and floor η_min:
/// t &lt; W: η_max·(t + 1)/(W + 1); W ≤ t ≤ N: η_min + ½(1 + cos(π(t − W)/(N − W)))·(η_max − η_min); t &gt; N: η_min.
/// </summary>
/// <remarks>
/// The index is whatever the caller counts: optimizer steps when a training loop calls
/// <see cref="RateAt(int)"/> before each step (nanoGPT's use), or epochs through <see cref="LearningRateScheduler"/>
/// (then η_max is the rate training began with).
/// </remarks>
public sealed class WarmupCosineSchedule : LearningRateSchedule
{
    /// <summary>A schedule with its peak rate fixed (<see cref="RateAt(int)"/>).</summary>
    /// <param name="warmupSteps">W ≥ 0.</param>
    /// <param name="decaySteps">N &gt; W: the step at which the rate reaches <paramref name="minimumRate"/>.</param>
    /// <param name="maximumRate">η_max.</param>
    /// <param name="minimumRate">η_min.</param>
    public WarmupCosineSchedule(int warmupSteps, int decaySteps, double maximumRate, double minimumRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (decaySteps <= warmupSteps) throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"The decay must end after the warm-up ({warmupSteps} steps).");
        WarmupSteps = warmupSteps;
        DecaySteps = decaySteps;
        MaximumRate = maximumRate;
        MinimumRate = minimumRate;
    }

    /// <summary>W: steps of linear warm-up.</summary>
    public int WarmupSteps { get; }
    /// <summary>N: the step at which the cosine reaches the minimum.</summary>
    public int DecaySteps { get; }
    /// <summary>η_max.</summary>
    public double MaximumRate { get; }
    /// <summary>η_min.</summary>
    public double MinimumRate { get; }

    /// <summary>The rate for step <paramref name="step"/> (from 0) with the peak <see cref="MaximumRate"/>.</summary>
    public double RateAt(int step) => RateAt(step, MaximumRate);

    /// <summary>The rate for index <paramref name="epochIndex"/> (from 0), with <paramref name="initialRate"/> as η_max.</summary>
    public override double RateAt(int epochIndex, double initialRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochIndex);
        // Linear warm-up: η_max·(t + 1)/(W + 1).
        if (epochIndex < WarmupSteps) return initialRate * (epochIndex + 1) / (WarmupSteps + 1);
        // After the decay: the floor.
        if (epochIndex > DecaySteps) return MinimumRate;
        // Cosine from η_max at t = W to η_min at t = N.
        double ratio = (double)(epochIndex - WarmupSteps) / (DecaySteps - WarmupSteps);
        return MinimumRate + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (initialRate - MinimumRate);
    }
}

using System;

namespace NetGen.Data;

/// <summary>
/// Samples of integer token ids for a token-input network (<see cref="ITokenNetwork{T}"/>): <see cref="Tokens"/>
/// holds <see cref="TimeSteps"/> ids per sample, row-major <c>[count, timeSteps]</c>, and the targets are either
/// class ids (<see cref="LabelsPerSample"/> per sample: one per sample, or one per time step for a network whose
/// output is a sequence) or floats (<see cref="TargetCount"/> per sample, as a network's <c>OutputSize</c>).
/// The trainer and the metrics take it; <see cref="AsDataset"/> gives the same samples as a <see cref="Dataset"/>
/// (ids as exact floats) for <see cref="Training.TrainingOptions.ValidationData"/>.
/// </summary>
public sealed class TokenDataset
{
    /// <summary>The largest id a float holds exactly (2²⁴): the trainer carries ids through float batches.</summary>
    public const int MaxTokenId = 1 << 24;

    private Dataset? _floats;

    /// <summary>Token ids with class-id targets, <paramref name="labelsPerSample"/> per sample (arrays not copied).</summary>
    /// <exception cref="ArgumentException">An array's length does not match the counts, or an id or label is negative or above <see cref="MaxTokenId"/>.</exception>
    public TokenDataset(int[] tokens, int timeSteps, int[] labels, int labelsPerSample, string[]? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelsPerSample, 1);
        Count = CheckTokens(tokens, timeSteps);
        if ((long)Count * labelsPerSample != labels.Length)
            throw new ArgumentException($"Expected {Count} × {labelsPerSample} = {(long)Count * labelsPerSample} labels, got {labels.Length}.", nameof(labels));
        CheckRange(labels, nameof(labels), "label");
        Tokens = tokens;
        TimeSteps = timeSteps;
        Labels = labels;
        LabelsPerSample = labelsPerSample;
        TargetCount = labelsPerSample;
        ClassNames = classNames;
    }

    /// <summary>Token ids with float targets, <paramref name="targetCount"/> per sample (one-hot rows, values; arrays not copied).</summary>
    /// <exception cref="ArgumentException">An array's length does not match the counts, or an id is negative or above <see cref="MaxTokenId"/>.</exception>
    public TokenDataset(int[] tokens, int timeSteps, float[] targets, int targetCount)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegative(targetCount);
        Count = CheckTokens(tokens, timeSteps);
        if ((long)Count * targetCount != targets.Length)
            throw new ArgumentException($"Expected {Count} × {targetCount} = {(long)Count * targetCount} targets, got {targets.Length}.", nameof(targets));
        Tokens = tokens;
        TimeSteps = timeSteps;
        Targets = targets;
        TargetCount = targetCount;
    }

    /// <summary>Token ids, <see cref="Count"/> × <see cref="TimeSteps"/>, row-major.</summary>
    public int[] Tokens { get; }
    /// <summary>Ids per sample (the network's <c>InputSize</c>).</summary>
    public int TimeSteps { get; }
    /// <summary>The number of samples.</summary>
    public int Count { get; }
    /// <summary>Class ids, <see cref="Count"/> × <see cref="LabelsPerSample"/>, or null when the targets are floats.</summary>
    public int[]? Labels { get; }
    /// <summary>Class ids per sample (0 when the targets are floats).</summary>
    public int LabelsPerSample { get; }
    /// <summary>Float targets, <see cref="Count"/> × <see cref="TargetCount"/>, or null when the targets are class ids.</summary>
    public float[]? Targets { get; }
    /// <summary>Targets per sample: <see cref="LabelsPerSample"/> class ids, or floats.</summary>
    public int TargetCount { get; }
    /// <summary>The names of the classes, when the targets are class ids.</summary>
    public string[]? ClassNames { get; }

    /// <summary>
    /// The same samples as a <see cref="Dataset"/>: each id and label as an exact float (built once, then reused).
    /// Class ids become one target per label, which the trainer one-hot encodes per sample or per time step.
    /// </summary>
    public Dataset AsDataset() => _floats ??= new Dataset(
        ToFloats(Tokens), Labels is { } labels ? ToFloats(labels) : Targets!, Count, TimeSteps, TargetCount, ClassNames);

    /// <summary>Samples <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> − 1 (copied).</summary>
    public TokenDataset Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((long)start + length > Count) throw new ArgumentOutOfRangeException(nameof(length), $"Samples {start} .. {start + length - 1} are outside the {Count} samples.");
        int[] tokens = Tokens.AsSpan(start * TimeSteps, length * TimeSteps).ToArray();
        return Labels is { } labels
            ? new TokenDataset(tokens, TimeSteps, labels.AsSpan(start * LabelsPerSample, length * LabelsPerSample).ToArray(), LabelsPerSample, ClassNames)
            : new TokenDataset(tokens, TimeSteps, Targets!.AsSpan(start * TargetCount, length * TargetCount).ToArray(), TargetCount);
    }

    private static int CheckTokens(int[] tokens, int timeSteps)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSteps, 1);
        if (tokens.Length % timeSteps != 0)
            throw new ArgumentException($"Expected a whole number of samples of {timeSteps} token ids, got {tokens.Length} ids.", nameof(tokens));
        CheckRange(tokens, nameof(tokens), "token id");
        return tokens.Length / timeSteps;
    }

    private static void CheckRange(int[] values, string parameter, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= MaxTokenId)
                throw new ArgumentOutOfRangeException(parameter, values[i], $"The {what} at position {i} is {values[i]}; ids must be in [0, {MaxTokenId}).");
    }

    private static float[] ToFloats(int[] values)
    {
        var floats = new float[values.Length];
        for (int i = 0; i < values.Length; i++) floats[i] = values[i];
        return floats;
    }
}

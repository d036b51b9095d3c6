using System;

namespace NetGen.Data;

/// <summary>
/// Sliding windows over a token stream or a series, with next-step targets, row-major
/// [windows, window] (one window per row: the <c>[Input(timeSteps)]</c> layout).
/// </summary>
public static class SequenceWindows
{
    /// <summary>How many windows of <paramref name="window"/> steps, each followed by <paramref name="horizon"/> target steps, start every <paramref name="stride"/> steps in <paramref name="length"/>.</summary>
    public static int Count(int length, int window, int horizon = 1, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        int span = window + horizon;
        return length < span ? 0 : (length - span) / stride + 1;
    }

    /// <summary>
    /// Language-model windows: inputs[w] = tokens[s .. s+window), targets[w] = tokens[s+1 .. s+window+1)
    /// with s = w·stride (the next token at every step, as char-rnn trains). Throws when the stream is
    /// shorter than window + 1.
    /// </summary>
    public static (int[] Inputs, int[] Targets) NextTokens(ReadOnlySpan<int> tokens, int window, int stride = 1)
    {
        int count = Count(tokens.Length, window, 1, stride);
        if (count == 0) throw new ArgumentException($"A stream of {tokens.Length} tokens is shorter than one window plus its target ({window + 1}).", nameof(tokens));
        var inputs = new int[count * window];
        var targets = new int[count * window];
        for (int w = 0; w < count; w++)
        {
            tokens.Slice(w * stride, window).CopyTo(inputs.AsSpan(w * window));
            tokens.Slice(w * stride + 1, window).CopyTo(targets.AsSpan(w * window));
        }
        return (inputs, targets);
    }

    /// <summary>
    /// Forecasting windows: inputs[w] = series[s .. s+window), targets[w] = series[s+window .. s+window+horizon)
    /// with s = w·stride. Throws when the series is shorter than window + horizon or holds a non-finite value (naming its index).
    /// </summary>
    public static (float[] Inputs, float[] Targets) Series(ReadOnlySpan<float> series, int window, int horizon = 1, int stride = 1)
    {
        int count = Count(series.Length, window, horizon, stride);
        if (count == 0) throw new ArgumentException($"A series of {series.Length} values is shorter than one window plus its horizon ({window + horizon}).", nameof(series));
        for (int i = 0; i < series.Length; i++)
            if (!float.IsFinite(series[i])) throw new ArgumentException($"Value {i} of the series is {series[i]}.", nameof(series));
        var inputs = new float[count * window];
        var targets = new float[count * horizon];
        for (int w = 0; w < count; w++)
        {
            series.Slice(w * stride, window).CopyTo(inputs.AsSpan(w * window));
            series.Slice(w * stride + window, horizon).CopyTo(targets.AsSpan(w * horizon));
        }
        return (inputs, targets);
    }
}

/// <summary>Which end of a sequence gets the padding (or loses tokens).</summary>
public enum SequenceEnd
{
    /// <summary>After the tokens (PyTorch's <c>pad_sequence</c>); truncation keeps the first tokens.</summary>
    End,
    /// <summary>Before the tokens (Keras's <c>pad_sequences</c> default); truncation keeps the last tokens.</summary>
    Start,
}

/// <summary>Padding and truncation of variable-length token lists to one fixed length.</summary>
public static class SequencePadding
{
    /// <summary>
    /// The sequences as rows of exactly <paramref name="length"/> ids, [count, length] row-major: short
    /// ones filled with <paramref name="padId"/> at <paramref name="padAt"/>, long ones cut at <paramref name="truncateAt"/>.
    /// </summary>
    public static int[] PadOrTruncate(ReadOnlySpan<int[]> sequences, int length, int padId, SequenceEnd padAt = SequenceEnd.End, SequenceEnd truncateAt = SequenceEnd.End)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var rows = new int[sequences.Length * length];
        for (int s = 0; s < sequences.Length; s++)
        {
            int[] sequence = sequences[s] ?? throw new ArgumentException($"Sequence {s} is null.", nameof(sequences));
            Span<int> row = rows.AsSpan(s * length, length);
            row.Fill(padId);
            // Kept tokens: the first `length` (cut at the end) or the last `length` (cut at the start).
            int kept = Math.Min(sequence.Length, length);
            ReadOnlySpan<int> source = truncateAt == SequenceEnd.End ? sequence.AsSpan(0, kept) : sequence.AsSpan(sequence.Length - kept, kept);
            source.CopyTo(padAt == SequenceEnd.End ? row : row.Slice(length - kept));
        }
        return rows;
    }
}

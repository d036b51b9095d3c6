using System;
using System.Numerics;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// Pre-allocated input and target rows for one batch, in the network's element type. Rows are gathered from a
/// <see cref="Dataset"/> by index (so shuffling moves indices, not data) and converted on the way; label
/// targets (one float per sample, or one per time step of a sequence output: <c>labelsPerSample</c>) become one-hot
/// rows when the network has several outputs per label. Gathering never allocates.
/// </summary>
internal sealed class BatchBuffer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly T[] _targets;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly bool _oneHot;
    private readonly int _labels;
    private readonly int _classes;

    /// <summary>Buffers for up to <paramref name="capacity"/> samples of a network with the given sizes.</summary>
    /// <exception cref="ArgumentException">The dataset's rows do not fit the network.</exception>
    public BatchBuffer(Dataset data, int inputSize, int outputSize, int capacity, string dataName, int labelsPerSample = 1)
    {
        if (data.FeatureCount != inputSize)
            throw new ArgumentException($"The {dataName} has {data.FeatureCount} features per sample; the network expects InputSize = {inputSize}.");
        // Class labels: one per sample, or labelsPerSample (one per time step), each one-hot over OutputSize / labels classes.
        _labels = data.TargetCount;
        _oneHot = _labels >= 1 && (_labels == 1 || _labels == labelsPerSample) && outputSize % _labels == 0 && outputSize / _labels > 1;
        if (!_oneHot && data.TargetCount != outputSize)
            throw new ArgumentException($"The {dataName} has {data.TargetCount} targets per sample; the network expects OutputSize = {outputSize} (or one class label per sample"
                + (labelsPerSample > 1 ? $", or {labelsPerSample}: one per time step)." : ")."));
        _inputSize = inputSize;
        _outputSize = outputSize;
        _classes = _oneHot ? outputSize / _labels : outputSize;
        if (_oneHot) CheckLabels(data, _classes, dataName);
        _inputs = new T[capacity * inputSize];
        _targets = new T[capacity * outputSize];
        Outputs = new T[capacity * outputSize];
    }

    /// <summary>The gathered inputs of the last <see cref="Gather"/>, row-major.</summary>
    public ReadOnlySpan<T> Inputs(int count) => _inputs.AsSpan(0, count * _inputSize);
    /// <summary>The gathered targets of the last <see cref="Gather"/>, row-major, <c>OutputSize</c> per sample.</summary>
    public ReadOnlySpan<T> Targets(int count) => _targets.AsSpan(0, count * _outputSize);
    /// <summary>Scratch space for the network's outputs.</summary>
    public T[] Outputs { get; }

    /// <summary>Copies the rows named by <paramref name="indices"/> into the buffers.</summary>
    public void Gather(Dataset data, ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++) CopyRow(data, indices[i], i);
    }

    /// <summary>Copies rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 into the buffers.</summary>
    public void GatherRange(Dataset data, int start, int count)
    {
        for (int i = 0; i < count; i++) CopyRow(data, start + i, i);
    }

    private void CopyRow(Dataset data, int row, int slot)
    {
        Span<T> xb = _inputs.AsSpan(slot * _inputSize, _inputSize);
        // A dataset of doubles gives a double network its exact values; floats are widened or kept.
        if (data.DoubleFeatures is { } xd) Convert(xd.AsSpan(row * _inputSize, _inputSize), xb);
        else Convert(data.Features.AsSpan(row * _inputSize, _inputSize), xb);
        Span<T> tb = _targets.AsSpan(slot * _outputSize, _outputSize);
        if (_oneHot)
        {
            // Labels were checked to be whole numbers in range when the buffer was made.
            tb.Clear();
            for (int g = 0; g < _labels; g++) tb[g * _classes + (int)data.Targets[row * _labels + g]] = T.One;
        }
        else if (data.DoubleTargets is { } td) Convert(td.AsSpan(row * _outputSize, _outputSize), tb);
        else Convert(data.Targets.AsSpan(row * _outputSize, _outputSize), tb);
    }

    private static void Convert<TSource>(ReadOnlySpan<TSource> source, Span<T> destination) where TSource : INumberBase<TSource>
    {
        for (int j = 0; j < source.Length; j++) destination[j] = T.CreateTruncating(source[j]);
    }

    /// <summary>Every label must be a whole class index 0 .. outputs − 1: 0.5 is not truncated to class 0, as ToOneHot also refuses it.</summary>
    private static void CheckLabels(Dataset data, int outputSize, string dataName)
    {
        for (int i = 0; i < data.Count * data.TargetCount; i++)
        {
            int row = i / data.TargetCount;
            double label = data.DoubleTargets is { } precise ? precise[i] : data.Targets[i];
            if (label != Math.Floor(label) || label < 0 || label >= outputSize)
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Sample {row} of the {dataName} has label {label}; with one target per sample and {outputSize} outputs, each target must be a class index, a whole number in 0..{outputSize - 1}. For soft or probability targets give {outputSize} targets per sample."));
        }
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using NetGen.Data;
using NetGen.Numerics;

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
        : this(data, 0, data.Count, inputSize, outputSize, capacity, dataName, labelsPerSample)
    {
    }

    /// <summary>
    /// Buffers for rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 of
    /// <paramref name="data"/> (a validation split held in place); their labels are checked, and a bad one is named
    /// by its row within that range.
    /// </summary>
    public BatchBuffer(Dataset data, int start, int count, int inputSize, int outputSize, int capacity, string dataName, int labelsPerSample = 1)
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
        if (_oneHot) CheckLabels(data, start, count, _classes, dataName);
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

    /// <summary>
    /// Copies the rows named by <paramref name="indices"/> into the buffers. Shuffled rows lie far apart in memory,
    /// so each row's copy would wait for its first cache lines from DRAM: the row <see cref="PrefetchDistance"/>
    /// places ahead is requested (prefetched) while the current one is copied. Float rows into a float network are
    /// split between the threads <see cref="Parallelism.MaxThreads"/> allows (each copies a contiguous run of the
    /// batch: the waits for memory overlap); a copy is a copy, so the bits do not depend on the thread count.
    /// </summary>
    public unsafe void Gather(Dataset data, ReadOnlySpan<int> indices)
    {
        int threads = Math.Min(Parallelism.MaxThreads, WorkerPool.MaxWorkers + 1);
        if (typeof(T) == typeof(float) && data.DoubleFeatures is null && threads > 1 && indices.Length >= 2
            && (long)indices.Length * _inputSize >= ParallelGatherValues)
        {
            fixed (float* source = data.Features)
            fixed (T* destination = _inputs)
            fixed (int* rows = indices)
            {
                var job = new GatherJob { Source = source, Destination = (float*)destination, Rows = rows, Count = indices.Length, Width = _inputSize };
                job.Chunks = Math.Min(indices.Length, threads);
                // The gather touches no parameters: it must not count as a split product for the optimizer's split rule.
                int splitJobs = WorkerPool.SplitJobs;
                WorkerPool.Run(&GatherChunk, Unsafe.AsPointer(ref job), job.Chunks, threads);
                WorkerPool.SplitJobs = splitJobs;
            }
            for (int i = 0; i < indices.Length; i++) CopyTargets(data, indices[i], i);
            return;
        }
        for (int i = 0; i < indices.Length; i++)
        {
            if (i + PrefetchDistance < indices.Length) PrefetchRow(data, indices[i + PrefetchDistance]);
            CopyRow(data, indices[i], i);
        }
    }

    /// <summary>Values per batch below which the gather stays on the calling thread (16,384: 21 rows of 784 pixels).</summary>
    private const long ParallelGatherValues = 16_384;

    private unsafe struct GatherJob
    {
        public float* Source, Destination;
        public int* Rows;
        public int Count, Width, Chunks;
    }

    /// <summary>Chunk <paramref name="chunk"/> of a parallel gather: its contiguous run of the batch's rows, prefetching ahead.</summary>
    private static unsafe void GatherChunk(void* state, int chunk)
    {
        ref GatherJob job = ref Unsafe.AsRef<GatherJob>(state);
        int first = (int)((long)chunk * job.Count / job.Chunks), end = (int)((long)(chunk + 1) * job.Count / job.Chunks);
        long rowBytes = (long)job.Width * sizeof(float);
        for (int i = first; i < end; i++)
        {
            if (i + PrefetchDistance < end && Sse.IsSupported)
            {
                byte* ahead = (byte*)(job.Source + (long)job.Rows[i + PrefetchDistance] * job.Width);
                for (long b = 0; b < rowBytes; b += 64) Sse.Prefetch0(ahead + b);
            }
            Buffer.MemoryCopy(job.Source + (long)job.Rows[i] * job.Width, job.Destination + (long)i * job.Width, rowBytes, rowBytes);
        }
    }

    /// <summary>Rows requested ahead of the one being copied.</summary>
    /// <remarks>
    /// Measured (<c>NetGen.Benchmarks --fit</c>, 55,000 Fashion-MNIST rows of 3,136 bytes, Zen 5): no prefetch 23.5 ms,
    /// 1 row ahead 19.5, 2 ahead 16.2, 4 ahead 15.9, 8 ahead 14.6 (runs vary by ±5 ms); prefetcht2 no better.
    /// </remarks>
    private const int PrefetchDistance = 4;

    /// <summary>Asks for one row's input features to be brought into the cache (a hint: no effect on the values, none without SSE).</summary>
    private unsafe void PrefetchRow(Dataset data, int row)
    {
        if (!Sse.IsSupported) return;
        if (data.DoubleFeatures is { } xd) Prefetch(xd.AsSpan(row * _inputSize, _inputSize));
        else Prefetch(data.Features.AsSpan(row * _inputSize, _inputSize));

        static void Prefetch<TElement>(ReadOnlySpan<TElement> row) where TElement : unmanaged
        {
            fixed (TElement* start = row)
            {
                byte* first = (byte*)start, end = first + (long)row.Length * sizeof(TElement);
                for (byte* line = first; line < end; line += 64) Sse.Prefetch0(line);
            }
        }
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
        CopyTargets(data, row, slot);
    }

    private void CopyTargets(Dataset data, int row, int slot)
    {
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
        if (typeof(TSource) == typeof(T))
        {
            // Same type (floats into a float network): a plain vectorised copy.
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TSource, T>(ref MemoryMarshal.GetReference(source)), source.Length).CopyTo(destination);
            return;
        }
        for (int j = 0; j < source.Length; j++) destination[j] = T.CreateTruncating(source[j]);
    }

    /// <summary>Every label must be a whole class index 0 .. outputs − 1: 0.5 is not truncated to class 0, as ToOneHot also refuses it.</summary>
    private static void CheckLabels(Dataset data, int start, int count, int outputSize, string dataName)
    {
        for (int i = start * data.TargetCount; i < (start + count) * data.TargetCount; i++)
        {
            int row = i / data.TargetCount - start;
            double label = data.DoubleTargets is { } precise ? precise[i] : data.Targets[i];
            if (label != Math.Floor(label) || label < 0 || label >= outputSize)
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Sample {row} of the {dataName} has label {label}; with one target per sample and {outputSize} outputs, each target must be a class index, a whole number in 0..{outputSize - 1}. For soft or probability targets give {outputSize} targets per sample."));
        }
    }
}

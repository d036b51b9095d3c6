using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// A generated network whose input is integer token ids (<c>[Input(timeSteps)] [Embedding(vocabulary, dimensions)] ...</c>):
/// the counterpart of <see cref="INetwork{T}"/> with <see cref="ReadOnlySpan{T}"/> of <see cref="int"/> inputs,
/// <see cref="INetworkState{T}.InputSize"/> ids (the time steps) per sample, row-major <c>[batch, timeSteps]</c>.
/// Such a network has no float-input members at all (a float span cannot be passed where ids are expected).
/// An id outside <c>[0, vocabulary)</c> throws <see cref="ArgumentOutOfRangeException"/> naming its position and value.
/// </summary>
public interface ITokenNetwork<T> : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs one sample of <see cref="INetworkState{T}.InputSize"/> token ids forward.</summary>
    void Predict(ReadOnlySpan<int> input, Span<T> output);
    /// <summary>Runs a row-major batch of token ids <c>[batchSize, InputSize]</c> forward.</summary>
    void Predict(ReadOnlySpan<int> inputs, Span<T> outputs, int batchSize);
    /// <summary>The loss of a batch against <see cref="INetworkState{T}.OutputSize"/> targets per sample, without dropout and without touching the gradients.</summary>
    T ComputeLoss(ReadOnlySpan<int> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>Overwrites <see cref="INetworkState{T}.Gradients"/> with d(loss)/d(parameters) for the batch and returns the loss.</summary>
    T ComputeGradients(ReadOnlySpan<int> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary><see cref="ComputeGradients"/> followed by one optimizer update; returns the loss before the update.</summary>
    T TrainStep(ReadOnlySpan<int> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>The outputs of the last <see cref="ComputeLoss"/> (inference mode), row-major; empty after a training-mode pass and where not kept (as <see cref="INetwork{T}.EvaluationOutputs"/>).</summary>
    ReadOnlySpan<T> EvaluationOutputs => ReadOnlySpan<T>.Empty;
}

/// <summary>A token-input network of <see cref="float"/>s: the default precision.</summary>
public interface ITokenNetwork : ITokenNetwork<float>
{
}

/// <summary>
/// A network trained with <c>Loss.CrossEntropy</c> that also takes class-index targets (PyTorch's
/// <c>CrossEntropyLoss</c> with class indices): <see cref="LabelsPerSample"/> ids per sample, one per
/// sample, or one per time step when the output is a sequence <c>[t, classes]</c>; the loss is averaged
/// over batch × time. <typeparamref name="TInput"/> is the input element: <c>T</c> for float inputs,
/// <see cref="int"/> for token ids. A label outside <c>[0, classes)</c> throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public interface IClassIndexTargets<TInput, T> where TInput : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Class ids per sample: 1, or the output's time steps.</summary>
    int LabelsPerSample { get; }
    /// <summary>The number of classes (the last dimension of the output).</summary>
    int ClassCount { get; }
    /// <summary>The mean loss of a batch against <see cref="LabelsPerSample"/> class ids per sample, without dropout and without touching the gradients.</summary>
    T ComputeLoss(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels, int batchSize);
    /// <summary>Overwrites the gradients with d(loss)/d(parameters) against class ids and returns the loss.</summary>
    T ComputeGradients(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels, int batchSize);
    /// <summary><see cref="ComputeGradients"/> followed by one optimizer update; returns the loss before the update.</summary>
    T TrainStep(ReadOnlySpan<TInput> inputs, ReadOnlySpan<int> labels, int batchSize);
}

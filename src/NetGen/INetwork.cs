using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// What every generated network holds, whatever its element type and whatever its input (floats or
/// token ids): sizes, parameters, gradients and optimizer state. Serialisation and the training
/// bookkeeping take this; <see cref="INetwork{T}"/> (float inputs) and <see cref="ITokenNetwork{T}"/>
/// (integer token ids) add the per-batch members. Generic code takes a constrained
/// <c>TNetwork : INetworkState&lt;T&gt;</c>, so the JIT specialises it and nothing goes through interface dispatch per sample.
/// </summary>
public interface INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Values per input sample: floats, or token ids (the time steps) for an <see cref="ITokenNetwork{T}"/>.</summary>
    int InputSize { get; }
    /// <summary>Floats per output sample (and per target sample).</summary>
    int OutputSize { get; }
    /// <summary>The number of trainable parameters.</summary>
    int ParameterCount { get; }

    /// <summary>Every trainable parameter, one flat span in PyTorch's layout (see <see cref="ParameterTensors"/>).</summary>
    Span<T> Parameters { get; }
    /// <summary>d(loss)/d(parameters) from the last <c>ComputeGradients</c>, laid out as <see cref="Parameters"/>.</summary>
    ReadOnlySpan<T> Gradients { get; }
    /// <summary>The named tensors that make up <see cref="Parameters"/>, in order.</summary>
    IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>The optimizer's state: <see cref="OptimizerStateSlots"/> blocks of <see cref="ParameterCount"/> values (Momentum: v; RmsProp: s; Adam: m then v).</summary>
    Span<T> OptimizerState { get; }
    /// <summary>How many parameter-sized blocks <see cref="OptimizerState"/> holds.</summary>
    int OptimizerStateSlots { get; }
    /// <summary>The number of optimizer steps taken (Adam's bias correction uses it).</summary>
    long OptimizerStep { get; set; }
    /// <summary>The learning rate the next update uses; a schedule may change it between steps.</summary>
    double LearningRate { get; set; }
    /// <summary>The state of the generator that draws dropout masks; saving and restoring it makes training resumable bit for bit.</summary>
    ulong RandomState { get; set; }

    /// <summary>The values that are not trained (BatchNorm's running statistics), one flat span laid out as <see cref="BufferTensors"/>; empty when there are none.</summary>
    Span<T> Buffers => Span<T>.Empty;
    /// <summary>The named tensors that make up <see cref="Buffers"/> (<c>{layer}.running_mean</c>, <c>{layer}.running_var</c>), in order.</summary>
    IReadOnlyList<ParameterTensor> BufferTensors => Array.Empty<ParameterTensor>();

    /// <summary>Re-initialises the parameters from a seed (He or Glorot uniform, biases zero) and clears the optimizer state.</summary>
    void InitializeParameters(int seed);
    /// <summary>Names the first layer whose output or gradient in the last pass held a NaN or an infinity, or null when all were finite.</summary>
    string? FindNonFiniteLayer();
}

/// <summary>
/// A generated network over float inputs (vectors, images, float sequences). The runtime's trainer,
/// metrics and serialisation take a constrained generic <c>TNetwork : INetwork&lt;T&gt;</c>.
/// </summary>
public interface INetwork<T> : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs one sample forward.</summary>
    void Predict(ReadOnlySpan<T> input, Span<T> output);
    /// <summary>Runs a row-major batch forward.</summary>
    void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize);
    /// <summary>The loss of a batch, without dropout and without touching the gradients.</summary>
    T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>Overwrites <see cref="INetworkState{T}.Gradients"/> with d(loss)/d(parameters) for the batch and returns the loss.</summary>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary><see cref="ComputeGradients"/> followed by one optimizer update; returns the loss before the update.</summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>
    /// The outputs of the last training-mode forward pass (<see cref="ComputeGradients"/> or <see cref="TrainStep"/>:
    /// dropout on, the parameters before the update), row-major, one row per sample of that batch; empty after
    /// <see cref="ComputeLoss"/> and for implementations that do not keep them. The trainer's metrics read them
    /// instead of running a second forward pass.
    /// </summary>
    ReadOnlySpan<T> TrainingOutputs => ReadOnlySpan<T>.Empty;
    /// <summary>
    /// The outputs of the last <see cref="ComputeLoss"/> (inference mode: dropout off, BatchNorm's running
    /// statistics), row-major, one row per sample of that batch; empty after a training-mode pass and for
    /// implementations that do not keep them. The trainer's validation reads them for its metrics instead of a
    /// <see cref="Predict(ReadOnlySpan{T}, Span{T}, int)"/> of the same batch.
    /// </summary>
    ReadOnlySpan<T> EvaluationOutputs => ReadOnlySpan<T>.Empty;
    // The composition members (DESIGN.md §6). Every generated network implements them; the defaults keep
    // hand-written implementations of this interface that predate them compiling, and say what is missing.

    /// <summary>
    /// A training-mode forward pass (dropout on, batch statistics) that keeps what <see cref="Backward(ReadOnlySpan{T}, int, bool)"/> needs.
    /// </summary>
    /// <exception cref="NotSupportedException">A hand-written network that does not implement composition.</exception>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => throw NoComposition(nameof(Forward));
    /// <summary>
    /// The backward pass from a caller's d(loss)/d(outputs) for the batch of the last <see cref="Forward"/>: writes
    /// <see cref="INetworkState{T}.Gradients"/> (added to them when <paramref name="accumulate"/>) and <see cref="InputGradients"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">A hand-written network that does not implement composition.</exception>
    void Backward(ReadOnlySpan<T> outputGradient, int batchSize, bool accumulate) => throw NoComposition(nameof(Backward));
    /// <summary>d(loss)/d(inputs) from the last <see cref="Backward(ReadOnlySpan{T}, int, bool)"/>, row-major.</summary>
    /// <exception cref="NotSupportedException">A hand-written network that does not implement composition.</exception>
    ReadOnlySpan<T> InputGradients => throw NoComposition(nameof(InputGradients));
    /// <summary>One optimizer update from the current <see cref="INetworkState{T}.Gradients"/>; <see cref="TrainStep"/> is <see cref="ComputeGradients"/> followed by this.</summary>
    /// <exception cref="NotSupportedException">A hand-written network that does not implement composition.</exception>
    void ApplyGradients() => throw NoComposition(nameof(ApplyGradients));

    private NotSupportedException NoComposition(string member)
        => new($"{GetType().Name} does not implement {member}; every network NetGen generates does (composition, DESIGN.md §6).");
}

/// <summary>A network of <see cref="float"/>s: the default precision.</summary>
public interface INetwork : INetwork<float>
{
}

/// <summary>One named tensor inside a network's flat parameter span.</summary>
/// <param name="Name">The tensor's name, <c>{layer name}.weight</c>, <c>{layer name}.bias</c>, ...</param>
/// <param name="Offset">Where it starts in <c>Parameters</c>.</param>
/// <param name="Shape">Its shape, row-major (PyTorch's).</param>
public sealed record ParameterTensor(string Name, int Offset, int[] Shape)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }
}

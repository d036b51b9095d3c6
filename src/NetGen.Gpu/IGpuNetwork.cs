using System;
using ILGPU;
using ILGPU.Runtime;

namespace NetGen.Gpu;

/// <summary>
/// What every generated GPU runner (<c>{Network}Gpu</c>) offers: the CPU class's training API on an
/// ILGPU accelerator, plus device-resident batches and transfers of the whole training state.
/// </summary>
public interface IGpuNetwork : IDisposable
{
    /// <summary>The accelerator the runner lives on.</summary>
    Accelerator Accelerator { get; }
    /// <summary>Which accelerator this is, in words.</summary>
    string DeviceDescription { get; }
    /// <summary>True when the products run as tiled kernels (shared memory), false for the direct ones.</summary>
    bool UsesTiledProducts { get; }
    /// <summary>The learning rate the next update uses.</summary>
    double LearningRate { get; set; }
    /// <summary>The number of optimizer steps taken.</summary>
    long OptimizerStep { get; set; }
    /// <summary>The dropout generator's state (the CPU class's SplitMix64 stream).</summary>
    ulong RandomState { get; set; }

    /// <summary>Runs a host batch forward (dropout off).</summary>
    void Predict(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize);
    /// <summary>Runs a device batch forward into a device view, without waiting.</summary>
    void Predict(ArrayView<float> inputs, ArrayView<float> outputs, int batchSize);
    /// <summary>The mean loss of a batch, dropout off, gradients untouched.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize);
    /// <summary>Overwrites the device gradients for the batch and returns its loss.</summary>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize);
    /// <summary>Gradients, then one optimizer update; returns the loss before the update.</summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize);
    /// <summary>A training step on a device batch; returns the loss (the only read-back).</summary>
    float TrainStep(ArrayView<float> inputs, ArrayView<float> targets, int batchSize);
    /// <summary>Queues a training step on a device batch without waiting.</summary>
    void EnqueueTrainStep(ArrayView<float> inputs, ArrayView<float> targets, int batchSize);
    /// <summary>The mean loss of the last loss pass (waits for the device).</summary>
    float LastLoss { get; }
    /// <summary>Waits for every queued kernel.</summary>
    void Synchronize();

    /// <summary>Copies parameters, optimizer state, step, learning rate and dropout state from a CPU network of the same shape (float or token input).</summary>
    void CopyParametersFrom(INetworkState<float> network);
    /// <summary>Copies parameters, optimizer state, step, learning rate and dropout state into a CPU network of the same shape (float or token input).</summary>
    void CopyParametersTo(INetworkState<float> network);
    /// <summary>Copies ParameterCount values to the device parameters.</summary>
    void CopyParametersFrom(ReadOnlySpan<float> parameters);
    /// <summary>Copies the device parameters out.</summary>
    void CopyParametersTo(Span<float> parameters);
    /// <summary>Copies the last gradients out.</summary>
    void CopyGradientsTo(Span<float> gradients);
    /// <summary>Copies the optimizer state out.</summary>
    void CopyOptimizerStateTo(Span<float> state);
    /// <summary>
    /// Copies the values that are not trained (BatchNorm's running statistics) out, laid out as the CPU class's
    /// <c>Buffers</c>; a runner of a network without any takes only an empty span.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffers"/> is not empty and the network has no buffers.</exception>
    void CopyBuffersTo(Span<float> buffers)
    {
        if (!buffers.IsEmpty) throw new ArgumentException($"Expected 0 buffer values (the network has no running statistics), but got {buffers.Length}.", nameof(buffers));
    }
}

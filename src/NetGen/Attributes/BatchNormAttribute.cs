using System;

namespace NetGen;

/// <summary>
/// Batch normalisation (<c>nn.BatchNorm1d</c> on vectors, <c>nn.BatchNorm2d</c> per channel on images):
/// y = weight·(x − μ)/√(σ² + ε) + bias, ε 1e-5, momentum 0.1. Training calls (<c>ComputeGradients</c>,
/// <c>TrainStep</c>, <c>Forward</c>) normalise with the batch's statistics and update the buffers
/// <c>running_mean</c> and <c>running_var</c> (unbiased); <c>Predict</c> and <c>ComputeLoss</c> use the buffers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
}

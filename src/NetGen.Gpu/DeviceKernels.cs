using ILGPU;

namespace NetGen.Gpu;

/// <summary>Kernels every generated runner shares (nothing in them depends on a network's sizes).</summary>
public static class DeviceKernels
{
    /// <summary>The most threads <see cref="Sum"/> uses (its shared-memory array's length).</summary>
    public const int MaxReductionGroup = 256;

    /// <summary>
    /// result[0] = scale·Σ values[0..count): one group (a power of two ≤ 256 threads) strides over the
    /// values, then halves a shared array until one sum is left. The order is fixed, so the result
    /// is the same on every run; no atomics.
    /// </summary>
    public static void Sum(ArrayView<float> values, ArrayView<float> result, int count, float scale)
    {
        ArrayView<float> partial = SharedMemory.Allocate<float>(MaxReductionGroup);
        int t = Group.IdxX;
        float s = 0f;
        for (int i = t; i < count; i += Group.DimX) s += values[i];
        partial[t] = s;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride /= 2)
        {
            if (t < stride) partial[t] += partial[t + stride];
            Group.Barrier();
        }
        if (t == 0) result[0] = partial[0] * scale;
    }

    /// <summary>
    /// Gradient clipping by global norm, as <c>torch.nn.utils.clip_grad_norm_</c> and the CPU's <c>GradientClipping.ClipNorm</c>:
    /// result[0] = ‖g‖₂ = √(Σ gᵢ²) over gradients[0..count) (one group, the fixed-order tree of <see cref="Sum"/>), and
    /// result[1] = maxNorm / (‖g‖₂ + 1e-6), the factor the gradients are scaled by when it is below 1 (NaN stays NaN).
    /// </summary>
    public static void ClipNorm(ArrayView<float> gradients, ArrayView<float> result, int count, float maxNorm)
    {
        ArrayView<float> partial = SharedMemory.Allocate<float>(MaxReductionGroup);
        int t = Group.IdxX;
        float s = 0f;
        for (int i = t; i < count; i += Group.DimX) s += gradients[i] * gradients[i];
        partial[t] = s;
        Group.Barrier();
        for (int stride = Group.DimX / 2; stride > 0; stride /= 2)
        {
            if (t < stride) partial[t] += partial[t + stride];
            Group.Barrier();
        }
        if (t != 0) return;
        float norm = System.MathF.Sqrt(partial[0]);
        result[0] = norm;
        result[1] = maxNorm / (norm + 1e-6f);
    }
}

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
}

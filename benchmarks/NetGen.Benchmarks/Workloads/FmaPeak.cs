using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// The machine's single-core FP32 peak, measured rather than looked up: twelve independent accumulators, each updated
/// by one fused multiply-add per iteration, all in registers (12 accumulators + 2 constants fit in the 32 vector
/// registers of AVX-512 and in 16 for AVX2). Twelve chains cover FMA latency × throughput (4 cycles × 2 pipes on
/// Zen 4), so the loop runs at the FMA units' throughput. Every workload's "% of peak" divides by this number.
/// </summary>
public static class FmaPeak
{
    public const int Accumulators = 12;

    /// <summary>Loop trips per call: 2²² (about 16 ms at 100 GFLOP/s for 512-bit vectors).</summary>
    public const int Iterations = 1 << 22;

    public static double Flops512 => 2.0 * Accumulators * Vector512<float>.Count * Iterations;
    public static double Flops256 => 2.0 * Accumulators * Vector256<float>.Count * Iterations;

    /// <summary>acc ← acc·a + b, which converges (|a| &lt; 1), so no value overflows or goes subnormal.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Run512(float seed)
    {
        Vector512<float> a = Vector512.Create(0.999f), b = Vector512.Create(seed);
        Vector512<float> c0 = b, c1 = b + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a,
                         c6 = c5 + a, c7 = c6 + a, c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }
        return Vector512.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }

    /// <summary>The same loop on 256-bit vectors (AVX2 + FMA).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Run256(float seed)
    {
        Vector256<float> a = Vector256.Create(0.999f), b = Vector256.Create(seed);
        Vector256<float> c0 = b, c1 = b + a, c2 = c1 + a, c3 = c2 + a, c4 = c3 + a, c5 = c4 + a,
                         c6 = c5 + a, c7 = c6 + a, c8 = c7 + a, c9 = c8 + a, c10 = c9 + a, c11 = c10 + a;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)));
    }
}

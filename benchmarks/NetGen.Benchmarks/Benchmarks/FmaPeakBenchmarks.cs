using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks;

/// <summary>The FP32 FMA peak of one core (see <see cref="FmaPeak"/>); the larger of the two rows is "peak".</summary>
[Workload("FMA peak, one core")]
public class FmaPeakBenchmarks
{
    public static double Flops(string method, int batch) => method == nameof(Vector512Fma) ? FmaPeak.Flops512 : FmaPeak.Flops256;

    [Benchmark, Threads(1)] public float Vector512Fma() => FmaPeak.Run512(1e-3f);
    [Benchmark, Threads(1)] public float Vector256Fma() => FmaPeak.Run256(1e-3f);
}

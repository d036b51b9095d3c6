using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// What the machine can give, measured in the same run as the workloads (issue 15: show what two vCPUs deliver
/// rather than assume it): the FMA loop on one thread and on two threads at once, and read bandwidth from buffers
/// sized for L1, L2, L3 and DRAM, on one thread and (DRAM) on two. Each figure is the fastest of several trials:
/// other load can only slow these loops down.
/// </summary>
public static class MachineLimits
{
    /// <summary>One limit: a name and GFLOP/s or GB/s.</summary>
    public readonly record struct Limit(string Name, double Value, string Unit);

    public static Limit[] Measure()
    {
        var limits = new System.Collections.Generic.List<Limit>
        {
            new("FMA peak, 1 thread (Vector256)", Fastest(1, _ => FmaPeak.Run256(1e-3f)) is var one ? FmaPeak.Flops256 / one / 1e9 : 0, "GFLOP/s"),
            new("FMA peak, 2 threads at once (Vector256, total)", 2 * FmaPeak.Flops256 / Fastest(2, _ => FmaPeak.Run256(1e-3f)) / 1e9, "GFLOP/s"),
        };
        foreach ((string level, int bytes) in new[] { ("L1", 16 << 10), ("L2", 256 << 10), ("L3", 4 << 20), ("DRAM", 256 << 20) })
        {
            float[] buffer = new float[bytes / sizeof(float)];
            buffer.AsSpan().Fill(1e-3f);
            int passes = Math.Max(1, (64 << 20) / bytes); // at least 64 MB read per trial
            double seconds = Fastest(1, _ => Read(buffer, passes));
            limits.Add(new($"Read bandwidth, {level} ({bytes >> 10} KB), 1 thread", (double)bytes * passes / seconds / 1e9, "GB/s"));
            if (level == "DRAM")
            {
                float[] second = new float[buffer.Length];
                second.AsSpan().Fill(1e-3f);
                double both = Fastest(2, t => Read(t == 0 ? buffer : second, passes));
                limits.Add(new("Read bandwidth, DRAM, 2 threads at once (total)", 2.0 * bytes * passes / both / 1e9, "GB/s"));
            }
        }
        return limits.ToArray();
    }

    /// <summary>The fastest of 7 trials of <paramref name="threads"/> threads each running <paramref name="work"/>(index) once, in seconds (wall, start to last finish).</summary>
    private static double Fastest(int threads, Func<int, float> work)
    {
        double best = double.MaxValue;
        for (int trial = 0; trial < 7; trial++)
        {
            using var start = new Barrier(threads + 1);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int index = t;
                workers[t] = new Thread(() => { work(index); start.SignalAndWait(); work(index); });
                workers[t].Start();
            }
            // The first call warms each thread up; the second is timed from the barrier.
            start.SignalAndWait();
            long t0 = Stopwatch.GetTimestamp();
            foreach (Thread w in workers) w.Join();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return best;
    }

    /// <summary>Σ of the buffer, <paramref name="passes"/> times, four independent 256-bit accumulators (loads, not adds, are the limit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Read(float[] buffer, int passes)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float r = ref buffer[0];
        nuint n = (nuint)buffer.Length;
        for (int p = 0; p < passes; p++)
            for (nuint i = 0; i + 32 <= n; i += 32)
            {
                s0 += Vector256.LoadUnsafe(ref r, i); s1 += Vector256.LoadUnsafe(ref r, i + 8);
                s2 += Vector256.LoadUnsafe(ref r, i + 16); s3 += Vector256.LoadUnsafe(ref r, i + 24);
            }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }
}

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
/// other load can only slow these loops down. On a shared machine the wall-clock rates of two threads show what the
/// machine gave this process; the per-thread CPU-time rates show what each thread got while it ran.
/// </summary>
public static class MachineLimits
{
    /// <summary>One limit: a name and GFLOP/s or GB/s.</summary>
    public readonly record struct Limit(string Name, double Value, string Unit);

    public static Limit[] Measure()
    {
        // FMA: wall-clock rates (what the machine gave) and per-thread CPU-time rates (what a thread gets while it
        // runs: if the two vCPUs shared one core's FMA pipes, each of two threads would get half the one-thread rate).
        var one = Fastest(1, _ => FmaPeak.Run256(1e-3f));
        var two = Fastest(2, _ => FmaPeak.Run256(1e-3f));
        var limits = new System.Collections.Generic.List<Limit>
        {
            new("FMA peak, 1 thread (Vector256), wall", FmaPeak.Flops256 / one.Wall / 1e9, "GFLOP/s"),
            new("FMA peak, 1 thread, per thread CPU time", FmaPeak.Flops256 / one.Cpu / 1e9, "GFLOP/s"),
            new("FMA peak, 2 threads at once, total by wall", 2 * FmaPeak.Flops256 / two.Wall / 1e9, "GFLOP/s"),
            new("FMA peak, 2 threads at once, each by its CPU time", FmaPeak.Flops256 / two.Cpu / 1e9, "GFLOP/s"),
        };
        foreach ((string level, int bytes) in new[] { ("L1", 16 << 10), ("L2", 256 << 10), ("L3", 4 << 20), ("DRAM", 256 << 20) })
        {
            float[] buffer = new float[bytes / sizeof(float)];
            buffer.AsSpan().Fill(1e-3f);
            int passes = Math.Max(1, (64 << 20) / bytes); // at least 64 MB read per trial
            var read = Fastest(1, _ => Read(buffer, passes));
            limits.Add(new($"Read bandwidth, {level} ({bytes >> 10} KB), 1 thread, CPU time", (double)bytes * passes / read.Cpu / 1e9, "GB/s"));
            if (level == "DRAM")
            {
                float[] second = new float[buffer.Length];
                second.AsSpan().Fill(1e-3f);
                var both = Fastest(2, t => Read(t == 0 ? buffer : second, passes));
                limits.Add(new("Read bandwidth, DRAM, 2 threads at once, total by wall", 2.0 * bytes * passes / both.Wall / 1e9, "GB/s"));
                limits.Add(new("Read bandwidth, DRAM, 2 threads at once, each by CPU time", (double)bytes * passes / both.Cpu / 1e9, "GB/s"));
            }
        }
        return limits.ToArray();
    }

    /// <summary>
    /// Seven trials of <paramref name="threads"/> threads each running <paramref name="work"/>(index) twice (the first
    /// call warms up; the second is timed by the thread itself, after a barrier). Returns the fastest wall time (first
    /// start to last end) and the fastest CPU time of the slowest thread, in seconds.
    /// </summary>
    private static (double Wall, double Cpu) Fastest(int threads, Func<int, float> work)
    {
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int trial = 0; trial < 7; trial++)
        {
            using var start = new Barrier(threads);
            var workers = new Thread[threads];
            long[] t0 = new long[threads], t1 = new long[threads];
            double[] cpu = new double[threads];
            for (int t = 0; t < threads; t++)
            {
                int index = t;
                workers[t] = new Thread(() =>
                {
                    work(index);
                    start.SignalAndWait();
                    double c0 = Harness.ThreadCpuTime.Seconds();
                    t0[index] = Stopwatch.GetTimestamp();
                    work(index);
                    t1[index] = Stopwatch.GetTimestamp();
                    cpu[index] = Harness.ThreadCpuTime.Seconds() - c0;
                });
                workers[t].Start();
            }
            foreach (Thread w in workers) w.Join();
            long first = long.MaxValue, last = long.MinValue;
            for (int t = 0; t < threads; t++) { first = Math.Min(first, t0[t]); last = Math.Max(last, t1[t]); }
            bestWall = Math.Min(bestWall, (double)(last - first) / Stopwatch.Frequency);
            double slowest = 0;
            foreach (double c in cpu) slowest = Math.Max(slowest, c);
            bestCpu = Math.Min(bestCpu, slowest);
        }
        return (bestWall, bestCpu);
    }

    /// <summary>Σ of the buffer, <paramref name="passes"/> times, eight independent 256-bit accumulators (loads, not add latency, are the limit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Read(float[] buffer, int passes)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        ref float r = ref buffer[0];
        nuint n = (nuint)buffer.Length;
        for (int p = 0; p < passes; p++)
            for (nuint i = 0; i + 64 <= n; i += 64)
            {
                s0 += Vector256.LoadUnsafe(ref r, i); s1 += Vector256.LoadUnsafe(ref r, i + 8);
                s2 += Vector256.LoadUnsafe(ref r, i + 16); s3 += Vector256.LoadUnsafe(ref r, i + 24);
                s4 += Vector256.LoadUnsafe(ref r, i + 32); s5 += Vector256.LoadUnsafe(ref r, i + 40);
                s6 += Vector256.LoadUnsafe(ref r, i + 48); s7 += Vector256.LoadUnsafe(ref r, i + 56);
            }
        return Vector256.Sum((s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7));
    }
}

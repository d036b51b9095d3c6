using System;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Harness;

/// <summary>The calling thread's CPU time (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)); 0 elsewhere.</summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux();

    public static double Seconds()
    {
        if (!IsAvailable || ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t) != 0) return 0;
        return t.Seconds + t.Nanoseconds * 1e-9;
    }
}

using System;
using System.Diagnostics;
using System.Threading;

namespace NetGen.Numerics;

/// <summary>
/// How many threads the numeric kernels may use. Large matrix products are split by output block
/// across persistent worker threads; a reduction is never split, so every output element is computed
/// by the same sequence of operations whatever the thread count, and results are bit-identical with
/// 1 thread or many.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Parallelism
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>The most threads one kernel call uses, the calling thread included (default: the processor count; 1 runs everything on the caller).</summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxThreads = value;
        }
    }

    /// <summary>
    /// Products with fewer multiply-adds than this run on the calling thread alone: below it, waking
    /// a worker costs more than it saves. Default 2¹⁸ (about 5 µs of one core's work).
    /// </summary>
    public static long MinimumParallelWork
    {
        get => s_minimumParallelWork;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            s_minimumParallelWork = value;
        }
    }

    private static long s_minimumParallelWork = 1L << 18;

    /// <summary>How many threads a product of <paramref name="work"/> multiply-adds should use.</summary>
    internal static int ThreadsFor(long work) => work < s_minimumParallelWork ? 1 : Math.Min(s_maxThreads, WorkerPool.MaxWorkers + 1);
}

/// <summary>
/// Persistent background workers that take chunks of one job at a time, allocation-free.
/// A job is a function pointer and a pointer to its arguments on the caller's stack (the caller
/// pins its spans and waits, so both stay valid). Chunks are claimed dynamically (an interlocked
/// counter tagged with the job's generation), and the caller claims chunks too: a worker that is
/// asleep or descheduled only means the caller does more of the chunks. Which thread runs a chunk
/// never changes what it computes.
/// </summary>
internal static unsafe class WorkerPool
{
    /// <summary>Workers beyond the caller; grown on demand up to the processor count.</summary>
    public static int MaxWorkers => Environment.ProcessorCount - 1;

    private static readonly object s_growLock = new();
    private static Worker[] s_workers = [];

    // The current job. Written by the owning caller before the claim word is published.
    private static delegate*<void*, int, void> s_function;
    private static void* s_state;
    private static int s_completed;
    private static int s_workersWanted; // workers with a lower index may take chunks of the current job

    // The claim word: bits 32–63 the job generation, 16–31 the job's chunk count, 0–15 the next
    // chunk to claim. One word, so a late worker can never pair one job's count with another's.
    private static long s_claim;

    /// <summary>The most chunks one job may have.</summary>
    public const int MaxChunks = 0xFFFF;
    private static int s_busy;

    /// <summary>Jobs that ran split since an optimizer update last read and reset this (Optimizers.Parallel.cs).</summary>
    internal static int SplitJobs;

    /// <summary>Bytes the workers have allocated after their first job (for tests: it stays 0).</summary>
    internal static long WorkerAllocatedBytes;

    /// <summary>
    /// How long an idle worker spins for the next job before it sleeps, in Stopwatch ticks (1 ms).
    /// A train step runs serial parts (activations, loss, the update, small products) between its
    /// split products; a worker that went to sleep in one of them is woken through the kernel, which on
    /// this VM costs tens of microseconds per product (ThreadProfile's gap rows; benchmarks/README.md,
    /// "Round four: two threads"). 1 ms covers the serial parts of the MLP and LeNet-5 steps, and the
    /// spin ends a millisecond after the last product, so an idle process does not keep a core busy.
    /// </summary>
    internal static long SpinTicks = Stopwatch.Frequency / 1_000;

    private sealed class Worker
    {
        public readonly SemaphoreSlim Wake = new(0);
        public int Index;
        public int Sleeping;
        public long SeenGeneration;
    }

    /// <summary>
    /// Runs <paramref name="function"/>(state, c) for every c in [0, chunks), on up to
    /// <paramref name="threads"/> threads (the caller included), and returns when all are done.
    /// </summary>
    public static void Run(delegate*<void*, int, void> function, void* state, int chunks, int threads)
    {
        Debug.Assert(chunks <= MaxChunks);
        if (threads <= 1 || chunks <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            // Serial, or another thread owns the pool: the same chunks, in order, on this thread.
            for (int c = 0; c < chunks; c++) function(state, c);
            return;
        }
        try
        {
            Worker[] workers = EnsureWorkers(Math.Min(threads, chunks) - 1);
            s_function = function;
            s_state = state;
            s_workersWanted = Math.Min(threads, chunks) - 1;
            Volatile.Write(ref s_completed, 0);
            long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
            // Chunk 0 is the caller's before any worker can claim: with one chunk per thread, each thread
            // then takes the same part of every split pass, and the data it wrote stays in its cache.
            Interlocked.Exchange(ref s_claim, generation << 32 | (long)chunks << 16 | 1);
            int wanted = Math.Min(threads, chunks) - 1;
            for (int i = 0; i < wanted; i++)
                if (Interlocked.Exchange(ref workers[i].Sleeping, 0) == 1) workers[i].Wake.Release();

            function(state, 0);
            int done = 1 + RunChunks(generation);
            SplitJobs = 1;
            // Wait for the chunks that workers claimed; they are running, so spin.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_completed) + done < chunks) spin.SpinOnce(sleep1Threshold: -1);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and runs chunks of the given generation until none is left; returns how many this thread ran.</summary>
    private static int RunChunks(long generation)
    {
        int ran = 0;
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            if (claim >> 32 != generation) return ran;
            int chunk = (int)(claim & 0xFFFF), count = (int)((claim >> 16) & 0xFFFF);
            if (chunk >= count) return ran;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim) continue;
            s_function(s_state, chunk);
            ran++;
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        Worker[] workers = s_workers;
        if (workers.Length >= count) return workers;
        lock (s_growLock)
        {
            workers = s_workers;
            if (workers.Length >= count) return workers;
            var grown = new Worker[count];
            Array.Copy(workers, grown, workers.Length);
            for (int i = workers.Length; i < count; i++)
            {
                var worker = new Worker { Index = i, SeenGeneration = Volatile.Read(ref s_claim) >> 32 };
                grown[i] = worker;
                new Thread(() => Loop(worker)) { IsBackground = true, Name = $"NetGen worker {i + 1}" }.Start();
            }
            s_workers = grown;
            return grown;
        }
    }

    private static void Loop(Worker self)
    {
        while (true)
        {
            long generation = Volatile.Read(ref s_claim) >> 32;
            if (generation == self.SeenGeneration)
            {
                // Spin briefly: in a training loop the next product comes within microseconds.
                // Pause instructions, and every 64 rounds (some microseconds) the clock and one yield
                // to the OS, so that on a loaded machine a thread waiting for this core gets it.
                long start = Stopwatch.GetTimestamp(), limit = SpinTicks;
                for (int round = 1; (generation = Volatile.Read(ref s_claim) >> 32) == self.SeenGeneration; round++)
                {
                    Thread.SpinWait(4);
                    if ((round & 63) != 0) continue;
                    if (Stopwatch.GetTimestamp() - start >= limit) break;
                    Thread.Yield();
                }
                if (generation == self.SeenGeneration)
                {
                    // Sleep. A caller that publishes a job after this flag is set wakes us; one that
                    // published before it is seen by the re-check.
                    Interlocked.Exchange(ref self.Sleeping, 1);
                    if (Volatile.Read(ref s_claim) >> 32 == self.SeenGeneration) self.Wake.Wait();
                    else if (Interlocked.Exchange(ref self.Sleeping, 0) == 0) self.Wake.Wait(); // a caller cleared it and released: consume that release
                    continue;
                }
            }
            self.SeenGeneration = generation;
            if (self.Index >= Volatile.Read(ref s_workersWanted)) continue; // this job runs on fewer threads
            long before = GC.GetAllocatedBytesForCurrentThread();
            int ran = RunChunks(generation);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated != 0) Interlocked.Add(ref WorkerAllocatedBytes, allocated);
            if (ran > 0) Interlocked.Add(ref s_completed, ran);
        }
    }
}

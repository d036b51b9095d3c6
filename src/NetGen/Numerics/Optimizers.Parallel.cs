using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NetGen.Numerics;

// SGD and Adam split across threads. The parameters are cut into runs of whole 64-byte blocks
// (the last run takes the rest), so every element takes the same form as on one thread, the
// 256-bit vector form or, past the last whole vector, the scalar rule: the same bits whatever the
// thread count. Each run is a contiguous stretch of w, g (and m, v), so each core streams its own.
public static unsafe partial class Optimizers
{
    /// <summary>SGD: w −= lr·(g + λw).</summary>
    public static void Sgd<T>(Span<T> w, ReadOnlySpan<T> g, T lr, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(w.Length, g.Length, nameof(g));
        fixed (T* pw = w, pg = g)
        {
            var job = new UpdateJob<T> { W = pw, G = pg, Length = w.Length, Lr = lr, WeightDecay = weightDecay };
            if (RunSplit(ref job, &SgdChunk<T>, SgdCostPerElement)) return;
        }
        SgdRange(w, g, lr, weightDecay);
    }

    /// <summary>
    /// Adam (step t ≥ 1): m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²;
    /// w −= (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), the order of operations of <c>torch.optim.Adam</c>.
    /// </summary>
    public static void Adam<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, T lr, T beta1, T beta2, T epsilon, T weightDecay, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(w.Length, g.Length, nameof(g));
        Check(w.Length, m.Length, nameof(m));
        Check(w.Length, v.Length, nameof(v));
        fixed (T* pw = w, pg = g, pm = m, pv = v)
        {
            var job = new UpdateJob<T>
            {
                W = pw, G = pg, M = pm, V = pv, Length = w.Length, Lr = lr, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon, WeightDecay = weightDecay, Step = step,
            };
            if (RunSplit(ref job, &AdamChunk<T>, AdamCostPerElement)) return;
        }
        AdamRange(w, g, m, v, lr, beta1, beta2, epsilon, weightDecay, step);
    }

    /// <summary>Rough costs of one element in multiply-adds (SGD: three memory streams; Adam: five, a square root and a divide).</summary>
    private const int SgdCostPerElement = 4, AdamCostPerElement = 16;

    /// <summary>The arguments of one split update, on the caller's stack while workers read them.</summary>
    private struct UpdateJob<T> where T : unmanaged
    {
        public T* W, G, M, V;
        public int Length, Chunks;
        public T Lr, Beta1, Beta2, Epsilon, WeightDecay;
        public long Step;
    }

    /// <summary>
    /// Whether SGD and Adam may split even when no product split since the last update (tests). An
    /// update splits only after split products: then the worker holds its part of the gradients and,
    /// from the forward pass, of the weights. After a step whose products all ran on the caller (batch
    /// 1), a split update made the worker pull its half of w and g out of the caller's cache every
    /// step: measured (quick run, 18:39 UTC), MLP train step b1 13.6 → 72.9 µs, LeNet-5 74 → 97 µs on 2T.
    /// Unsplit at batch 64, the MLP train step on 2T was slower than on 1T again (185 vs 164 µs).
    /// </summary>
    internal static bool SplitUpdates { get; set; }

    /// <summary>Runs <paramref name="chunk"/> over runs of the parameters across threads when the update is long enough; false: run it on this thread.</summary>
    private static bool RunSplit<T>(ref UpdateJob<T> job, delegate*<void*, int, void> chunk, int costPerElement) where T : unmanaged
    {
        bool productsSplit = Interlocked.Exchange(ref WorkerPool.SplitJobs, 0) > 0;
        int threads = SplitUpdates || productsSplit ? Parallelism.ThreadsFor((long)job.Length * costPerElement) : 1;
        int blocks = job.Length / (64 / sizeof(T));
        if (threads <= 1 || blocks < 2) return false;
        job.Chunks = Math.Min(blocks, threads); // one run per thread: the same part of the parameters every step
        WorkerPool.Run(chunk, Unsafe.AsPointer(ref job), job.Chunks, threads);
        return true;
    }

    /// <summary>Elements [start, end) of chunk <paramref name="i"/>: whole 64-byte blocks, the last chunk to the end.</summary>
    private static (int Start, int End) ChunkRange<T>(in UpdateJob<T> job, int i) where T : unmanaged
    {
        int block = 64 / sizeof(T), blocks = job.Length / block;
        int start = (int)((long)blocks * i / job.Chunks) * block;
        int end = i == job.Chunks - 1 ? job.Length : (int)((long)blocks * (i + 1) / job.Chunks) * block;
        return (start, end);
    }

    private static void SgdChunk<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref UpdateJob<T> job = ref Unsafe.AsRef<UpdateJob<T>>(state);
        (int start, int end) = ChunkRange(job, i);
        SgdRange(new Span<T>(job.W + start, end - start), new ReadOnlySpan<T>(job.G + start, end - start), job.Lr, job.WeightDecay);
    }

    private static void AdamChunk<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref UpdateJob<T> job = ref Unsafe.AsRef<UpdateJob<T>>(state);
        (int start, int end) = ChunkRange(job, i);
        int n = end - start;
        AdamRange(new Span<T>(job.W + start, n), new ReadOnlySpan<T>(job.G + start, n), new Span<T>(job.M + start, n), new Span<T>(job.V + start, n),
            job.Lr, job.Beta1, job.Beta2, job.Epsilon, job.WeightDecay, job.Step);
    }
}

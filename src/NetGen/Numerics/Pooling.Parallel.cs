using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

// The pooling passes split across threads by samples. Every window lies inside one sample (and the
// arg-max indices are within the sample), so a run of samples is computed by exactly the code and
// the order of the one-thread pass: the results are the same bits whatever the thread count.
public static unsafe partial class Pooling
{
    /// <summary>y[b, c, oy, ox] = max over the window of x; argmax receives the index within the sample (c·H·W + iy·W + ix).</summary>
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, shape);
        CheckArgmax(argmax.Length, batch, shape);
        fixed (T* px = x, py = y)
        fixed (int* pa = argmax)
            if (RunBySamples(Pass.MaxForward, px, py, pa, batch, shape)) return;
        MaxForwardSamples(x, y, argmax, batch, shape);
    }

    /// <summary>The arg-max buffer holds one index per output of the batch.</summary>
    private static void CheckArgmax(int length, int batch, in Pool2DShape shape)
    {
        if (length < batch * shape.OutputSize) throw new ArgumentException("The arg-max buffer is too short.", "argmax");
    }

    /// <summary>dx[b, argmax] += dy[b, o] for every output o; zero elsewhere. Overwrites dx.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dx.Length, dy.Length, batch, shape);
        CheckArgmax(argmax.Length, batch, shape);
        fixed (T* pdx = dx, pdy = dy)
        fixed (int* pa = argmax)
            if (RunBySamples(Pass.MaxBackward, pdx, pdy, pa, batch, shape)) return;
        MaxBackwardSamples(dy, argmax, dx, batch, shape);
    }

    /// <summary>y[b, c, oy, ox] = the mean of x over the window.</summary>
    public static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, shape);
        fixed (T* px = x, py = y)
            if (RunBySamples(Pass.AverageForward, px, py, null, batch, shape)) return;
        AverageForwardSamples(x, y, batch, shape);
    }

    /// <summary>dx[window] += dy[b, c, oy, ox] / size² for every output. Overwrites dx.</summary>
    public static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in Pool2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dx.Length, dy.Length, batch, shape);
        fixed (T* pdx = dx, pdy = dy)
            if (RunBySamples(Pass.AverageBackward, pdx, pdy, null, batch, shape)) return;
        AverageBackwardSamples(dy, dx, batch, shape);
    }

    private enum Pass { MaxForward, MaxBackward, AverageForward, AverageBackward }

    /// <summary>The arguments of one split pass, on the caller's stack while workers read them.</summary>
    private struct PoolJob<T> where T : unmanaged
    {
        /// <summary>The input-sized tensor (x, or dx) and the output-sized one (y, or dy).</summary>
        public T* Input, Output;
        public int* Argmax;
        public int Batch, Chunks;
        public Pass Pass;
        public Pool2DShape Shape;
    }

    /// <summary>Rough cost of one input value of a pooling pass in multiply-adds (a load, a compare or add, a store).</summary>
    private const int CostPerInput = 4;

    /// <summary>Runs the pass on runs of samples across threads when it is long enough; false: run it on this thread.</summary>
    private static bool RunBySamples<T>(Pass pass, T* input, T* output, int* argmax, int batch, in Pool2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = Parallelism.ThreadsFor((long)batch * shape.InputSize * CostPerInput);
        if (threads <= 1 || batch < 2) return false;
        var job = new PoolJob<T> { Input = input, Output = output, Argmax = argmax, Batch = batch, Pass = pass, Shape = shape };
        job.Chunks = Math.Min(batch, threads); // one run of samples per thread: each keeps the samples it wrote before
        WorkerPool.Run(&Chunk<T>, Unsafe.AsPointer(ref job), job.Chunks, threads);
        return true;
    }

    /// <summary>Samples [b0, b1) of chunk <paramref name="i"/>, through the one-thread pass.</summary>
    private static void Chunk<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref PoolJob<T> job = ref Unsafe.AsRef<PoolJob<T>>(state);
        int b0 = (int)((long)job.Batch * i / job.Chunks), n = (int)((long)job.Batch * (i + 1) / job.Chunks) - b0;
        int inSize = job.Shape.InputSize, outSize = job.Shape.OutputSize;
        var inputs = new Span<T>(job.Input + (nint)b0 * inSize, n * inSize);
        var outputs = new Span<T>(job.Output + (nint)b0 * outSize, n * outSize);
        var argmax = new Span<int>(job.Argmax + (nint)b0 * outSize, job.Argmax == null ? 0 : n * outSize);
        switch (job.Pass)
        {
            case Pass.MaxForward: MaxForwardSamples<T>(inputs, outputs, argmax, n, job.Shape); break;
            case Pass.MaxBackward: MaxBackwardSamples<T>(outputs, argmax, inputs, n, job.Shape); break;
            case Pass.AverageForward: AverageForwardSamples<T>(inputs, outputs, n, job.Shape); break;
            default: AverageBackwardSamples<T>(outputs, inputs, n, job.Shape); break;
        }
    }
}

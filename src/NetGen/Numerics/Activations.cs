using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>The driver loops that apply activations (and their derivatives) over spans.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>a = f(z), element-wise.</summary>
    public static unsafe void Forward<T, TOp>(TOp op, ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        if (a.Length < z.Length) throw new ArgumentException("Output shorter than input.", nameof(a));
        int n = z.Length;
        // Long spans through a vector form (tanh, sigmoid: an exponential and a divide per element,
        // ~ParallelCostPerElement FMAs' worth) are split across threads in whole 64-byte vectors:
        // each element still takes the vector form or (the span's last partial vector) the scalar
        // form exactly as on one thread, so the bits never depend on the thread count.
        if (TOp.IsVectorized && (Simd.Use512<T>() || Simd.Use256<T>()) && n >= 2 * Vector512<T>.Count)
        {
            int threads = Parallelism.ThreadsFor((long)n * ParallelCostPerElement);
            if (threads > 1)
            {
                fixed (T* pz = z, pa = a)
                {
                    var job = new ActivationJob<T, TOp> { Z = pz, A = pa, Length = n, Op = op };
                    job.Chunks = Math.Min(n / Vector512<T>.Count, threads); // one contiguous run per thread (see WorkerPool.Run: the caller takes the first)
                    WorkerPool.Run(&ForwardChunk<T, TOp>, Unsafe.AsPointer(ref job), job.Chunks, threads);
                }
                return;
            }
        }
        ForwardRange(op, ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(a), (nuint)n);
    }

    /// <summary>Rough cost of one vectorised activation element in multiply-adds (for <see cref="Parallelism.ThreadsFor"/>).</summary>
    private const int ParallelCostPerElement = 32;

    private unsafe struct ActivationJob<T, TOp> where T : unmanaged
    {
        public T* Z, A, DA, DZ; // DA, DZ: the backward pass only
        public int Length, Chunks;
        public TOp Op;
    }

    private static unsafe void ForwardChunk<T, TOp>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        ref ActivationJob<T, TOp> job = ref Unsafe.AsRef<ActivationJob<T, TOp>>(state);
        int v = Vector512<T>.Count, vectors = job.Length / v;
        int start = (int)((long)vectors * chunk / job.Chunks) * v;
        int end = chunk == job.Chunks - 1 ? job.Length : (int)((long)vectors * (chunk + 1) / job.Chunks) * v;
        ForwardRange(job.Op, ref Unsafe.AsRef<T>(job.Z + start), ref Unsafe.AsRef<T>(job.A + start), (nuint)(end - start));
    }

    private static void ForwardRange<T, TOp>(TOp op, ref T zr, ref T ar, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        nuint i = 0;
        // Whole vectors through the operator's vector form, then the rest one by one (a may alias z,
        // so the tail is never redone with an overlapping vector).
        if (TOp.IsVectorized && Simd.Use512<T>())
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref zr, i)).StoreUnsafe(ref ar, i);
        else if (TOp.IsVectorized && Simd.Use256<T>())
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref zr, i)).StoreUnsafe(ref ar, i);
        for (; i < n; i++) Unsafe.Add(ref ar, i) = op.Invoke(Unsafe.Add(ref zr, i));
    }

    /// <summary>dz = da ⊙ f'(z), element-wise.</summary>
    public static unsafe void Backward<T, TOp>(TOp op, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        int length = dz.Length;
        if (z.Length < length || a.Length < length || da.Length < length) throw new ArgumentException("Inputs shorter than dz.", nameof(dz));
        // Long spans (a conv layer's output at batch 64: four 1.2 MB streams) split across threads
        // in whole 64-byte vectors, as Forward: every element takes the same form as on one thread.
        if (TOp.IsVectorized && (Simd.Use512<T>() || Simd.Use256<T>()) && length >= 2 * Vector512<T>.Count)
        {
            int threads = Parallelism.ThreadsFor((long)length * BackwardParallelCostPerElement);
            if (threads > 1)
            {
                fixed (T* pz = z, pa = a, pda = da, pdz = dz)
                {
                    var job = new ActivationJob<T, TOp> { Z = pz, A = pa, DA = pda, DZ = pdz, Length = length, Op = op };
                    job.Chunks = Math.Min(length / Vector512<T>.Count, threads);
                    WorkerPool.Run(&BackwardChunk<T, TOp>, Unsafe.AsPointer(ref job), job.Chunks, threads);
                }
                return;
            }
        }
        BackwardRange(op, ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(da), ref MemoryMarshal.GetReference(dz), (nuint)length);
    }

    /// <summary>Rough cost of one derivative element in multiply-adds: four memory streams, little arithmetic.</summary>
    private const int BackwardParallelCostPerElement = 4;

    private static unsafe void BackwardChunk<T, TOp>(void* state, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        ref ActivationJob<T, TOp> job = ref Unsafe.AsRef<ActivationJob<T, TOp>>(state);
        int v = Vector512<T>.Count, vectors = job.Length / v;
        int start = (int)((long)vectors * chunk / job.Chunks) * v;
        int end = chunk == job.Chunks - 1 ? job.Length : (int)((long)vectors * (chunk + 1) / job.Chunks) * v;
        BackwardRange(job.Op, ref Unsafe.AsRef<T>(job.Z + start), ref Unsafe.AsRef<T>(job.A + start), ref Unsafe.AsRef<T>(job.DA + start), ref Unsafe.AsRef<T>(job.DZ + start), (nuint)(end - start));
    }

    private static void BackwardRange<T, TOp>(TOp op, ref T zr, ref T ar, ref T dar, ref T dzr, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        nuint i = 0;
        if (TOp.IsVectorized && Simd.Use512<T>())
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref dar, i) * op.Derivative(Vector512.LoadUnsafe(ref zr, i), Vector512.LoadUnsafe(ref ar, i))).StoreUnsafe(ref dzr, i);
        else if (TOp.IsVectorized && Simd.Use256<T>())
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dar, i) * op.Derivative(Vector256.LoadUnsafe(ref zr, i), Vector256.LoadUnsafe(ref ar, i))).StoreUnsafe(ref dzr, i);
        for (; i < n; i++) Unsafe.Add(ref dzr, i) = Unsafe.Add(ref dar, i) * op.Derivative(Unsafe.Add(ref zr, i), Unsafe.Add(ref ar, i));
    }

    /// <summary>PReLU: a[b,u] = z if z ≥ 0 else slope[u]·z.</summary>
    public static void PReLUForward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, Span<T> a, int batch, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (slopes.Length < units || z.Length < batch * units || a.Length < batch * units) throw new ArgumentException("Spans shorter than batch × units.");
        ref T sr = ref MemoryMarshal.GetReference(slopes);
        for (int b = 0; b < batch; b++)
        {
            ref T zr = ref MemoryMarshal.GetReference(z.Slice(b * units, units));
            ref T ar = ref MemoryMarshal.GetReference(a.Slice(b * units, units));
            nuint n = (nuint)units, u = 0;
            if (Simd.Use512<T>())
                for (; u + (nuint)Vector512<T>.Count <= n; u += (nuint)Vector512<T>.Count)
                {
                    Vector512<T> v = Vector512.LoadUnsafe(ref zr, u);
                    Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<T>.Zero), v, Vector512.LoadUnsafe(ref sr, u) * v).StoreUnsafe(ref ar, u);
                }
            else if (Simd.Use256<T>())
                for (; u + (nuint)Vector256<T>.Count <= n; u += (nuint)Vector256<T>.Count)
                {
                    Vector256<T> v = Vector256.LoadUnsafe(ref zr, u);
                    Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, Vector256<T>.Zero), v, Vector256.LoadUnsafe(ref sr, u) * v).StoreUnsafe(ref ar, u);
                }
            for (; u < n; u++)
            {
                T v = Unsafe.Add(ref zr, u);
                Unsafe.Add(ref ar, u) = PReLUMath.Forward(v, Unsafe.Add(ref sr, u));
            }
        }
    }

    /// <summary>PReLU backward: dz = da·(1 or slope[u]); dslope[u] = Σ_b da·z over z &lt; 0 (overwritten).</summary>
    public static void PReLUBackward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, ReadOnlySpan<T> da, Span<T> dz, Span<T> dslopes, int batch, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (slopes.Length < units || dslopes.Length < units || z.Length < batch * units || da.Length < batch * units || dz.Length < batch * units)
            throw new ArgumentException("Spans shorter than batch × units.");
        dslopes.Slice(0, units).Clear();
        ref T sr = ref MemoryMarshal.GetReference(slopes);
        ref T gr = ref MemoryMarshal.GetReference(dslopes);
        for (int b = 0; b < batch; b++)
        {
            ref T zr = ref MemoryMarshal.GetReference(z.Slice(b * units, units));
            ref T dar = ref MemoryMarshal.GetReference(da.Slice(b * units, units));
            ref T dzr = ref MemoryMarshal.GetReference(dz.Slice(b * units, units));
            nuint n = (nuint)units, u = 0;
            // dslope[u] accumulates over b in order, in a lane or in the tail alike (+0 where z > 0).
            if (Simd.Use512<T>())
                for (; u + (nuint)Vector512<T>.Count <= n; u += (nuint)Vector512<T>.Count)
                {
                    Vector512<T> v = Vector512.LoadUnsafe(ref zr, u), g = Vector512.LoadUnsafe(ref dar, u);
                    Vector512<T> positive = Vector512.GreaterThan(v, Vector512<T>.Zero);
                    Vector512.ConditionalSelect(positive, g, g * Vector512.LoadUnsafe(ref sr, u)).StoreUnsafe(ref dzr, u);
                    (Vector512.LoadUnsafe(ref gr, u) + Vector512.ConditionalSelect(positive, Vector512<T>.Zero, g * v)).StoreUnsafe(ref gr, u);
                }
            else if (Simd.Use256<T>())
                for (; u + (nuint)Vector256<T>.Count <= n; u += (nuint)Vector256<T>.Count)
                {
                    Vector256<T> v = Vector256.LoadUnsafe(ref zr, u), g = Vector256.LoadUnsafe(ref dar, u);
                    Vector256<T> positive = Vector256.GreaterThan(v, Vector256<T>.Zero);
                    Vector256.ConditionalSelect(positive, g, g * Vector256.LoadUnsafe(ref sr, u)).StoreUnsafe(ref dzr, u);
                    (Vector256.LoadUnsafe(ref gr, u) + Vector256.ConditionalSelect(positive, Vector256<T>.Zero, g * v)).StoreUnsafe(ref gr, u);
                }
            for (; u < n; u++)
            {
                T v = Unsafe.Add(ref zr, u), g = Unsafe.Add(ref dar, u);
                Unsafe.Add(ref dzr, u) = PReLUMath.InputGradient(v, Unsafe.Add(ref sr, u), g);
                if (!PReLUMath.IsPositive(v)) Unsafe.Add(ref gr, u) += PReLUMath.SlopeGradient(v, g);
            }
        }
    }

    /// <summary>Row-wise softmax, stabilised by subtracting each row's maximum.</summary>
    public static void SoftmaxForward<T>(ReadOnlySpan<T> z, Span<T> a, int batch, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> zr = z.Slice(b * n, n);
            Span<T> ar = a.Slice(b * n, n);
            T sum = RowMath.SumExp(zr, RowMath.Max(zr), ar);
            RowMath.Scale(ar, T.One / sum);
        }
    }

    /// <summary>Softmax backward through its Jacobian: dz = a ⊙ (da − Σⱼ aⱼ·daⱼ), row by row.</summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int batch, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            int o = b * n;
            T dot = RowMath.Dot(a.Slice(o, n), da.Slice(o, n));
            ref T ar = ref MemoryMarshal.GetReference(a.Slice(o, n));
            ref T dar = ref MemoryMarshal.GetReference(da.Slice(o, n));
            ref T dzr = ref MemoryMarshal.GetReference(dz.Slice(o, n));
            nuint i = 0;
            if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
                for (; i + (nuint)Vector256<T>.Count <= (nuint)n; i += (nuint)Vector256<T>.Count)
                    (Vector256.LoadUnsafe(ref ar, i) * (Vector256.LoadUnsafe(ref dar, i) - Vector256.Create(dot))).StoreUnsafe(ref dzr, i);
            for (; i < (nuint)n; i++) Unsafe.Add(ref dzr, i) = SoftmaxMath.InputGradient(Unsafe.Add(ref ar, i), Unsafe.Add(ref dar, i), dot);
        }
    }

    /// <summary>True when every value is finite.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T r = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, i = 0;
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
        {
            // v − v is 0 for finite v and NaN for ±∞ and NaN.
            Vector256<T> bad = Vector256<T>.Zero;
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref r, i);
                bad |= ~Vector256.Equals(v - v, Vector256<T>.Zero);
            }
            if (bad != Vector256<T>.Zero) return false;
        }
        for (; i < n; i++) if (!T.IsFinite(Unsafe.Add(ref r, i))) return false;
        return true;
    }
}

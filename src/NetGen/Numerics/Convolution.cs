using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The geometry of a 2-D convolution over one NCHW sample (PyTorch's <c>nn.Conv2d</c>, square
/// kernel, zero padding on every side). The generated code builds it from constants.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly struct Conv2DShape
{
    public Conv2DShape(int channels, int height, int width, int filters, int kernelSize, int stride, int padding)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(channels), "Every size must be positive and the padding not negative.");
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutHeight = (height + 2 * padding - kernelSize) / stride + 1;
        OutWidth = (width + 2 * padding - kernelSize) / stride + 1;
        if (OutHeight <= 0 || OutWidth <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), "The kernel is larger than the padded input.");
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    /// <summary>Values per input sample: channels·height·width.</summary>
    public int InputSize => Channels * Height * Width;
    /// <summary>Values per output sample: filters·outHeight·outWidth.</summary>
    public int OutputSize => Filters * OutHeight * OutWidth;
    /// <summary>Values in one receptive field, the rows of the unrolled input: channels·k·k.</summary>
    public int PatchSize => Channels * KernelSize * KernelSize;
    /// <summary>Output positions per filter, the columns of the unrolled input: outHeight·outWidth.</summary>
    public int Positions => OutHeight * OutWidth;
    /// <summary>Values in one sample's unrolled input (the im2col scratch): patchSize·positions.</summary>
    public int ColumnsSize => PatchSize * Positions;
}

/// <summary>
/// 2-D convolution, NCHW activations, weight [filters, channels, k, k] then bias [filters] (PyTorch's
/// layout). Each sample's input is unrolled (im2col) into a [channels·k·k, outH·outW] matrix in a
/// caller-owned scratch, so the convolution becomes one product with the [filters, channels·k·k]
/// weight matrix whose long, contiguous rows vectorise well; the input gradient is the transposed
/// product folded back onto the image (col2im). Nothing here allocates.
/// </summary>
/// <remarks>
/// Large calls are split across <see cref="Parallelism"/>'s workers without splitting any sum and
/// without more scratch: the forward pass by output rows (each part unrolls and multiplies its own
/// columns of the scratch), the weight gradient by patch rows (each part unrolls its own rows and
/// owns those columns of dW, still summing the samples in order), the input gradient by input
/// channels (each part owns its rows of the scratch and its planes of dx). Every value is computed
/// by the same operations in the same order whatever the number of threads, so results are
/// bit-identical with one thread or many.
/// <para>
/// Some shapes skip the unrolling, where copying every patch would cost as much as the product
/// (LeNet-5's convolutions): unpadded ones with whole vectors of filters read the input in place,
/// a vector of filters per position (<see cref="DirectForwardPart{T}"/>, <see cref="DirectWeightGradientPart{T}"/>);
/// stride-1 ones with few filters and rows of one or two vectors work along the rows of a zero-padded
/// copy (<see cref="RowForwardPart{T}"/>). Each keeps the per-value order of operations fixed, so the
/// thread rule above holds for them too.
/// </para>
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static unsafe partial class Convolution
{
    /// <summary>z[b, f] = bias[f] + Σ_c W[f, c] ⋆ x[b, c] (cross-correlation, as PyTorch), for every sample.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> z, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, batch, shape.InputSize, nameof(x));
        Check(z.Length, batch, shape.OutputSize, nameof(z));
        CheckParameters(weight.Length, bias.Length, columns.Length, shape);
        fixed (T* px = x, pw = weight, pb = bias, pz = z, pc = columns)
        {
            var job = new Job<T> { X = px, W = pw, Bias = pb, Out = pz, Columns = pc, Batch = batch, Shape = shape };
            if (UsesFlatForward<T>(shape))
            {
                // Output positions in the lanes (Convolution.FlatForward.cs), samples split across threads.
                Run(&FlatForwardPart<T>, ref job, batch, (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 2);
                return;
            }
            if (UsesDirectForward<T>(shape))
            {
                // Wᵀ [patchSize, filters] into the scratch, read by every part.
                for (int f = 0; f < shape.Filters; f++)
                    for (int r = 0; r < shape.PatchSize; r++) pc[r * shape.Filters + f] = pw[f * shape.PatchSize + r];
                Run(&DirectForwardPart<T>, ref job, shape.OutHeight, (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 2);
                return;
            }
            int threads = Parallelism.ThreadsFor((long)batch * shape.Filters * shape.ColumnsSize);
            int rowParts = PaddedRowForwardParts<T>(shape, threads, batch);
            if (rowParts > 0)
            {
                job.Units = batch; // parts are runs of samples (each part pads its samples into its own scratch)
                job.Parts = rowParts;
                if (rowParts == 1) RowForwardPart<T>(Unsafe.AsPointer(ref job), 0);
                else WorkerPool.Run(&RowForwardPart<T>, Unsafe.AsPointer(ref job), rowParts, threads);
                return;
            }
            // One part per thread: more would cut the rows the product vectorises along.
            Run(&ForwardPart<T>, ref job, shape.OutHeight, (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 1);
        }
    }

    /// <summary>dW[f, r] = Σ_b Σ_p dz[b, f, p]·cols_b[r, p];  db[f] = Σ_b Σ_p dz[b, f, p]. Overwrites both.</summary>
    public static void BackwardWeights<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, Span<T> weightGradient, Span<T> biasGradient, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, batch, shape.InputSize, nameof(x));
        Check(dz.Length, batch, shape.OutputSize, nameof(dz));
        CheckParameters(weightGradient.Length, biasGradient.Length, columns.Length, shape);
        Span<T> db = biasGradient.Slice(0, shape.Filters);
        db.Clear();
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < shape.Filters; f++)
                db[f] += ConvolutionProducts.Sum(dz.Slice(b * shape.OutputSize + f * shape.Positions, shape.Positions));
        weightGradient.Slice(0, shape.Filters * shape.PatchSize).Clear();
        fixed (T* px = x, pdz = dz, pdw = weightGradient, pc = columns)
        {
            var job = new Job<T> { X = px, Gradient = pdz, WeightGradient = pdw, Columns = pc, Batch = batch, Shape = shape };
            if (UsesRowWeightGradient<T>(shape))
            {
                // Along output rows, without unrolling (Convolution.RowGradient.cs).
                Run(&RowWeightGradientPart<T>, ref job, RowGradientUnits(shape), (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 1);
                return;
            }
            int threads = Parallelism.ThreadsFor((long)batch * shape.Filters * shape.ColumnsSize);
            int directParts = DirectWeightGradientParts<T>(shape, threads);
            if (directParts > 0)
            {
                job.Units = shape.PatchSize;
                job.Parts = directParts;
                if (directParts == 1) DirectWeightGradientPart<T>(Unsafe.AsPointer(ref job), 0);
                else WorkerPool.Run(&DirectWeightGradientPart<T>, Unsafe.AsPointer(ref job), directParts, threads);
                return;
            }
            // Parts of whole four-row blocks, so the dot kernel's blocks are the same however it is split.
            Run(&WeightGradientPart<T>, ref job, (shape.PatchSize + 3) / 4, (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 4);
        }
    }

    /// <summary>dx[b] = col2im(Wᵀ·dz[b]): each input value collects the gradient of every output it fed. Overwrites dx.</summary>
    public static void BackwardInput<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> weight, Span<T> dx, Span<T> columns, int batch, in Conv2DShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length, batch, shape.OutputSize, nameof(dz));
        Check(dx.Length, batch, shape.InputSize, nameof(dx));
        CheckParameters(weight.Length, shape.Filters, columns.Length, shape);
        fixed (T* pdz = dz, pw = weight, pdx = dx, pc = columns)
        {
            var job = new Job<T> { Gradient = pdz, W = pw, Out = pdx, Columns = pc, Batch = batch, Shape = shape };
            Run(&InputGradientPart<T>, ref job, shape.Channels, (long)batch * shape.Filters * shape.ColumnsSize, partsPerThread: 2);
        }
    }

    /// <summary>The arguments of one call, on the caller's stack while workers read them.</summary>
    private struct Job<T> where T : unmanaged
    {
        /// <summary>x, W, bias, dz (the gradient coming in), z or dx (what the call writes), dW, the im2col scratch.</summary>
        public T* X, W, Bias, Gradient, Out, WeightGradient, Columns;
        public int Batch, Parts, Units;
        public Conv2DShape Shape;
    }

    /// <summary>
    /// Runs <paramref name="part"/> over <paramref name="units"/> units (output rows, row blocks or
    /// channels) split into near-equal parts. Parts are claimed dynamically, so with a few per thread
    /// a busy or descheduled core just takes fewer of them.
    /// </summary>
    private static void Run<T>(delegate*<void*, int, void> part, ref Job<T> job, int units, long work, int partsPerThread) where T : unmanaged
    {
        int threads = Parallelism.ThreadsFor(work);
        job.Units = units;
        job.Parts = threads <= 1 ? 1 : Math.Min(threads * partsPerThread, units);
        if (job.Parts <= 1)
        {
            job.Parts = 1;
            part(Unsafe.AsPointer(ref job), 0);
            return;
        }
        WorkerPool.Run(part, Unsafe.AsPointer(ref job), job.Parts, threads);
    }

    /// <summary>The units [first, end) of part <paramref name="i"/>.</summary>
    private static (int First, int End) Range<T>(in Job<T> job, int i) where T : unmanaged
        => ((int)((long)job.Units * i / job.Parts), (int)((long)job.Units * (i + 1) / job.Parts));

    /// <summary>Output rows [oy0, oy1) of every sample: unroll those columns, multiply them.</summary>
    private static void ForwardPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int oy0, int oy1) = Range(job, i);
        int p0 = oy0 * shape.OutWidth, count = (oy1 - oy0) * shape.OutWidth;
        var x = new ReadOnlySpan<T>(job.X, job.Batch * shape.InputSize);
        var z = new Span<T>(job.Out, job.Batch * shape.OutputSize);
        var w = new ReadOnlySpan<T>(job.W, shape.Filters * shape.PatchSize);
        var bias = new ReadOnlySpan<T>(job.Bias, shape.Filters);
        var cols = new Span<T>(job.Columns, shape.ColumnsSize);
        for (int b = 0; b < job.Batch; b++)
        {
            Unroll(x.Slice(b * shape.InputSize, shape.InputSize), cols, shape, 0, shape.PatchSize, oy0, oy1);
            // z[f, p] = bias[f] + Σ_r W[f, r]·cols[r, p]
            ConvolutionProducts.MultiplyRows(w, shape.PatchSize, 1, shape.Filters, shape.PatchSize,
                cols.Slice(p0), shape.Positions, count, z.Slice(b * shape.OutputSize + p0), shape.Positions, bias);
        }
    }

    /// <summary>
    /// How many parts the forward pass can use when it works along output rows on a
    /// zero-padded copy of each sample (0: not this way): stride 1, output rows of one to two vectors,
    /// few filters (LeNet-5's conv1: 1 channel, 28 wide, 6 filters). Each part pads the sample into its
    /// own slice of the scratch.
    /// </summary>
    private static int PaddedRowForwardParts<T>(in Conv2DShape shape, int threads, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated || !Vector512<T>.IsSupported || shape.Stride != 1) return 0;
        int width = Vector512<T>.Count;
        if (shape.OutWidth < width || shape.OutWidth > 2 * width || shape.Filters > 2 * RowFilters) return 0;
        long padded = (long)shape.Channels * (shape.Height + 2 * shape.Padding) * (shape.Width + 2 * shape.Padding);
        // Runs of samples, two per thread, claimed dynamically. (Runs of output rows, as before, made every
        // part copy each sample's rows plus a k − 1 row halo and walk all samples: on two threads
        // LeNet-5's conv1 ran slower than on one, 103 → 114 µs; ThreadProfile, benchmarks/README.md.)
        int parts = threads <= 1 ? 1 : Math.Min(threads * 2, batch);
        while (parts > 1 && parts * padded > shape.ColumnsSize) parts--;
        return padded <= shape.ColumnsSize ? parts : 0;
    }

    /// <summary>Filters computed together along an output row (two vectors each: twelve sums).</summary>
    private const int RowFilters = 6;

    /// <summary>
    /// Samples [b0, b1), every output row, from a zero-padded copy xp of each sample:
    /// z[f, oy, ox..ox+v] = bias[f] + Σ_(c,ky,kx) W[f, c, ky, kx]·xp[c, oy + ky, ox + kx..ox + kx + v],
    /// a row as two vectors (the second overlapping the first, its shared lanes computed identically),
    /// six filters at a time (a short group repeats its last filter). Each output is one FMA chain from
    /// its bias over (c, ky, kx) in order, the order of the im2col product.
    /// </summary>
    private static void RowForwardPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int first, int end) = Range(job, i);
        int oy0 = 0, oy1 = shape.OutHeight;
        int k = shape.KernelSize, pad = shape.Padding, h = shape.Height, w = shape.Width, ow = shape.OutWidth;
        int ph = h + 2 * pad, pw = w + 2 * pad, channels = shape.Channels, filters = shape.Filters, patch = shape.PatchSize;
        int positions = shape.Positions, width = Vector512<T>.Count, second = ow - width;
        T* xp = job.Columns + (nint)i * channels * ph * pw;
        new Span<T>(xp, channels * ph * pw).Clear();
        for (int b = first; b < end; b++)
        {
            // The sample's rows these output rows read, inside their zero border (the border stays zero
            // from the clear above).
            T* xb = job.X + (nint)b * shape.InputSize;
            int y0 = Math.Max(0, oy0 - pad), y1 = Math.Min(h, oy1 + k - 1 - pad);
            for (int c = 0; c < channels; c++)
                for (int y = y0; y < y1; y++)
                    new ReadOnlySpan<T>(xb + (c * h + y) * w, w).CopyTo(new Span<T>(xp + (c * ph + y + pad) * pw + pad, w));
            T* zb = job.Out + (nint)b * shape.OutputSize;
            for (int f = 0; f < filters; f += RowFilters)
            {
                int last = Math.Min(RowFilters, filters - f) - 1;
                int f1 = f + Math.Min(1, last), f2 = f + Math.Min(2, last), f3 = f + Math.Min(3, last), f4 = f + Math.Min(4, last), f5 = f + Math.Min(5, last);
                T* w0 = job.W + (nint)f * patch, w1 = job.W + (nint)f1 * patch, w2 = job.W + (nint)f2 * patch;
                T* w3 = job.W + (nint)f3 * patch, w4 = job.W + (nint)f4 * patch, w5 = job.W + (nint)f5 * patch;
                for (int oy = oy0; oy < oy1; oy++)
                {
                    Vector512<T> a0 = Vector512.Create(job.Bias[f]), a1 = Vector512.Create(job.Bias[f1]), a2 = Vector512.Create(job.Bias[f2]);
                    Vector512<T> a3 = Vector512.Create(job.Bias[f3]), a4 = Vector512.Create(job.Bias[f4]), a5 = Vector512.Create(job.Bias[f5]);
                    Vector512<T> b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5;
                    int r = 0;
                    for (int c = 0; c < channels; c++)
                        for (int ky = 0; ky < k; ky++)
                        {
                            T* row = xp + (c * ph + oy + ky) * pw;
                            for (int kx = 0; kx < k; kx++, r++)
                            {
                                Vector512<T> u = Vector512.Load(row + kx), v = Vector512.Load(row + kx + second);
                                Vector512<T> c0 = Vector512.Create(w0[r]), c1 = Vector512.Create(w1[r]), c2 = Vector512.Create(w2[r]);
                                a0 = Simd.MultiplyAdd(c0, u, a0); b0 = Simd.MultiplyAdd(c0, v, b0);
                                a1 = Simd.MultiplyAdd(c1, u, a1); b1 = Simd.MultiplyAdd(c1, v, b1);
                                a2 = Simd.MultiplyAdd(c2, u, a2); b2 = Simd.MultiplyAdd(c2, v, b2);
                                Vector512<T> c3 = Vector512.Create(w3[r]), c4 = Vector512.Create(w4[r]), c5 = Vector512.Create(w5[r]);
                                a3 = Simd.MultiplyAdd(c3, u, a3); b3 = Simd.MultiplyAdd(c3, v, b3);
                                a4 = Simd.MultiplyAdd(c4, u, a4); b4 = Simd.MultiplyAdd(c4, v, b4);
                                a5 = Simd.MultiplyAdd(c5, u, a5); b5 = Simd.MultiplyAdd(c5, v, b5);
                            }
                        }
                    // Last filter first, so a repeated filter leaves the same values either way.
                    T* z = zb + oy * ow;
                    b5.Store(z + (nint)f5 * positions + second); a5.Store(z + (nint)f5 * positions);
                    b4.Store(z + (nint)f4 * positions + second); a4.Store(z + (nint)f4 * positions);
                    b3.Store(z + (nint)f3 * positions + second); a3.Store(z + (nint)f3 * positions);
                    b2.Store(z + (nint)f2 * positions + second); a2.Store(z + (nint)f2 * positions);
                    b1.Store(z + (nint)f1 * positions + second); a1.Store(z + (nint)f1 * positions);
                    b0.Store(z + (nint)f * positions + second); a0.Store(z + (nint)f * positions);
                }
            }
        }
    }

    /// <summary>
    /// Whether the forward pass reads the input in place instead of unrolling it: no padding (every
    /// receptive field lies inside the image) and whole vectors of filters, so one vector holds one
    /// position's outputs for a group of filters (conv2 of LeNet-5: 16 filters, 150-value patches).
    /// </summary>
    private static bool UsesDirectForward<T>(in Conv2DShape shape) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && shape.Padding == 0
            && shape.Filters % Vector512<T>.Count == 0 && shape.Filters * shape.PatchSize <= shape.ColumnsSize;

    /// <summary>Positions computed together: each load of a row of Wᵀ feeds this many multiply-adds.</summary>
    private const int DirectBlock = 8;

    /// <summary>
    /// Output rows [oy0, oy1) of every sample, without im2col: z[f..f+v, p] = bias[f..f+v] + Σ_r Wᵀ[r, f..f+v]·x(r, p)
    /// (x(r, p) the input value patch element r sees at position p), a vector of filters per position,
    /// eight positions at a time. A short last block repeats its last position (same value, same place).
    /// Each output is one FMA chain from its bias over r in order, whichever block or part computes it.
    /// </summary>
    private static void DirectForwardPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int oy0, int oy1) = Range(job, i);
        int k = shape.KernelSize, s = shape.Stride, h = shape.Height, w = shape.Width, ow = shape.OutWidth;
        int filters = shape.Filters, patch = shape.PatchSize, positions = shape.Positions, width = Vector512<T>.Count;
        int p0 = oy0 * ow, p1 = oy1 * ow;
        T* wt = job.Columns;
        int* at = stackalloc int[DirectBlock];
        T* staged = stackalloc T[DirectBlock * Vector512<T>.Count];
        for (int b = 0; b < job.Batch; b++)
        {
            T* xb = job.X + (nint)b * shape.InputSize;
            T* zb = job.Out + (nint)b * shape.OutputSize;
            for (int p = p0; p < p1; p += DirectBlock)
            {
                // Where each position's receptive field starts in the sample.
                for (int q = 0; q < DirectBlock; q++)
                {
                    int pq = Math.Min(p + q, p1 - 1), oy = pq / ow, ox = pq - oy * ow;
                    at[q] = oy * s * w + ox * s;
                }
                int live = Math.Min(DirectBlock, p1 - p);
                for (int f = 0; f < filters; f += width)
                {
                    Vector512<T> bias = Vector512.Load(job.Bias + f);
                    Vector512<T> s0 = bias, s1 = bias, s2 = bias, s3 = bias, s4 = bias, s5 = bias, s6 = bias, s7 = bias;
                    T* wr = wt + f;
                    nint a0 = at[0], a1 = at[1], a2 = at[2], a3 = at[3], a4 = at[4], a5 = at[5], a6 = at[6], a7 = at[7];
                    for (int c = 0; c < shape.Channels; c++)
                        for (int ky = 0; ky < k; ky++)
                        {
                            T* xr = xb + (c * h + ky) * w;
                            for (int kx = 0; kx < k; kx++, wr += filters)
                            {
                                Vector512<T> v = Vector512.Load(wr);
                                T* xk = xr + kx;
                                s0 = Simd.MultiplyAdd(Vector512.Create(xk[a0]), v, s0);
                                s1 = Simd.MultiplyAdd(Vector512.Create(xk[a1]), v, s1);
                                s2 = Simd.MultiplyAdd(Vector512.Create(xk[a2]), v, s2);
                                s3 = Simd.MultiplyAdd(Vector512.Create(xk[a3]), v, s3);
                                s4 = Simd.MultiplyAdd(Vector512.Create(xk[a4]), v, s4);
                                s5 = Simd.MultiplyAdd(Vector512.Create(xk[a5]), v, s5);
                                s6 = Simd.MultiplyAdd(Vector512.Create(xk[a6]), v, s6);
                                s7 = Simd.MultiplyAdd(Vector512.Create(xk[a7]), v, s7);
                            }
                        }
                    // Positions × filters back to NCHW (filters × positions) through a small staging block.
                    s0.Store(staged); s1.Store(staged + width); s2.Store(staged + 2 * width); s3.Store(staged + 3 * width);
                    s4.Store(staged + 4 * width); s5.Store(staged + 5 * width); s6.Store(staged + 6 * width); s7.Store(staged + 7 * width);
                    for (int j = 0; j < width; j++)
                    {
                        T* zf = zb + (nint)(f + j) * positions + p;
                        for (int q = 0; q < live; q++) zf[q] = staged[q * width + j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// How many parts the weight gradient can be split into when it reads the input in
    /// place (0: it cannot). Each part keeps, in its own rows of the scratch, one sample's dz transposed
    /// [positions, filters] and its dW rows transposed [rows, filters], so a part must own at least
    /// filters·(positions + rows) values of the scratch.
    /// </summary>
    private static int DirectWeightGradientParts<T>(in Conv2DShape shape, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated || !Vector512<T>.IsSupported || shape.Padding != 0 || shape.Filters % Vector512<T>.Count != 0) return 0;
        // One part per thread: each part transposes dz for itself, so more parts cost more than they balance.
        for (int parts = threads; parts >= 1; parts--)
        {
            int rows = shape.PatchSize / parts; // the fewest rows a part gets
            if (rows >= 1 && (long)shape.Filters * (shape.Positions + rows) <= (long)rows * shape.Positions) return parts;
        }
        return 0;
    }

    /// <summary>Patch rows computed together: each load of a dz vector feeds this many multiply-adds.</summary>
    private const int DirectRows = 8;

    /// <summary>
    /// Patch rows [r0, r1) of dW without im2col: dWᵀ[r, f..f+v] = Σ_b Σ_p dzᵀ_b[p, f..f+v]·x_b(r, p), a
    /// vector of filters per patch row, eight rows at a time, summed over samples then positions in
    /// order (one FMA chain per value, whichever part computes it). Overwrites those rows of dW.
    /// </summary>
    private static void DirectWeightGradientPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int r0, int r1) = Range(job, i);
        int k = shape.KernelSize, s = shape.Stride, h = shape.Height, w = shape.Width, ow = shape.OutWidth, oh = shape.OutHeight;
        int filters = shape.Filters, positions = shape.Positions, patch = shape.PatchSize, width = Vector512<T>.Count;
        T* dzt = job.Columns + (nint)r0 * positions;          // [positions, filters]
        T* dwt = dzt + (nint)filters * positions;             // [r1 − r0, filters]
        new Span<T>(dwt, (r1 - r0) * filters).Clear();
        nint* offset = stackalloc nint[DirectRows];
        for (int b = 0; b < job.Batch; b++)
        {
            T* xb = job.X + (nint)b * shape.InputSize;
            T* dzb = job.Gradient + (nint)b * shape.OutputSize;
            for (int f = 0; f < filters; f++)
                for (int p = 0; p < positions; p++) dzt[p * filters + f] = dzb[f * positions + p];
            for (int r = r0; r < r1; r += DirectRows)
            {
                // Where each row's input value sits relative to the receptive field's corner; a short
                // block repeats its last row (the same value computed and stored twice).
                for (int j = 0; j < DirectRows; j++)
                {
                    int rj = Math.Min(r + j, r1 - 1), c = rj / (k * k), ky = rj / k % k, kx = rj % k;
                    offset[j] = (c * h + ky) * w + kx;
                }
                nint o0 = offset[0], o1 = offset[1], o2 = offset[2], o3 = offset[3], o4 = offset[4], o5 = offset[5], o6 = offset[6], o7 = offset[7];
                int last = Math.Min(DirectRows, r1 - r) - 1;
                for (int f = 0; f < filters; f += width)
                {
                    T* d0 = dwt + (nint)(r - r0) * filters + f;
                    T* d1 = d0 + filters * Math.Min(1, last), d2 = d0 + filters * Math.Min(2, last), d3 = d0 + filters * Math.Min(3, last);
                    T* d4 = d0 + filters * Math.Min(4, last), d5 = d0 + filters * Math.Min(5, last), d6 = d0 + filters * Math.Min(6, last), d7 = d0 + filters * Math.Min(7, last);
                    Vector512<T> s0 = Vector512.Load(d0), s1 = Vector512.Load(d1), s2 = Vector512.Load(d2), s3 = Vector512.Load(d3);
                    Vector512<T> s4 = Vector512.Load(d4), s5 = Vector512.Load(d5), s6 = Vector512.Load(d6), s7 = Vector512.Load(d7);
                    T* g = dzt + f;
                    for (int oy = 0; oy < oh; oy++)
                    {
                        T* xr = xb + oy * s * w;
                        for (int ox = 0; ox < ow; ox++, g += filters)
                        {
                            Vector512<T> v = Vector512.Load(g);
                            T* xp = xr + ox * s;
                            s0 = Simd.MultiplyAdd(Vector512.Create(xp[o0]), v, s0);
                            s1 = Simd.MultiplyAdd(Vector512.Create(xp[o1]), v, s1);
                            s2 = Simd.MultiplyAdd(Vector512.Create(xp[o2]), v, s2);
                            s3 = Simd.MultiplyAdd(Vector512.Create(xp[o3]), v, s3);
                            s4 = Simd.MultiplyAdd(Vector512.Create(xp[o4]), v, s4);
                            s5 = Simd.MultiplyAdd(Vector512.Create(xp[o5]), v, s5);
                            s6 = Simd.MultiplyAdd(Vector512.Create(xp[o6]), v, s6);
                            s7 = Simd.MultiplyAdd(Vector512.Create(xp[o7]), v, s7);
                        }
                    }
                    // Stored last to first, so a repeated row leaves the same value either way.
                    s7.Store(d7); s6.Store(d6); s5.Store(d5); s4.Store(d4); s3.Store(d3); s2.Store(d2); s1.Store(d1); s0.Store(d0);
                }
            }
        }
        for (int r = r0; r < r1; r++)
            for (int f = 0; f < filters; f++) job.WeightGradient[f * patch + r] = dwt[(r - r0) * filters + f];
    }

    /// <summary>Patch rows [r0, r1) of dW for every sample, in sample order: unroll those rows, take their dot products with dz.</summary>
    private static void WeightGradientPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int block0, int block1) = Range(job, i);
        int r0 = block0 * 4, r1 = Math.Min(shape.PatchSize, block1 * 4);
        var x = new ReadOnlySpan<T>(job.X, job.Batch * shape.InputSize);
        var dz = new ReadOnlySpan<T>(job.Gradient, job.Batch * shape.OutputSize);
        var dw = new Span<T>(job.WeightGradient, shape.Filters * shape.PatchSize);
        var cols = new Span<T>(job.Columns, shape.ColumnsSize);
        for (int b = 0; b < job.Batch; b++)
        {
            Unroll(x.Slice(b * shape.InputSize, shape.InputSize), cols, shape, r0, r1, 0, shape.OutHeight);
            // dW[f, r] += Σ_p dz[f, p]·cols[r, p]
            ConvolutionProducts.AccumulateRowDots(dz.Slice(b * shape.OutputSize, shape.OutputSize), shape.Filters,
                cols.Slice(r0 * shape.Positions), r1 - r0, shape.Positions, dw.Slice(r0), shape.PatchSize);
        }
    }

    /// <summary>Input channels [c0, c1) of dx for every sample: their rows of Wᵀ·dz, folded onto their planes.</summary>
    private static void InputGradientPart<T>(void* state, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Job<T> job = ref Unsafe.AsRef<Job<T>>(state);
        Conv2DShape shape = job.Shape;
        (int c0, int c1) = Range(job, i);
        int kk = shape.KernelSize * shape.KernelSize, r0 = c0 * kk, rows = (c1 - c0) * kk;
        var dz = new ReadOnlySpan<T>(job.Gradient, job.Batch * shape.OutputSize);
        var w = new ReadOnlySpan<T>(job.W, shape.Filters * shape.PatchSize);
        var dx = new Span<T>(job.Out, job.Batch * shape.InputSize);
        var cols = new Span<T>(job.Columns, shape.ColumnsSize);
        for (int b = 0; b < job.Batch; b++)
        {
            // dcols[r, p] = Σ_f W[f, r]·dz[f, p]   (Wᵀ read in place: row stride 1, column stride patchSize)
            ConvolutionProducts.MultiplyRows(w.Slice(r0), 1, shape.PatchSize, rows, shape.Filters,
                dz.Slice(b * shape.OutputSize, shape.OutputSize), shape.Positions, shape.Positions, cols.Slice(r0 * shape.Positions), shape.Positions, ReadOnlySpan<T>.Empty);
            Fold(cols, dx.Slice(b * shape.InputSize, shape.InputSize), shape, c0, c1);
        }
    }

    /// <summary>The first ox with ox·s + offset ≥ 0.</summary>
    private static int FirstInside(int offset, int s) => offset >= 0 ? 0 : (-offset + s - 1) / s;

    /// <summary>One past the last ox &lt; outWidth with ox·s + offset &lt; width.</summary>
    private static int EndInside(int offset, int s, int width, int outWidth)
    {
        int limit = width - offset; // ox·s < limit
        if (limit <= 0) return 0;
        return Math.Min(outWidth, (limit - 1) / s + 1);
    }

    private static void Check(int length, int batch, int size, string name)
    {
        if (batch < 0 || length < (long)batch * size)
            throw new ArgumentException($"Expected at least {(long)batch * size} values ({batch} samples of {size}), but got {length}.", name);
    }

    private static void CheckParameters(int weightLength, int biasLength, int columnsLength, in Conv2DShape shape)
    {
        if (weightLength < shape.Filters * shape.PatchSize) throw new ArgumentException($"The weight needs {shape.Filters * shape.PatchSize} values.", "weight");
        if (biasLength < shape.Filters) throw new ArgumentException($"The bias needs {shape.Filters} values.", "bias");
        if (columnsLength < shape.ColumnsSize) throw new ArgumentException($"The im2col scratch needs {shape.ColumnsSize} values.", "columns");
    }
}

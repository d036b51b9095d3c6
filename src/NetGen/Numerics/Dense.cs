using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The three matrix products of a fully connected layer, W of shape [units, inputs] row-major
/// (PyTorch's <c>nn.Linear</c>), activations row-major [batch, features].
/// </summary>
/// <remarks>
/// For float and double the products run register-blocked SIMD kernels (AVX-512, else AVX2, else
/// 128-bit vectors as on Arm64), and
/// large ones are split across <see cref="Parallelism.MaxThreads"/> threads by output block. Each
/// output element is always computed by the same sequence of operations (which block or thread it
/// falls in never matters), so results are bit-identical whatever the thread count. Layers with few
/// inputs (up to four vectors) vectorise across units instead of along the reduction (see
/// Dense.SmallInputs.cs); which kernel runs depends on the shape only. Other element types take the
/// plain loops.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static unsafe partial class Dense
{
    /// <summary>y[b,u] = Σᵢ x[b,i]·W[u,i] + bias[u]  (y = x·Wᵀ + b).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(default(LinearOperator<T>), x, w, bias, y, y, batch, inputs, units);

    /// <summary>
    /// Fused forward: z[b,u] = Σᵢ x[b,i]·W[u,i] + bias[u] (z = x·Wᵀ + b, kept for the backward pass)
    /// and y = f(z) element-wise with the activation <paramref name="op"/>, in one pass over the output.
    /// </summary>
    public static void Forward<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        CheckSizes(batch, inputs, units);
        Check(x.Length, (long)batch * inputs, nameof(x));
        Check(w.Length, (long)units * inputs, nameof(w));
        Check(bias.Length, units, nameof(bias));
        Check(z.Length, (long)batch * units, nameof(z));
        Check(y.Length, (long)batch * units, nameof(y));
        if (Simd.Use512<T>() && UseSmallInputsForward(Vector512<T>.Count, batch, inputs, units))
        {
            // The narrowest vector that covers the units (no idle lanes for 4 or 8 of them).
            if (units <= Vector128<T>.Count) SmallInputsForward<T, Vector128<T>, Simd128<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
            else if (units <= Vector256<T>.Count) SmallInputsForward<T, Vector256<T>, Simd256<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
            else SmallInputsForward<T, Vector512<T>, Simd512<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        }
        else if (Simd.Use256<T>() && UseSmallInputsForward(Vector256<T>.Count, batch, inputs, units))
        {
            if (units <= Vector128<T>.Count) SmallInputsForward<T, Vector128<T>, Simd128<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
            else SmallInputsForward<T, Vector256<T>, Simd256<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        }
        else if (Simd.Use128<T>() && UseSmallInputsForward(Vector128<T>.Count, batch, inputs, units)) SmallInputsForward<T, Vector128<T>, Simd128<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        else if (UseTransposedForward<T>(batch, inputs, units)) TransposedForwardProduct(op, x, w, bias, z, y, batch, inputs, units);
        else if (Simd.Use512<T>()) DotProduct<T, Vector512<T>, Simd512<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        else if (Simd.Use256<T>()) DotProduct<T, Vector256<T>, Simd256<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        else if (Simd.Use128<T>()) DotProduct<T, Vector128<T>, Simd128<T>, TOp>(op, x, w, bias, z, y, batch, inputs, units);
        else ForwardScalar(op, x, w, bias, z, y, batch, inputs, units);
    }

    /// <summary>dW[u,i] = Σ_b dy[b,u]·x[b,i] and db[u] = Σ_b dy[b,u]  (dW = dyᵀ·x), overwriting dW and db.</summary>
    public static void BackwardWeights<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, Span<T> db, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(batch, inputs, units);
        Check(dy.Length, (long)batch * units, nameof(dy));
        Check(x.Length, (long)batch * inputs, nameof(x));
        Check(dw.Length, (long)units * inputs, nameof(dw));
        Check(db.Length, units, nameof(db));
        ColumnSums(dy, db, batch, units);
        // dW = Aᵀ-style product: row m = unit u, reduction k = sample b, A(u,b) = dy[b·units + u].
        if (Simd.Use512<T>() && UseSmallInputsWeights(Vector512<T>.Count, inputs, units)) SmallInputsWeights<T, Vector512<T>, Simd512<T>>(dy, x, dw, batch, inputs, units);
        else if (Simd.Use256<T>() && UseSmallInputsWeights(Vector256<T>.Count, inputs, units)) SmallInputsWeights<T, Vector256<T>, Simd256<T>>(dy, x, dw, batch, inputs, units);
        else if (Simd.Use128<T>() && UseSmallInputsWeights(Vector128<T>.Count, inputs, units)) SmallInputsWeights<T, Vector128<T>, Simd128<T>>(dy, x, dw, batch, inputs, units);
        else if (Simd.Use512<T>()) BroadcastProduct<T, Vector512<T>, Simd512<T>>(dy, 1, units, x, inputs, dw, inputs, units, inputs, batch);
        else if (Simd.Use256<T>()) BroadcastProduct<T, Vector256<T>, Simd256<T>>(dy, 1, units, x, inputs, dw, inputs, units, inputs, batch);
        else if (Simd.Use128<T>()) BroadcastProduct<T, Vector128<T>, Simd128<T>>(dy, 1, units, x, inputs, dw, inputs, units, inputs, batch);
        else BackwardWeightsScalar(dy, x, dw, batch, inputs, units);
    }

    /// <summary>dx[b,i] = Σᵤ dy[b,u]·W[u,i]  (dx = dy·W), overwriting dx.</summary>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(batch, inputs, units);
        Check(dy.Length, (long)batch * units, nameof(dy));
        Check(w.Length, (long)units * inputs, nameof(w));
        Check(dx.Length, (long)batch * inputs, nameof(dx));
        // Row m = sample b, reduction k = unit u, A(b,u) = dy[b·units + u], B row u = W[u, :].
        if (Simd.Use512<T>()) BroadcastProduct<T, Vector512<T>, Simd512<T>>(dy, units, 1, w, inputs, dx, inputs, batch, inputs, units);
        else if (Simd.Use256<T>()) BroadcastProduct<T, Vector256<T>, Simd256<T>>(dy, units, 1, w, inputs, dx, inputs, batch, inputs, units);
        else if (Simd.Use128<T>()) BroadcastProduct<T, Vector128<T>, Simd128<T>>(dy, units, 1, w, inputs, dx, inputs, batch, inputs, units);
        else BackwardInputScalar(dy, w, dx, batch, inputs, units);
    }

    /// <summary>db[u] = Σ_b dy[b,u], summed over b in order (each lane, and the scalar tail, alike).</summary>
    private static void ColumnSums<T>(ReadOnlySpan<T> dy, Span<T> db, int batch, int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pdy = dy, pdb = db)
        {
            int u = 0;
            // Several columns' chains interleaved (the add latency, not the loads, is the limit), the
            // widest vectors first, then narrower ones, then scalars: every column the same in-order sum.
            if (Simd.Use512<T>()) ColumnSums<T, Vector512<T>, Simd512<T>>(pdy, pdb, batch, units, ref u);
            if (Simd.Use512<T>() || Simd.Use256<T>()) ColumnSums<T, Vector256<T>, Simd256<T>>(pdy, pdb, batch, units, ref u);
            if (Simd.Use512<T>() || Simd.Use256<T>() || Simd.Use128<T>()) ColumnSums<T, Vector128<T>, Simd128<T>>(pdy, pdb, batch, units, ref u);
            for (; u + 2 <= units; u += 2)
            {
                T s0 = T.Zero, s1 = T.Zero;
                T* p = pdy + u;
                for (int b = 0; b < batch; b++, p += units) { s0 += p[0]; s1 += p[1]; }
                pdb[u] = s0; pdb[u + 1] = s1;
            }
            for (; u < units; u++)
            {
                T s = T.Zero;
                for (int b = 0; b < batch; b++) s += pdy[(nint)b * units + u];
                pdb[u] = s;
            }
        }
    }

    private static void ColumnSums<T, TVec, TS>(T* pdy, T* pdb, int batch, int units, ref int u)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TS : struct, ISimd<TVec, T>
    {
        int v = TS.Count;
        for (; u + 4 * v <= units; u += 4 * v)
        {
            TVec s0 = TS.Zero, s1 = TS.Zero, s2 = TS.Zero, s3 = TS.Zero;
            T* p = pdy + u;
            for (int b = 0; b < batch; b++, p += units)
            {
                s0 = TS.Add(s0, TS.Load(p)); s1 = TS.Add(s1, TS.Load(p + v));
                s2 = TS.Add(s2, TS.Load(p + 2 * v)); s3 = TS.Add(s3, TS.Load(p + 3 * v));
            }
            TS.Store(s0, pdb + u); TS.Store(s1, pdb + u + v); TS.Store(s2, pdb + u + 2 * v); TS.Store(s3, pdb + u + 3 * v);
        }
        if (u + 2 * v <= units)
        {
            TVec s0 = TS.Zero, s1 = TS.Zero;
            T* p = pdy + u;
            for (int b = 0; b < batch; b++, p += units) { s0 = TS.Add(s0, TS.Load(p)); s1 = TS.Add(s1, TS.Load(p + v)); }
            TS.Store(s0, pdb + u); TS.Store(s1, pdb + u + v);
            u += 2 * v;
        }
        if (u + v <= units)
        {
            TVec s0 = TS.Zero;
            T* p = pdy + u;
            for (int b = 0; b < batch; b++, p += units) s0 = TS.Add(s0, TS.Load(p));
            TS.Store(s0, pdb + u);
            u += v;
        }
    }

    private static void CheckSizes(int batch, int inputs, int units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
    }

    private static void Check(int length, long required, string name)
    {
        if (length < required) throw new ArgumentException($"Expected at least {required} elements, got {length}.", name);
    }

    // ---- Generic scalar fallbacks (Half, NFloat, no SIMD hardware): the reference loops. ----

    private static void ForwardScalar<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> z, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xr = x.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                ReadOnlySpan<T> wr = w.Slice(u * inputs, inputs);
                T s = bias[u];
                for (int i = 0; i < inputs; i++) s += xr[i] * wr[i];
                z[b * units + u] = s;
                y[b * units + u] = op.Invoke(s);
            }
        }
    }

    private static void BackwardWeightsScalar<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dw.Slice(0, units * inputs).Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xr = x.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                T g = dy[b * units + u];
                Span<T> dwr = dw.Slice(u * inputs, inputs);
                for (int i = 0; i < inputs; i++) dwr[i] += g * xr[i];
            }
        }
    }

    private static void BackwardInputScalar<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx.Slice(0, batch * inputs).Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxr = dx.Slice(b * inputs, inputs);
            for (int u = 0; u < units; u++)
            {
                T g = dy[b * units + u];
                ReadOnlySpan<T> wr = w.Slice(u * inputs, inputs);
                for (int i = 0; i < inputs; i++) dxr[i] += g * wr[i];
            }
        }
    }
}

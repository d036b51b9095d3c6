using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>The driver loops that apply activations (and their derivatives) over spans.</summary>
public static class Activations
{
    /// <summary>a = f(z), element-wise.</summary>
    public static void Forward<T, TOp>(TOp op, ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        if (a.Length < z.Length) throw new ArgumentException("Output shorter than input.", nameof(a));
        for (int i = 0; i < z.Length; i++) a[i] = op.Invoke(z[i]);
    }

    /// <summary>dz = da ⊙ f'(z), element-wise.</summary>
    public static void Backward<T, TOp>(TOp op, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationOperator<T>
    {
        for (int i = 0; i < dz.Length; i++) dz[i] = da[i] * op.Derivative(z[i], a[i]);
    }

    /// <summary>PReLU: a[b,u] = z if z ≥ 0 else slope[u]·z.</summary>
    public static void PReLUForward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, Span<T> a, int batch, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
            for (int u = 0; u < units; u++)
            {
                T v = z[b * units + u];
                a[b * units + u] = v >= T.Zero ? v : slopes[u] * v;
            }
    }

    /// <summary>PReLU backward: dz = da·(1 or slope[u]); dslope[u] = Σ_b da·z over z &lt; 0 (overwritten).</summary>
    public static void PReLUBackward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, ReadOnlySpan<T> da, Span<T> dz, Span<T> dslopes, int batch, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dslopes.Slice(0, units).Clear();
        for (int b = 0; b < batch; b++)
            for (int u = 0; u < units; u++)
            {
                int i = b * units + u;
                T v = z[i];
                if (v > T.Zero) dz[i] = da[i];
                else
                {
                    dz[i] = da[i] * slopes[u];
                    dslopes[u] += da[i] * v;
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
            T max = zr[0];
            for (int i = 1; i < n; i++) if (zr[i] > max) max = zr[i];
            T sum = T.Zero;
            for (int i = 0; i < n; i++) { ar[i] = T.Exp(zr[i] - max); sum += ar[i]; }
            T inv = T.One / sum;
            for (int i = 0; i < n; i++) ar[i] *= inv;
        }
    }

    /// <summary>Softmax backward through its Jacobian: dz = a ⊙ (da − Σⱼ aⱼ·daⱼ), row by row.</summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int batch, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
        {
            int o = b * n;
            T dot = T.Zero;
            for (int i = 0; i < n; i++) dot += a[o + i] * da[o + i];
            for (int i = 0; i < n; i++) dz[o + i] = a[o + i] * (da[o + i] - dot);
        }
    }

    /// <summary>True when every value is finite.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (T v in values) if (!T.IsFinite(v)) return false;
        return true;
    }
}

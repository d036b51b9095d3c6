using System;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// PReLU over NCHW images with one learned slope per channel (PyTorch's <c>nn.PReLU(channels)</c>):
/// a[b, c, p] = z if z ≥ 0 else slope[c]·z.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class ChannelPReLU
{
    /// <summary>a = z where z ≥ 0, slope[c]·z elsewhere.</summary>
    public static void Forward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, Span<T> a, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                int o = (b * channels + c) * plane;
                T slope = slopes[c];
                ReadOnlySpan<T> zr = z.Slice(o, plane);
                Span<T> ar = a.Slice(o, plane);
                for (int i = 0; i < plane; i++) ar[i] = PReLUMath.Forward(zr[i], slope);
            }
    }

    /// <summary>dz = da·(1 or slope[c]); dslope[c] = Σ over z &lt; 0 of da·z (overwritten).</summary>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> slopes, ReadOnlySpan<T> da, Span<T> dz, Span<T> slopeGradients, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        slopeGradients.Slice(0, channels).Clear();
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                int o = (b * channels + c) * plane;
                T slope = slopes[c], ds = T.Zero;
                for (int i = o; i < o + plane; i++)
                {
                    T v = z[i];
                    dz[i] = PReLUMath.InputGradient(v, slope, da[i]);
                    if (!PReLUMath.IsPositive(v)) ds += PReLUMath.SlopeGradient(v, da[i]);
                }
                slopeGradients[c] += ds;
            }
    }
}

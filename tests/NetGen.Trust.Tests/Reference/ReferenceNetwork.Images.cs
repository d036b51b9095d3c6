using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Reference;

// The image layers of the reference: convolution and pooling, one sample in NCHW.
public sealed partial class ReferenceNetwork
{
    // ---- images (NCHW, one sample) ----------------------------------------------------------

    /// <summary>z[f,oy,ox] = b[f] + Σ_c Σ_ky Σ_kx W[f,c,ky,kx]·x[c, oy·s + ky − p, ox·s + kx − p] (zero outside), as nn.Conv2d.</summary>
    private (double[] Z, double[] Scale) Convolve(int l, double[] x, double[] xScale)
    {
        LayerDesc c = _spec.Layers[l];
        int[] si = _shapes[l], so = _shapes[l + 1];
        int C = si[0], H = si[1], W = si[2], F = so[0], OH = so[1], OW = so[2], k = c.Kernel;
        double[] p = Parameters;
        int w = _weightOffset[l], b = _biasOffset[l];
        var z = new double[F * OH * OW];
        var zs = new double[z.Length];
        for (int f = 0; f < F; f++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                {
                    double sum = p[b + f], mag = Math.Abs(p[b + f]);
                    for (int ch = 0; ch < C; ch++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int y = oy * c.Stride + ky - c.Padding, xx = ox * c.Stride + kx - c.Padding;
                                if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                                double wv = p[w + ((f * C + ch) * k + ky) * k + kx];
                                sum += wv * x[(ch * H + y) * W + xx];
                                mag += Math.Abs(wv) * xScale[(ch * H + y) * W + xx];
                            }
                    z[(f * OH + oy) * OW + ox] = sum;
                    zs[(f * OH + oy) * OW + ox] = mag;
                }
        return (z, zs);
    }

    private (double[], double[]) ConvolveBackward(int l, double[] x, double[] xScale, double[] dz, double[] dzm, double[] grad, double[] gradMag)
    {
        LayerDesc c = _spec.Layers[l];
        int[] si = _shapes[l], so = _shapes[l + 1];
        int C = si[0], H = si[1], W = si[2], F = so[0], OH = so[1], OW = so[2], k = c.Kernel;
        double[] p = Parameters;
        int w = _weightOffset[l], b = _biasOffset[l];
        var dx = new double[x.Length];
        var dxm = new double[x.Length];
        for (int f = 0; f < F; f++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                {
                    int o = (f * OH + oy) * OW + ox;
                    grad[b + f] += dz[o];
                    gradMag[b + f] += dzm[o];
                    for (int ch = 0; ch < C; ch++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int y = oy * c.Stride + ky - c.Padding, xx = ox * c.Stride + kx - c.Padding;
                                if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                                int wi = w + ((f * C + ch) * k + ky) * k + kx, xi = (ch * H + y) * W + xx;
                                grad[wi] += dz[o] * x[xi];
                                gradMag[wi] += dzm[o] * xScale[xi];
                                dx[xi] += p[wi] * dz[o];
                                dxm[xi] += Math.Abs(p[wi]) * dzm[o];
                            }
                }
        return (dx, dxm);
    }

    /// <summary>Max (first maximum wins) or mean over each window, per channel; Winner holds the max's flat input index.</summary>
    private (double[], double[], int[]) Pool(int l, LayerDesc pool, double[] x, double[] xScale, Evaluation result)
    {
        int[] si = _shapes[l], so = _shapes[l + 1];
        int C = si[0], H = si[1], W = si[2], OH = so[1], OW = so[2], k = pool.Kernel;
        var y = new double[C * OH * OW];
        var ys = new double[y.Length];
        var win = new int[y.Length];
        for (int ch = 0; ch < C; ch++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                {
                    int o = (ch * OH + oy) * OW + ox;
                    int best = -1;
                    double sum = 0, mag = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int xi = (ch * H + oy * pool.Stride + ky) * W + ox * pool.Stride + kx;
                            sum += x[xi];
                            mag += xScale[xi];
                            if (best < 0 || x[xi] > x[best]) best = xi;
                        }
                    if (pool.Kind == LayerKind.MaxPool2D)
                    {
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int xi = (ch * H + oy * pool.Stride + ky) * W + ox * pool.Stride + kx;
                                double tieScale = Math.Max(xScale[xi], xScale[best]);
                                if (xi != best && tieScale > 0 && x[best] - x[xi] <= KinkMargin * tieScale)
                                    result.Kink ??= $"MaxPool tie in {_spec.LayerName(l)} at {o}";
                            }
                        y[o] = x[best];
                        ys[o] = xScale[best];
                        win[o] = best;
                    }
                    else
                    {
                        y[o] = sum / (k * k);
                        ys[o] = mag / (k * k);
                    }
                }
        return (y, ys, win);
    }

    private (double[], double[]) PoolBackward(int l, LayerDesc pool, int[] win, double[] g, double[] gm)
    {
        int[] si = _shapes[l], so = _shapes[l + 1];
        int C = si[0], H = si[1], W = si[2], OH = so[1], OW = so[2], k = pool.Kernel;
        var dx = new double[C * H * W];
        var dxm = new double[dx.Length];
        for (int ch = 0; ch < C; ch++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                {
                    int o = (ch * OH + oy) * OW + ox;
                    if (pool.Kind == LayerKind.MaxPool2D)
                    {
                        dx[win[o]] += g[o];
                        dxm[win[o]] += gm[o];
                        continue;
                    }
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int xi = (ch * H + oy * pool.Stride + ky) * W + ox * pool.Stride + kx;
                            dx[xi] += g[o] / (k * k);
                            dxm[xi] += gm[o] / (k * k);
                        }
                }
        return (dx, dxm);
    }
}

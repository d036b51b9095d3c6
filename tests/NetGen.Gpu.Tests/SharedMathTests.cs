using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Gpu.Tests;

/// <summary>
/// The math both backends share (NetGen.Numerics operator structs): ILGPU kernels on the CPU accelerator
/// make the very calls the generated GPU runner makes, and their results are compared bit for bit with
/// the CPU kernels' (Dropout, Losses, Optimizers). A change in one definition changes both sides.
/// </summary>
public sealed class SharedMathTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    private Accelerator Accelerator => fixture.Device.Accelerator;

    private static void MaskKernel(Index1D i, ArrayView<float> mask, ulong state, ulong threshold, float keep)
        => mask[i] = DropoutMask.Drops(DropoutMask.Draw(state, (ulong)i.X), threshold) ? 0f : keep;

    [Theory, InlineData(0.2, 37UL), InlineData(0.5, 12345UL), InlineData(0.0, 1UL)]
    public void DropoutMaskHasTheCpuBits(double rate, ulong seed)
    {
        const int n = 53; // the CPU kernel's 16-wide lanes and its scalar tail
        var rng = new SplitMix64(seed);
        ulong state = rng.State;
        float[] x = Enumerable.Repeat(1f, n).ToArray(), y = new float[n], cpuMask = new float[n];
        Dropout.Forward<float>(x, y, cpuMask, rate, ref rng);

        using var mask = Accelerator.Allocate1D<float>(n);
        var kernel = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong, float>(MaskKernel);
        kernel(n, mask.View, state, DropoutMask.Threshold(rate), DropoutMask.KeepScale<float>(rate));
        float[] gpuMask = mask.GetAsArray1D();
        Assert.Equal(cpuMask.Select(BitConverter.SingleToInt32Bits), gpuMask.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(unchecked(state + (ulong)n * DropoutMask.Gamma), rng.State);
        if (rate > 0) Assert.Contains(0f, gpuMask);
    }

    private static void LossKernel(Index1D i, ArrayView<float> y, ArrayView<float> t, ArrayView<float> terms, ArrayView<float> gradients)
    {
        float yi = y[i], ti = t[i];
        terms[i * 4 + 0] = LossTerms.SquaredError(yi, ti);
        terms[i * 4 + 1] = LossTerms.BinaryCrossEntropy(yi, ti, (float)LossTerms.LogFloor);
        terms[i * 4 + 2] = LossTerms.BinaryCrossEntropyWithLogits(yi, ti);
        terms[i * 4 + 3] = ti != 0f ? LossTerms.CrossEntropy(yi, ti, (float)LossTerms.LogFloor) : 0f;
        gradients[i * 4 + 0] = new MeanSquaredErrorGradientOperator<float>(2f / 1).Invoke(yi, ti);
        gradients[i * 4 + 1] = new BinaryCrossEntropyGradientOperator<float>(1, 1e-12f).Invoke(yi, ti);
        gradients[i * 4 + 2] = new BinaryCrossEntropyWithLogitsGradientOperator<float>(1).Invoke(yi, ti);
        gradients[i * 4 + 3] = new CrossEntropyGradientOperator<float>(1, 1e-12f).Invoke(yi, ti);
    }

    [Fact]
    public void LossesAndTheirGradientsHaveTheCpuBits()
    {
        const int n = 17;
        var r = new Random(5);
        float[] y = Enumerable.Range(0, n).Select(_ => (float)(0.02 + 0.96 * r.NextDouble())).ToArray();
        float[] t = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0f : (float)r.NextDouble()).ToArray();
        using var yv = Accelerator.Allocate1D(y);
        using var tv = Accelerator.Allocate1D(t);
        using var terms = Accelerator.Allocate1D<float>(4 * n);
        using var gradients = Accelerator.Allocate1D<float>(4 * n);
        Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernel)(n, yv.View, tv.View, terms.View, gradients.View);
        float[] gt = terms.GetAsArray1D(), gg = gradients.GetAsArray1D();
        var d = new float[1];
        for (int i = 0; i < n; i++)
        {
            // One element at a time, the CPU kernels' mean is the element's term itself.
            ReadOnlySpan<float> yi = y.AsSpan(i, 1), ti = t.AsSpan(i, 1);
            Same(Losses.MeanSquaredError<float>(yi, ti), gt[i * 4 + 0], "MSE", i);
            Same(Losses.BinaryCrossEntropy<float>(yi, ti), gt[i * 4 + 1], "BCE", i);
            Same(Losses.BinaryCrossEntropyWithLogits<float>(yi, ti), gt[i * 4 + 2], "BCE with logits", i);
            Same(Losses.CrossEntropy<float>(yi, ti, 1), gt[i * 4 + 3], "cross entropy", i);
            Losses.MeanSquaredErrorGradient<float>(yi, ti, d); Same(d[0], gg[i * 4 + 0], "MSE gradient", i);
            Losses.BinaryCrossEntropyGradient<float>(yi, ti, d); Same(d[0], gg[i * 4 + 1], "BCE gradient", i);
            Losses.BinaryCrossEntropyWithLogitsGradient<float>(yi, ti, d); Same(d[0], gg[i * 4 + 2], "BCE-with-logits gradient", i);
            Losses.CrossEntropyGradient<float>(yi, ti, d, 1); Same(d[0], gg[i * 4 + 3], "cross-entropy gradient", i);
        }
    }

    private static void UpdateKernel(Index1D i, ArrayView<float> w, ArrayView<float> g, ArrayView<float> state, AdamRule<float> adam)
    {
        int o = i * 4;
        w[o + 0] = new SgdRule<float>(0.1f, 0.01f).Step(w[o + 0], g[i]);
        float v = state[o + 1];
        w[o + 1] = new MomentumRule<float>(0.1f, 0.9f, 0.01f).Step(w[o + 1], g[i], ref v);
        state[o + 1] = v;
        float s = state[o + 2];
        w[o + 2] = new RmsPropRule<float>(0.01f, 0.99f, 1e-8f, 0.01f).Step(w[o + 2], g[i], ref s);
        state[o + 2] = s;
        float m = state[o + 3], v2 = state[o + 3 + 4 * 7];
        w[o + 3] = adam.Step(w[o + 3], g[i], ref m, ref v2);
        state[o + 3] = m;
        state[o + 3 + 4 * 7] = v2;
    }

    [Fact]
    public void OptimizerStepsHaveTheCpuBits()
    {
        const int n = 7;
        var r = new Random(11);
        float[] w0 = Enumerable.Range(0, 4 * n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        float[] g = Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        float[] s0 = Enumerable.Range(0, 8 * n).Select(_ => (float)r.NextDouble() * 0.1f).ToArray();
        using var wv = Accelerator.Allocate1D(w0);
        using var gv = Accelerator.Allocate1D(g);
        using var sv = Accelerator.Allocate1D(s0);
        var adam = AdamRule<float>.ForStep(0.001f, 0.9f, 0.999f, 1e-8f, 0.01f, step: 3);
        Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamRule<float>>(UpdateKernel)(n, wv.View, gv.View, sv.View, adam);
        float[] w = wv.GetAsArray1D(), s = sv.GetAsArray1D();
        for (int i = 0; i < n; i++)
        {
            int o = i * 4;
            float[] cw = { w0[o + 0] }; Optimizers.Sgd<float>(cw, g.AsSpan(i, 1), 0.1f, 0.01f); Same(cw[0], w[o + 0], "SGD", i);
            cw[0] = w0[o + 1]; float[] cv = { s0[o + 1] };
            Optimizers.Momentum<float>(cw, g.AsSpan(i, 1), cv, 0.1f, 0.9f, 0.01f); Same(cw[0], w[o + 1], "Momentum w", i); Same(cv[0], s[o + 1], "Momentum v", i);
            cw[0] = w0[o + 2]; cv[0] = s0[o + 2];
            Optimizers.RmsProp<float>(cw, g.AsSpan(i, 1), cv, 0.01f, 0.99f, 1e-8f, 0.01f); Same(cw[0], w[o + 2], "RMSprop w", i); Same(cv[0], s[o + 2], "RMSprop s", i);
            cw[0] = w0[o + 3]; float[] cm = { s0[o + 3] }; cv[0] = s0[o + 3 + 4 * n];
            Optimizers.Adam<float>(cw, g.AsSpan(i, 1), cm, cv, 0.001f, 0.9f, 0.999f, 1e-8f, 0.01f, 3); Same(cw[0], w[o + 3], "Adam w", i); Same(cm[0], s[o + 3], "Adam m", i);
        }
    }

    private static void Same(float cpu, float gpu, string what, int i)
        => Assert.True(BitConverter.SingleToInt32Bits(cpu) == BitConverter.SingleToInt32Bits(gpu), $"{what} [{i}]: CPU {cpu:R}, GPU kernel {gpu:R}");
}

/// <summary>PReLU and softmax's element math in an ILGPU kernel against the CPU kernels, bit for bit.</summary>
public sealed class SharedRowMathTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    private static void PReLUKernel(Index1D i, ArrayView<float> z, ArrayView<float> dy, ArrayView<float> slopes, ArrayView<float> outputs)
    {
        float v = z[i], a = slopes[i % 3];
        outputs[i * 3 + 0] = PReLUMath.Forward(v, a);
        outputs[i * 3 + 1] = PReLUMath.InputGradient(v, a, dy[i]);
        // The slope gradient accumulates from zero, as the runner's kernel and the CPU kernel both do.
        float sum = 0f;
        if (!PReLUMath.IsPositive(v)) sum += PReLUMath.SlopeGradient(v, dy[i]);
        outputs[i * 3 + 2] = sum;
    }

    [Fact]
    public void PReLUHasTheCpuBits()
    {
        // One sample of 3 units, so each slope's gradient is one element's share.
        var accelerator = fixture.Device.Accelerator;
        float[] z = { -1.5f, 0f, 2.25f }, dy = { 0.3f, -0.7f, 1.1f }, slopes = { 0.25f, 0.1f, 0.6f };
        using var zv = accelerator.Allocate1D(z);
        using var dv = accelerator.Allocate1D(dy);
        using var sv = accelerator.Allocate1D(slopes);
        using var ov = accelerator.Allocate1D<float>(9);
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(PReLUKernel)(3, zv.View, dv.View, sv.View, ov.View);
        float[] gpu = ov.GetAsArray1D();
        float[] a = new float[3], dz = new float[3], ds = new float[3];
        Activations.PReLUForward<float>(z, slopes, a, 1, 3);
        Activations.PReLUBackward<float>(z, slopes, dy, dz, ds, 1, 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(a[i]), BitConverter.SingleToInt32Bits(gpu[i * 3 + 0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(dz[i]), BitConverter.SingleToInt32Bits(gpu[i * 3 + 1]));
            Assert.Equal(BitConverter.SingleToInt32Bits(ds[i]), BitConverter.SingleToInt32Bits(gpu[i * 3 + 2]));
        }
    }
}

using System;
using System.Numerics;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>Activations, losses, optimizers and dropout: every length around the vector widths, float and double.</summary>
public class ElementwiseTests
{
    private static readonly int[] Lengths = [0, 1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 64, 127, 784];

    /// <summary>Values that hit every branch: both signs, zeros, tiny, large, beyond exp's range.</summary>
    private static T[] Inputs<T>(int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = TestData.Random<T>(n, seed, 6.0);
        double[] special = [0.0, -0.0, 1e-5, -1e-5, 0.03, -0.05, 0.2, 30, -30, 1e4, -1e4, 100, -100];
        for (int i = 0; i < n; i += 3) a[i] = T.CreateTruncating(special[(i / 3 + seed) % special.Length]);
        return a;
    }

    private static double Tol<T>() => typeof(T) == typeof(float) ? 2e-6 : 1e-13;

    private static void Close<T>(T actual, double expected, string what) where T : unmanaged, IFloatingPointIeee754<T>
        => TestData.Near(actual, expected, Math.Abs(expected) + (typeof(T) == typeof(float) ? 1e-30 : 1e-300), Tol<T>(), what);

    // ---- Activations ----

    [Fact] public void ActivationsFloat() => Activations<float>();
    [Fact] public void ActivationsDouble() => Activations<double>();

    private static void Activations<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(0.1);
        Check(default(LinearOperator<T>), z => z, (z, a) => 1, exactForward: true);
        Check(default(BinaryStepOperator<T>), z => z >= 0 ? 1 : 0, (z, a) => 0, exactForward: true);
        Check(default(ReLUOperator<T>), z => z > 0 ? z : 0, (z, a) => z > 0 ? 1 : 0, exactForward: true);
        Check(new LeakyReLUOperator<T>(alpha), z => z >= 0 ? z : 0.1 * z, (z, a) => z > 0 ? 1 : 0.1, exactForward: true);
        Check(default(SigmoidOperator<T>), z => 1 / (1 + Math.Exp(-z)), (z, a) => a * (1 - a), exactForward: false);
        Check(default(TanhOperator<T>), Math.Tanh, (z, a) => 1 - a * a, exactForward: false);
        // ELU's e^z − 1 (the formula, scalar or vector) has an absolute error of about α·ε near 0.
        Check(new ELUOperator<T>(alpha), z => z > 0 ? z : 0.1 * (Math.Exp(z) - 1), (z, a) => z > 0 ? 1 : a + 0.1, exactForward: false, absolute: 0.1);
        Check(default(SwishOperator<T>), z => z / (1 + Math.Exp(-z)), (z, a) => { double s = 1 / (1 + Math.Exp(-z)); return s + a * (1 - s); }, exactForward: false);

        void Check<TOp>(TOp op, Func<double, double> f, Func<double, double, double> df, bool exactForward, double absolute = 0) where TOp : struct, IActivationOperator<T>
        {
            foreach (int n in Lengths)
            {
                T[] z = Inputs<T>(n, n), a = new T[n], da = TestData.Random<T>(n, n + 1), dz = new T[n];
                NetGen.Numerics.Activations.Forward<T, TOp>(op, z, a);
                for (int i = 0; i < n; i++)
                {
                    double zi = double.CreateTruncating(z[i]);
                    if (exactForward) Assert.Equal(op.Invoke(z[i]), a[i]); // same bits as the scalar form
                    else TestData.Near(a[i], f(zi), Math.Abs(f(zi)) + absolute, Tol<T>(), $"{typeof(TOp).Name} forward z={zi} n={n}");
                }
                NetGen.Numerics.Activations.Backward<T, TOp>(op, z, a, da, dz);
                for (int i = 0; i < n; i++)
                {
                    double zi = double.CreateTruncating(z[i]), ai = double.CreateTruncating(a[i]);
                    double expected = double.CreateTruncating(da[i]) * df(zi, ai);
                    // The derivative is computed from the a we got, so it is as exact as the product.
                    TestData.Near(dz[i], expected, Math.Abs(double.CreateTruncating(da[i])) * (Math.Abs(df(zi, ai)) + 1), Tol<T>(), $"{typeof(TOp).Name} backward z={zi} n={n}");
                }
                // In place: a aliasing z.
                T[] inPlace = (T[])z.Clone();
                NetGen.Numerics.Activations.Forward<T, TOp>(op, inPlace, inPlace);
                TestData.BitEqual<T>(a, inPlace, $"{typeof(TOp).Name} in place n={n}");
            }
        }
    }

    [Fact] public void TanhIsAccurateNearZero()
    {
        float[] z = new float[64], a = new float[64];
        for (int i = 0; i < z.Length; i++) z[i] = (i - 32) * 0.004f;
        NetGen.Numerics.Activations.Forward(default(TanhOperator<float>), z, a);
        for (int i = 0; i < z.Length; i++) TestData.Near(a[i], Math.Tanh(z[i]), Math.Abs(Math.Tanh(z[i])), 1e-6, $"tanh({z[i]})");
    }

    [Fact] public void PReLUFloat() => PReLU<float>();
    [Fact] public void PReLUDouble() => PReLU<double>();

    private static void PReLU<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int batch in new[] { 1, 3, 16 })
            foreach (int units in Lengths)
            {
                T[] z = Inputs<T>(batch * units, units), s = TestData.Random<T>(units, 2), a = new T[batch * units];
                T[] da = TestData.Random<T>(batch * units, 3), dz = new T[batch * units], ds = TestData.Random<T>(units, 4);
                NetGen.Numerics.Activations.PReLUForward<T>(z, s, a, batch, units);
                NetGen.Numerics.Activations.PReLUBackward<T>(z, s, da, dz, ds, batch, units);
                for (int u = 0; u < units; u++)
                {
                    T expectedSlope = T.Zero;
                    for (int b = 0; b < batch; b++)
                    {
                        int i = b * units + u;
                        Assert.Equal(z[i] >= T.Zero ? z[i] : s[u] * z[i], a[i]);
                        Assert.Equal(z[i] > T.Zero ? da[i] : da[i] * s[u], dz[i]);
                        if (!(z[i] > T.Zero)) expectedSlope += da[i] * z[i];
                    }
                    Assert.Equal(expectedSlope, ds[u]); // summed over b in order, as the scalar form does
                }
            }
    }

    [Fact] public void SoftmaxFloat() => Softmax<float>();
    [Fact] public void SoftmaxDouble() => Softmax<double>();

    private static void Softmax<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int batch in new[] { 1, 4 })
            foreach (int n in Lengths)
            {
                if (n == 0) continue;
                T[] z = Inputs<T>(batch * n, n), a = new T[batch * n], da = TestData.Random<T>(batch * n, 5), dz = new T[batch * n];
                NetGen.Numerics.Activations.SoftmaxForward<T>(z, a, batch, n);
                NetGen.Numerics.Activations.SoftmaxBackward<T>(a, da, dz, batch, n);
                for (int b = 0; b < batch; b++)
                {
                    double max = double.NegativeInfinity, sum = 0, dot = 0, mag = 0;
                    for (int i = 0; i < n; i++) max = Math.Max(max, double.CreateTruncating(z[b * n + i]));
                    for (int i = 0; i < n; i++) sum += Math.Exp(double.CreateTruncating(z[b * n + i]) - max);
                    for (int i = 0; i < n; i++)
                    {
                        double p = Math.Exp(double.CreateTruncating(z[b * n + i]) - max) / sum;
                        Close(a[b * n + i], p, $"softmax n={n}");
                        dot += double.CreateTruncating(a[b * n + i]) * double.CreateTruncating(da[b * n + i]);
                        mag += Math.Abs(double.CreateTruncating(a[b * n + i]) * double.CreateTruncating(da[b * n + i]));
                    }
                    for (int i = 0; i < n; i++)
                    {
                        double ai = double.CreateTruncating(a[b * n + i]), dai = double.CreateTruncating(da[b * n + i]);
                        TestData.Near(dz[b * n + i], ai * (dai - dot), ai * (Math.Abs(dai) + mag), Tol<T>() * 4, $"softmax backward n={n}");
                    }
                }
            }
    }

    // ---- Losses ----

    [Fact] public void LossesFloat() => LossesOf<float>();
    [Fact] public void LossesDouble() => LossesOf<double>();

    private static void LossesOf<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        double tol = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
        foreach (int n in Lengths)
        {
            if (n == 0) continue;
            T[] y = TestData.Random<T>(n, 1), t = TestData.Random<T>(n, 2), d = new T[n];
            // MSE
            double s = 0;
            for (int i = 0; i < n; i++) { double e = double.CreateTruncating(y[i]) - double.CreateTruncating(t[i]); s += e * e; }
            TestData.Near(Losses.MeanSquaredError<T>(y, t), s / n, s / n, tol, $"MSE n={n}");
            Losses.MeanSquaredErrorGradient<T>(y, t, d);
            T scale = T.CreateTruncating(2.0) / T.CreateTruncating(n);
            for (int i = 0; i < n; i++) Assert.Equal(scale * (y[i] - t[i]), d[i]);

            // Probabilities in (0, 1) plus exact 0 and 1 (the log clamp).
            T[] p = new T[n], bt = new T[n];
            for (int i = 0; i < n; i++) { p[i] = T.CreateTruncating(0.5 + 0.49 * double.CreateTruncating(y[i])); bt[i] = T.CreateTruncating(i % 2); }
            p[0] = T.Zero;
            if (n > 2) p[2] = T.One;
            double bce = 0;
            for (int i = 0; i < n; i++)
            {
                double pi = double.CreateTruncating(p[i]), ti = double.CreateTruncating(bt[i]);
                bce -= ti * Math.Max(Math.Log(pi), -100) + (1 - ti) * Math.Max(Math.Log(1 - pi), -100);
            }
            TestData.Near(Losses.BinaryCrossEntropy<T>(p, bt), bce / n, bce / n, tol, $"BCE n={n}");
            Losses.BinaryCrossEntropyGradient<T>(p, bt, d);
            T nn = T.CreateTruncating(n), eps = T.CreateTruncating(1e-12);
            for (int i = 0; i < n; i++) Assert.Equal((p[i] - bt[i]) / T.Max(p[i] * (T.One - p[i]), eps) / nn, d[i]);
            Losses.BinaryCrossEntropyWithLogitsGradient<T>(p, bt, d);
            for (int i = 0; i < n; i++) Assert.Equal((p[i] - bt[i]) / nn, d[i]);

            double ce = 0;
            for (int i = 0; i < n; i++) if (bt[i] != T.Zero) ce -= double.CreateTruncating(bt[i]) * Math.Max(Math.Log(double.CreateTruncating(p[i])), -100);
            TestData.Near(Losses.CrossEntropy<T>(p, bt, 3), ce / 3, ce / 3, tol, $"CE n={n}");
            Losses.CrossEntropyGradient<T>(p, bt, d, 3);
            for (int i = 0; i < n; i++) Assert.Equal(-bt[i] / T.Max(p[i], eps) / T.CreateTruncating(3), d[i]);
        }

        // Softmax cross entropy from logits, including ±1e4 logits.
        foreach (int batch in new[] { 1, 3 })
            foreach (int n in Lengths)
            {
                if (n == 0) continue;
                T[] z = Inputs<T>(batch * n, n + 7), t = new T[batch * n], p = new T[batch * n], dz = new T[batch * n];
                for (int b = 0; b < batch; b++) t[b * n + (b * 5) % n] = T.One;
                double total = 0;
                for (int b = 0; b < batch; b++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int i = 0; i < n; i++) max = Math.Max(max, double.CreateTruncating(z[b * n + i]));
                    for (int i = 0; i < n; i++) sum += Math.Exp(double.CreateTruncating(z[b * n + i]) - max);
                    double lse = max + Math.Log(sum);
                    for (int i = 0; i < n; i++) total += double.CreateTruncating(t[b * n + i]) * (lse - double.CreateTruncating(z[b * n + i]));
                }
                T loss = Losses.SoftmaxCrossEntropy<T>(z, t, batch, n);
                Assert.True(T.IsFinite(loss));
                TestData.Near(loss, total / batch, Math.Abs(total / batch) + 1e4 * TestData.Epsilon<T>() * 10, tol, $"softmax CE n={n}");
                NetGen.Numerics.Activations.SoftmaxForward<T>(z, p, batch, n);
                Losses.SoftmaxCrossEntropyGradient<T>(p, t, dz, batch, n);
                T inv = T.One / T.CreateTruncating(batch);
                for (int i = 0; i < batch * n; i++) Assert.Equal((p[i] - t[i]) * inv, dz[i]);
            }
    }

    // ---- Optimizers: the same bits as the scalar update, element by element ----

    [Fact] public void OptimizersFloat() => OptimizersOf<float>();
    [Fact] public void OptimizersDouble() => OptimizersOf<double>();

    private static void OptimizersOf<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(0.01), mu = T.CreateTruncating(0.9), b1 = T.CreateTruncating(0.9), b2 = T.CreateTruncating(0.999);
        T eps = T.CreateTruncating(1e-8), rho = T.CreateTruncating(0.99), wd = T.CreateTruncating(0.01);
        foreach (int n in Lengths)
        {
            T[] w = TestData.Random<T>(n, 1), g = TestData.Random<T>(n, 2), s1 = TestData.Random<T>(n, 3), s2 = TestData.Random<T>(n, 4);
            for (int i = 0; i < n; i++) s2[i] = T.Abs(s2[i]);

            T[] ew = (T[])w.Clone(), aw = (T[])w.Clone();
            for (int i = 0; i < n; i++) ew[i] -= lr * (g[i] + wd * ew[i]);
            Optimizers.Sgd<T>(aw, g, lr, wd);
            TestData.BitEqual<T>(ew, aw, $"SGD n={n}");

            ew = (T[])w.Clone(); aw = (T[])w.Clone();
            T[] ev = (T[])s1.Clone(), av = (T[])s1.Clone();
            for (int i = 0; i < n; i++) { T gi = g[i] + wd * ew[i]; ev[i] = mu * ev[i] + gi; ew[i] -= lr * ev[i]; }
            Optimizers.Momentum<T>(aw, g, av, lr, mu, wd);
            TestData.BitEqual<T>(ew, aw, $"Momentum w n={n}");
            TestData.BitEqual<T>(ev, av, $"Momentum v n={n}");

            ew = (T[])w.Clone(); aw = (T[])w.Clone();
            T[] es = (T[])s2.Clone(), as_ = (T[])s2.Clone();
            for (int i = 0; i < n; i++) { T gi = g[i] + wd * ew[i]; es[i] = rho * es[i] + (T.One - rho) * gi * gi; ew[i] -= lr * gi / (T.Sqrt(es[i]) + eps); }
            Optimizers.RmsProp<T>(aw, g, as_, lr, rho, eps, wd);
            TestData.BitEqual<T>(ew, aw, $"RMSprop w n={n}");
            TestData.BitEqual<T>(es, as_, $"RMSprop s n={n}");

            foreach (long step in new long[] { 1, 2, 1000 })
            {
                ew = (T[])w.Clone(); aw = (T[])w.Clone();
                T[] em = (T[])s1.Clone(), am = (T[])s1.Clone();
                es = (T[])s2.Clone(); as_ = (T[])s2.Clone();
                T bias1 = T.One - T.Pow(b1, T.CreateTruncating(step)), bias2 = T.One - T.Pow(b2, T.CreateTruncating(step));
                T stepSize = lr / bias1, sqrtBias2 = T.Sqrt(bias2);
                for (int i = 0; i < n; i++)
                {
                    T gi = g[i] + wd * ew[i];
                    em[i] = b1 * em[i] + (T.One - b1) * gi;
                    es[i] = b2 * es[i] + (T.One - b2) * gi * gi;
                    ew[i] -= stepSize * em[i] / (T.Sqrt(es[i]) / sqrtBias2 + eps);
                }
                Optimizers.Adam<T>(aw, g, am, as_, lr, b1, b2, eps, wd, step);
                TestData.BitEqual<T>(ew, aw, $"Adam w n={n} step={step}");
                TestData.BitEqual<T>(em, am, $"Adam m n={n}");
                TestData.BitEqual<T>(es, as_, $"Adam v n={n}");
            }
        }
    }

    // ---- Dropout ----

    [Fact] public void DropoutFloat() => DropoutOf<float>();
    [Fact] public void DropoutDouble() => DropoutOf<double>();

    private static void DropoutOf<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in Lengths)
            foreach (double rate in new[] { 0.0, 0.2, 0.5 })
            {
                T[] x = TestData.Random<T>(n, 1), y = new T[n], mask = new T[n], dy = TestData.Random<T>(n, 2), dx = new T[n];
                var rng = SplitMix64.FromSeed(7);
                var reference = SplitMix64.FromSeed(7);
                Dropout.Forward<T>(x, y, mask, rate, ref rng);
                T keep = T.CreateTruncating(1.0 / (1.0 - rate));
                for (int i = 0; i < n; i++)
                {
                    T expectedMask = reference.NextDouble() < rate ? T.Zero : keep;
                    Assert.Equal(expectedMask, mask[i]);
                    Assert.Equal(x[i] * expectedMask, y[i]);
                }
                Assert.Equal(reference.State, rng.State);
                Dropout.Backward<T>(dy, mask, dx);
                for (int i = 0; i < n; i++) Assert.Equal(dy[i] * mask[i], dx[i]);
            }
    }

    [Fact]
    public void AllFiniteFindsEveryNonFiniteValue()
    {
        foreach (int n in Lengths)
        {
            if (n == 0) { Assert.True(NetGen.Numerics.Activations.AllFinite<float>([])); continue; }
            float[] a = TestData.Random<float>(n, 1, 1e30);
            Assert.True(NetGen.Numerics.Activations.AllFinite<float>(a));
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                for (int i = 0; i < n; i += Math.Max(1, n / 5))
                {
                    float keep = a[i];
                    a[i] = bad;
                    Assert.False(NetGen.Numerics.Activations.AllFinite<float>(a));
                    a[i] = keep;
                }
        }
    }

    [Fact]
    public void PerceptronGradientMatchesTheRule()
    {
        const int batch = 5, inputs = 37, units = 3;
        double[] x = TestData.Random<double>(batch * inputs, 1), y = new double[batch * units], t = new double[batch * units];
        for (int i = 0; i < y.Length; i++) { y[i] = i % 2; t[i] = (i / 2) % 2; }
        double[] dw = TestData.Random<double>(units * inputs, 2), db = new double[units];
        Perceptron.Gradient<double>(x, y, t, dw, db, batch, inputs, units);
        for (int u = 0; u < units; u++)
            for (int i = 0; i < inputs; i++)
            {
                double e = 0;
                for (int b = 0; b < batch; b++) e -= (t[b * units + u] - y[b * units + u]) * x[b * inputs + i];
                Assert.Equal(e, dw[u * inputs + i], 12);
            }
    }
}

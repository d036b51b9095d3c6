using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// Few inputs and units, many samples (SimpleChains' 4-32-16-4 and its neighbours): the kernels that
/// vectorise across units, against the double reference, thread-count independent and allocation-free.
/// </summary>
public class SmallShapeTests
{
    private static double Tolerance<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
        => TestData.Epsilon<T>() * (8 + 2 * Math.Sqrt(n + 1));

    /// <summary>Every inputs 1..20 × units 1..40 at a few small batches, plus large batches of selected pairs.</summary>
    private static IEnumerable<(int Batch, int Inputs, int Units)> Shapes(bool all)
    {
        if (all)
            for (int i = 1; i <= 20; i++)
                for (int u = 1; u <= 40; u++)
                    foreach (int b in (int[])[1, 6, 37])
                        yield return (b, i, u);
        foreach (var (i, u) in ((int, int)[])[(4, 32), (32, 16), (16, 4), (7, 33), (20, 40), (1, 17), (3, 40), (13, 5), (2, 2), (9, 16), (64, 40), (33, 8), (65, 16)])
            foreach (int b in (int[])[1000, 10_000, 9_999])
                yield return (b, i, u);
    }

    [Fact] public void ForwardFloat() => Forward<float>();
    [Fact] public void ForwardDouble() => Forward<double>();
    [Fact] public void BackwardWeightsFloat() => BackwardWeights<float>();
    [Fact] public void BackwardWeightsDouble() => BackwardWeights<double>();
    [Fact] public void BackwardInputFloat() => BackwardInput<float>();
    [Fact] public void BackwardInputDouble() => BackwardInput<double>();
    [Fact] public void BitIdenticalWithAnyThreadCountFloat() => BitIdentical<float>();
    [Fact] public void BitIdenticalWithAnyThreadCountDouble() => BitIdentical<double>();

    private static void Forward<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in Shapes(all: true))
        {
            T[] x = TestData.Random<T>(batch * inputs, 1), w = TestData.Random<T>(units * inputs, 2), b = TestData.Random<T>(units, 3);
            T[] y = new T[batch * units + 1], z = new T[batch * units + 1], a = new T[batch * units + 1];
            y[^1] = z[^1] = a[^1] = T.CreateTruncating(42); // past the output: must not be touched
            Dense.Forward<T>(x, w, b, y, batch, inputs, units);
            double tol = Tolerance<T>(inputs);
            for (int r = 0; r < batch; r++)
                for (int u = 0; u < units; u++)
                {
                    double s = double.CreateTruncating(b[u]), mag = Math.Abs(s);
                    for (int i = 0; i < inputs; i++)
                    {
                        double p = double.CreateTruncating(x[r * inputs + i]) * double.CreateTruncating(w[u * inputs + i]);
                        s += p; mag += Math.Abs(p);
                    }
                    TestData.Near(y[r * units + u], s, mag, tol, $"Forward<{typeof(T).Name}> b={batch} i={inputs} u={units} at [{r},{u}]");
                }
            Assert.Equal(T.CreateTruncating(42), y[^1]);

            // Fused: z the plain product, y = f(z) exactly as the activation pass gives it.
            T[] expected = new T[batch * units + 1];
            expected[^1] = T.CreateTruncating(42);
            Dense.Forward(default(TanhOperator<T>), x, w, b, z, a, batch, inputs, units);
            TestData.BitEqual<T>(y, z, $"fused Tanh z b={batch} i={inputs} u={units}");
            Activations.Forward(default(TanhOperator<T>), y.AsSpan(0, batch * units), expected);
            TestData.BitEqual<T>(expected, a, $"fused Tanh y b={batch} i={inputs} u={units}");
            Dense.Forward(new Square<T>(), x, w, b, z, a, batch, inputs, units);
            TestData.BitEqual<T>(y, z, $"fused custom z b={batch} i={inputs} u={units}");
            for (int k = 0; k < batch * units; k++) Assert.Equal(z[k] * z[k], a[k]);
            Array.Clear(a, 0, batch * units);
            Dense.Forward(default(LinearOperator<T>), x, w, b, z, a, batch, inputs, units);
            TestData.BitEqual<T>(y, a, $"fused Linear y b={batch} i={inputs} u={units}");
            Assert.Equal(T.CreateTruncating(42), a[^1]);
            Assert.Equal(T.CreateTruncating(42), z[^1]);
        }
    }

    private static void BackwardWeights<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in Shapes(all: true))
        {
            T[] dy = TestData.Random<T>(batch * units, 7), x = TestData.Random<T>(batch * inputs, 8);
            T[] dw = TestData.Random<T>(units * inputs + 1, 9), db = TestData.Random<T>(units + 1, 10); // garbage: must be overwritten
            T lastW = dw[^1], lastB = db[^1];
            Dense.BackwardWeights<T>(dy, x, dw, db, batch, inputs, units);
            double tol = Tolerance<T>(batch);
            for (int u = 0; u < units; u++)
            {
                double sb = 0, mb = 0;
                for (int r = 0; r < batch; r++) { double g = double.CreateTruncating(dy[r * units + u]); sb += g; mb += Math.Abs(g); }
                TestData.Near(db[u], sb, mb, tol, $"db<{typeof(T).Name}> b={batch} i={inputs} u={units} at [{u}]");
                for (int i = 0; i < inputs; i++)
                {
                    double s = 0, mag = 0;
                    for (int r = 0; r < batch; r++)
                    {
                        double p = double.CreateTruncating(dy[r * units + u]) * double.CreateTruncating(x[r * inputs + i]);
                        s += p; mag += Math.Abs(p);
                    }
                    TestData.Near(dw[u * inputs + i], s, mag, tol, $"dW<{typeof(T).Name}> b={batch} i={inputs} u={units} at [{u},{i}]");
                }
            }
            Assert.Equal(lastW, dw[^1]);
            Assert.Equal(lastB, db[^1]);
        }
    }

    private static void BackwardInput<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in Shapes(all: true))
        {
            T[] dy = TestData.Random<T>(batch * units, 11), w = TestData.Random<T>(units * inputs, 12);
            T[] dx = TestData.Random<T>(batch * inputs, 13);
            Dense.BackwardInput<T>(dy, w, dx, batch, inputs, units);
            double tol = Tolerance<T>(units);
            for (int r = 0; r < batch; r++)
                for (int i = 0; i < inputs; i++)
                {
                    double s = 0, mag = 0;
                    for (int u = 0; u < units; u++)
                    {
                        double p = double.CreateTruncating(dy[r * units + u]) * double.CreateTruncating(w[u * inputs + i]);
                        s += p; mag += Math.Abs(p);
                    }
                    TestData.Near(dx[r * inputs + i], s, mag, tol, $"dx<{typeof(T).Name}> b={batch} i={inputs} u={units} at [{r},{i}]");
                }
        }
    }

    private static void BitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in Shapes(all: false))
        {
            T[] x = TestData.Random<T>(batch * inputs, 1), w = TestData.Random<T>(units * inputs, 2), b = TestData.Random<T>(units, 3), dy = TestData.Random<T>(batch * units, 4);
            T[][] one = Run(1), two = Run(2), many = Run(7);
            for (int k = 0; k < one.Length; k++)
            {
                TestData.BitEqual<T>(one[k], two[k], $"output {k} of b={batch} i={inputs} u={units}, 1 vs 2 threads");
                TestData.BitEqual<T>(one[k], many[k], $"output {k} of b={batch} i={inputs} u={units}, 1 vs 7 threads");
            }

            T[][] Run(int threads)
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                T[] y = new T[batch * units], z = new T[batch * units], a = new T[batch * units];
                T[] dw = new T[units * inputs], db = new T[units], dx = new T[batch * inputs];
                Dense.Forward<T>(x, w, b, y, batch, inputs, units);
                Dense.Forward(default(TanhOperator<T>), x, w, b, z, a, batch, inputs, units);
                Dense.BackwardWeights<T>(dy, x, dw, db, batch, inputs, units);
                Dense.BackwardInput<T>(dy, w, dx, batch, inputs, units);
                return [y, z, a, dw, db, dx];
            }
        }
    }

    [Fact] public void ActivationsBitIdenticalWithAnyThreadCountFloat() => ActivationsBitIdentical<float>();
    [Fact] public void ActivationsBitIdenticalWithAnyThreadCountDouble() => ActivationsBitIdentical<double>();

    /// <summary>Long activation spans are split across threads in whole vectors: the same bits as one thread, in place too.</summary>
    private static void ActivationsBitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in (int[])[1, 15, 16, 33, 1000, 4097, 320_000, 320_007])
        {
            T[] z = TestData.Random<T>(n, 21, scale: 4);
            T[] one = Run(1, false), two = Run(2, false), many = Run(7, false), inPlace = Run(3, true);
            TestData.BitEqual<T>(one, two, $"tanh n={n}, 1 vs 2 threads");
            TestData.BitEqual<T>(one, many, $"tanh n={n}, 1 vs 7 threads");
            TestData.BitEqual<T>(one, inPlace, $"tanh n={n} in place, 1 vs 3 threads");
            using (new ParallelismScope(1))
            {
                // The single-thread path is the plain loop: the vector form on whole vectors, the scalar one on the tail.
                int tail = n - n % (Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count);
                for (int k = tail; k < n; k++) Assert.Equal(default(TanhOperator<T>).Invoke(z[k]), one[k]);
            }

            T[] Run(int threads, bool inPlace)
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                T[] a = inPlace ? (T[])z.Clone() : new T[n];
                Activations.Forward(default(TanhOperator<T>), inPlace ? a : z, a);
                return a;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Theory]
    [InlineData(1, 10_000)]
    [InlineData(2, 10_000)]
    [InlineData(1, 32)]
    [InlineData(2, 32)]
    [InlineData(2, 1)]
    public void WarmSimpleChainsStepAllocatesNothing(int threads, int batch)
    {
        using var scope = new ParallelismScope(threads, minimumWork: 0);
        float[] x = TestData.Random<float>(batch * 4, 1), t = TestData.Random<float>(batch * 4, 2);
        float[] w0 = TestData.Random<float>(32 * 4, 3), b0 = new float[32], w1 = TestData.Random<float>(16 * 32, 4), b1 = new float[16];
        float[] w2 = TestData.Random<float>(4 * 16, 5), b2 = new float[4];
        float[] z0 = new float[batch * 32], y0 = new float[batch * 32], z1 = new float[batch * 16], y1 = new float[batch * 16], y2 = new float[batch * 4];
        float[] dy2 = new float[batch * 4], dy1 = new float[batch * 16], dz1 = new float[batch * 16], dy0 = new float[batch * 32], dz0 = new float[batch * 32], dx = new float[batch * 4];
        float[] dw0 = new float[w0.Length], db0 = new float[32], dw1 = new float[w1.Length], db1 = new float[16], dw2 = new float[w2.Length], db2 = new float[4];
        float[] m = new float[w1.Length], v = new float[w1.Length];
        long step = 0;

        void TrainStep()
        {
            Dense.Forward(default(TanhOperator<float>), x, w0, b0, z0, y0, batch, 4, 32);
            Dense.Forward(default(TanhOperator<float>), y0, w1, b1, z1, y1, batch, 32, 16);
            Dense.Forward<float>(y1, w2, b2, y2, batch, 16, 4);
            Losses.MeanSquaredErrorGradient<float>(y2, t, dy2);
            Dense.BackwardWeights<float>(dy2, y1, dw2, db2, batch, 16, 4);
            Dense.BackwardInput<float>(dy2, w2, dy1, batch, 16, 4);
            Activations.Backward(default(TanhOperator<float>), z1, y1, dy1, dz1);
            Dense.BackwardWeights<float>(dz1, y0, dw1, db1, batch, 32, 16);
            Dense.BackwardInput<float>(dz1, w1, dy0, batch, 32, 16);
            Activations.Backward(default(TanhOperator<float>), z0, y0, dy0, dz0);
            Dense.BackwardWeights<float>(dz0, x, dw0, db0, batch, 4, 32);
            Dense.BackwardInput<float>(dz0, w0, dx, batch, 4, 32);
            Optimizers.Adam<float>(w1, dw1, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, ++step);
        }

        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < 40; i++) TrainStep();
            Thread.Sleep(150);
        }
        for (int window = 0; window < 5; window++)
        {
            long workers0 = Interlocked.Read(ref WorkerPool.WorkerAllocatedBytes), thread0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) TrainStep();
            long thread1 = GC.GetAllocatedBytesForCurrentThread(), workers1 = Interlocked.Read(ref WorkerPool.WorkerAllocatedBytes);
            Assert.Equal(0, thread1 - thread0);
            Assert.Equal(0, workers1 - workers0);
        }
    }

    private readonly struct Square<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T z) => z * z;
        public T Derivative(T z, T a) => z + z;
    }
}

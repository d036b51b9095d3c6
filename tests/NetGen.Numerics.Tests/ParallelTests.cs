using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>Results do not depend on the thread count, and warm calls allocate nothing.</summary>
public class ParallelTests
{
    private static readonly (int Batch, int Inputs, int Units)[] Shapes =
        [(64, 784, 128), (64, 128, 10), (1, 784, 128), (33, 127, 17), (7, 33, 31), (127, 17, 5), (5, 784, 3), (17, 64, 127), (256, 31, 64),
         (401, 19, 37), (13, 23, 300), // these two: reductions (dW over 401 samples, dx over 300 units) split into blocks
         (64, 400, 120), (64, 120, 84), (32, 784, 128), (8, 784, 128), (64, 1000, 7)]; // LeNet-5's layers; few row blocks (units split too); one column panel (rows split)

    [Fact] public void BitIdenticalWithOneOrTwoThreadsFloat() => BitIdentical<float>();
    [Fact] public void BitIdenticalWithOneOrTwoThreadsDouble() => BitIdentical<double>();

    private static void BitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in Shapes)
        {
            T[] x = TestData.Random<T>(batch * inputs, 1), w = TestData.Random<T>(units * inputs, 2), b = TestData.Random<T>(units, 3), dy = TestData.Random<T>(batch * units, 4);
            T[][] one = Run(1), two = Run(2), three = Run(3), many = Run(16);
            for (int k = 0; k < one.Length; k++)
            {
                TestData.BitEqual<T>(one[k], two[k], $"output {k} of b={batch} i={inputs} u={units}, 1 vs 2 threads");
                TestData.BitEqual<T>(one[k], three[k], $"output {k} of b={batch} i={inputs} u={units}, 1 vs 3 threads");
                TestData.BitEqual<T>(one[k], many[k], $"output {k} of b={batch} i={inputs} u={units}, 1 vs 16 threads");
            }

            T[][] Run(int threads)
            {
                // Minimum work 0: even the small shapes take the parallel path when threads > 1.
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

    [Fact] public void PoolingAndActivationPassesBitIdenticalFloat() => PassesBitIdentical<float>();
    [Fact] public void PoolingAndActivationPassesBitIdenticalDouble() => PassesBitIdentical<double>();

    /// <summary>The element-wise passes that split by samples (pooling) or whole vectors (activation derivatives).</summary>
    private static void PassesBitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        // LeNet-5's two pools (the 2×2 fast paths), an odd 3×3 stride-2 pool, batches that do not divide evenly.
        foreach (var (batch, shape) in new[] { (64, new Pool2DShape(6, 28, 28, 2, 2)), (7, new Pool2DShape(16, 10, 10, 2, 2)), (5, new Pool2DShape(3, 9, 11, 3, 2)) })
        {
            T[] x = TestData.Random<T>(batch * shape.InputSize, 5), dy = TestData.Random<T>(batch * shape.OutputSize, 6);
            T[][] one = Run(1), two = Run(2), three = Run(3);
            for (int k = 0; k < one.Length; k++)
            {
                TestData.BitEqual<T>(one[k], two[k], $"pooling output {k}, batch {batch}, 1 vs 2 threads");
                TestData.BitEqual<T>(one[k], three[k], $"pooling output {k}, batch {batch}, 1 vs 3 threads");
            }

            T[][] Run(int threads)
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                T[] y = new T[dy.Length], avg = new T[dy.Length], dxMax = new T[x.Length], dxAvg = new T[x.Length];
                int[] argmax = new int[dy.Length];
                Pooling.MaxForward<T>(x, y, argmax, batch, shape);
                Pooling.MaxBackward<T>(dy, argmax, dxMax, batch, shape);
                Pooling.AverageForward<T>(x, avg, batch, shape);
                Pooling.AverageBackward<T>(dy, dxAvg, batch, shape);
                return [y, Array.ConvertAll(argmax, i => T.CreateTruncating(i)), avg, dxMax, dxAvg];
            }
        }
        foreach (int n in new[] { 64 * 4704, 1000, 33 })
        {
            T[] z = TestData.Random<T>(n, 7), da = TestData.Random<T>(n, 8);
            T[] relu1 = Derivative<ReLUOperator<T>>(1), relu2 = Derivative<ReLUOperator<T>>(2), tanh1 = Derivative<TanhOperator<T>>(1), tanh3 = Derivative<TanhOperator<T>>(3);
            TestData.BitEqual<T>(relu1, relu2, $"ReLU derivative of {n}, 1 vs 2 threads");
            TestData.BitEqual<T>(tanh1, tanh3, $"tanh derivative of {n}, 1 vs 3 threads");

            T[] Derivative<TOp>(int threads) where TOp : struct, IActivationOperator<T>
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                T[] a = new T[n], dz = new T[n];
                Activations.Forward(default(TOp), z, a);
                Activations.Backward(default(TOp), z, a, da, dz);
                return dz;
            }
        }
    }

    [Fact] public void UpdatesBitIdenticalFloat() => UpdatesBitIdentical<float>();
    [Fact] public void UpdatesBitIdenticalDouble() => UpdatesBitIdentical<double>();

    /// <summary>SGD and Adam split into runs of whole 64-byte blocks: every element the same bits, ragged lengths included.</summary>
    private static void UpdatesBitIdentical<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in new[] { 101_770, 61_706, 1000, 37 })
        {
            T[][] one = Run(1), two = Run(2), three = Run(3);
            for (int k = 0; k < one.Length; k++)
            {
                TestData.BitEqual<T>(one[k], two[k], $"update output {k} of {n}, 1 vs 2 threads");
                TestData.BitEqual<T>(one[k], three[k], $"update output {k} of {n}, 1 vs 3 threads");
            }

            T[][] Run(int threads)
            {
                using var scope = new ParallelismScope(threads, minimumWork: 0);
                Optimizers.SplitUpdates = true;
                try { return Update(); }
                finally { Optimizers.SplitUpdates = false; }
            }

            T[][] Update()
            {
                T[] w = TestData.Random<T>(n, 9), g = TestData.Random<T>(n, 10), wa = TestData.Random<T>(n, 11), m = new T[n], v = new T[n];
                T lr = T.CreateTruncating(0.01), wd = T.CreateTruncating(1e-4);
                Optimizers.Sgd<T>(w, g, lr, wd);
                for (int step = 1; step <= 3; step++)
                    Optimizers.Adam<T>(wa, g, m, v, lr, T.CreateTruncating(0.9), T.CreateTruncating(0.999), T.CreateTruncating(1e-8), wd, step);
                return [w, wa, m, v];
            }
        }
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        // Two threads calling at once: one owns the workers, the other runs serially; both exact.
        using var scope = new ParallelismScope(2, minimumWork: 0);
        const int batch = 32, inputs = 100, units = 40;
        float[] x = TestData.Random<float>(batch * inputs, 1), w = TestData.Random<float>(units * inputs, 2), b = TestData.Random<float>(units, 3);
        float[] expected = new float[batch * units];
        Dense.Forward<float>(x, w, b, expected, batch, inputs, units);
        Exception? failure = null;
        var threads = new Thread[3];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                try
                {
                    float[] y = new float[batch * units];
                    for (int rep = 0; rep < 300; rep++)
                    {
                        Dense.Forward<float>(x, w, b, y, batch, inputs, units);
                        TestData.BitEqual<float>(expected, y, "concurrent forward");
                    }
                }
                catch (Exception e) { failure = e; }
            });
            threads[t].Start();
        }
        foreach (Thread t in threads) t.Join();
        Assert.Null(failure);
    }

    [Fact]
    public void MaxThreadsRejectsLessThanOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Theory]
    [InlineData(1, 64)]
    [InlineData(2, 64)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    public void WarmCallsAllocateNothing(int threads, int batch)
    {
        using var scope = new ParallelismScope(threads, minimumWork: 0);
        const int inputs = 784, hidden = 128, outputs = 10;
        float[] x = TestData.Random<float>(batch * inputs, 1), w1 = TestData.Random<float>(hidden * inputs, 2), b1 = new float[hidden];
        float[] w2 = TestData.Random<float>(outputs * hidden, 3), b2 = new float[outputs], t = new float[batch * outputs];
        float[] z1 = new float[batch * hidden], a1 = new float[batch * hidden], z2 = new float[batch * outputs], p = new float[batch * outputs];
        float[] dz2 = new float[batch * outputs], da1 = new float[batch * hidden], dz1 = new float[batch * hidden];
        float[] dw1 = new float[w1.Length], db1 = new float[hidden], dw2 = new float[w2.Length], db2 = new float[outputs];
        float[] pr = new float[hidden], dpr = new float[hidden];
        float[] m = new float[w1.Length], v = new float[w1.Length], mask = new float[batch * hidden];
        for (int i = 0; i < batch; i++) t[i * outputs + i % outputs] = 1;
        var rng = SplitMix64.FromSeed(1);
        long step = 0;

        void TrainStep()
        {
            Dense.Forward(default(ReLUOperator<float>), x, w1, b1, z1, a1, batch, inputs, hidden);
            Dropout.Forward<float>(a1, a1, mask, 0.2, ref rng);
            Dense.Forward<float>(a1, w2, b2, z2, batch, hidden, outputs);
            Activations.SoftmaxForward<float>(z2, p, batch, outputs);
            Losses.SoftmaxCrossEntropy<float>(z2, t, batch, outputs);
            Losses.SoftmaxCrossEntropyGradient<float>(p, t, dz2, batch, outputs);
            Dense.BackwardWeights<float>(dz2, a1, dw2, db2, batch, hidden, outputs);
            Dense.BackwardInput<float>(dz2, w2, da1, batch, hidden, outputs);
            Dropout.Backward<float>(da1, mask, da1);
            Activations.Backward(default(ReLUOperator<float>), z1, a1, da1, dz1);
            Activations.Forward(default(SigmoidOperator<float>), z1, a1);
            Activations.PReLUForward<float>(z1, pr, a1, batch, hidden);
            Activations.PReLUBackward<float>(z1, pr, da1, dz1, dpr, batch, hidden);
            Dense.BackwardWeights<float>(dz1, x, dw1, db1, batch, inputs, hidden);
            Optimizers.Adam<float>(w1, dw1, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, ++step);
            Optimizers.Sgd<float>(w2, dw2, 1e-3f, 0f);
        }

        // Warm up past tiered compilation (the JIT's background tier-up allocates on its own thread).
        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < 40; i++) TrainStep();
            Thread.Sleep(150);
        }
        // Exact per-thread checks: the calling thread and every worker of the pool (the pool counts its
        // workers' allocations). A whole-process count would also see the test host's own threads,
        // which allocate now and then, so it cannot tell our code's bytes apart on a loaded machine.
        for (int window = 0; window < 5; window++)
        {
            long workers0 = Interlocked.Read(ref WorkerPool.WorkerAllocatedBytes), thread0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) TrainStep();
            long thread1 = GC.GetAllocatedBytesForCurrentThread(), workers1 = Interlocked.Read(ref WorkerPool.WorkerAllocatedBytes);
            Assert.Equal(0, thread1 - thread0);
            Assert.Equal(0, workers1 - workers0);
        }
    }
}

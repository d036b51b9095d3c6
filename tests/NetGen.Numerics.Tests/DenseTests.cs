using System;
using System.Numerics;
using Xunit;

namespace NetGen.Numerics.Tests;

public class DenseTests
{
    // Error bound of a length-n sum in T, relative to Σ|terms|: generous multiples of n·ε are not
    // needed for blocked sums, so a fixed multiple of ε with room for √n growth suffices.
    private static double Tolerance<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
        => TestData.Epsilon<T>() * (8 + 2 * Math.Sqrt(n + 1));

    [Fact] public void ForwardFloat() => Forward<float>();
    [Fact] public void ForwardDouble() => Forward<double>();
    [Fact] public void BackwardWeightsFloat() => BackwardWeights<float>();
    [Fact] public void BackwardWeightsDouble() => BackwardWeights<double>();
    [Fact] public void BackwardInputFloat() => BackwardInput<float>();
    [Fact] public void BackwardInputDouble() => BackwardInput<double>();
    [Fact] public void FusedForwardFloat() => FusedForward<float>();
    [Fact] public void FusedForwardDouble() => FusedForward<double>();
    [Fact] public void HalfUsesTheScalarPath() => Forward<Half>(maxWork: 5_000);

    private static void Forward<T>(long maxWork = long.MaxValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in TestData.DenseShapes())
        {
            if ((long)batch * inputs * units > maxWork) continue;
            T[] x = TestData.Random<T>(batch * inputs, 1), w = TestData.Random<T>(units * inputs, 2), b = TestData.Random<T>(units, 3);
            T[] y = new T[batch * units + 3];
            y[^1] = T.CreateTruncating(42); // past the output: must not be touched
            Dense.Forward<T>(x, w, b, y, batch, inputs, units);
            double tol = typeof(T) == typeof(Half) ? 4e-3 : Tolerance<T>(inputs);
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
        }
    }

    private static void FusedForward<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in TestData.DenseShapes())
        {
            if ((long)batch * inputs * units > 100_000) continue;
            T[] x = TestData.Random<T>(batch * inputs, 4), w = TestData.Random<T>(units * inputs, 5), b = TestData.Random<T>(units, 6);
            T[] plain = new T[batch * units], z = new T[batch * units], y = new T[batch * units];
            Dense.Forward<T>(x, w, b, plain, batch, inputs, units);

            T[] expected = new T[batch * units];
            Dense.Forward(default(ReLUOperator<T>), x, w, b, z, y, batch, inputs, units);
            TestData.BitEqual<T>(plain, z, "fused ReLU z");
            for (int k = 0; k < y.Length; k++) Assert.Equal(default(ReLUOperator<T>).Invoke(z[k]), y[k]);

            // The fused forward gives the same bits as Forward then Activations.Forward.
            Dense.Forward(default(SigmoidOperator<T>), x, w, b, z, y, batch, inputs, units);
            TestData.BitEqual<T>(plain, z, "fused Sigmoid z");
            Activations.Forward(default(SigmoidOperator<T>), plain, expected);
            TestData.BitEqual<T>(expected, y, "fused Sigmoid y");

            // An operator without vector forms takes the scalar epilogue.
            Dense.Forward(new ScalarOnlySquare<T>(), x, w, b, z, y, batch, inputs, units);
            TestData.BitEqual<T>(plain, z, "fused custom z");
            for (int k = 0; k < y.Length; k++) Assert.Equal(z[k] * z[k], y[k]);

            // In place: z and y the same span.
            Dense.Forward(default(TanhOperator<T>), x, w, b, y, y, batch, inputs, units);
            Activations.Forward(default(TanhOperator<T>), plain, expected);
            TestData.BitEqual<T>(expected, y, "fused Tanh in place");

            // Linear with separate z and y writes both.
            Array.Clear(y);
            Dense.Forward(default(LinearOperator<T>), x, w, b, z, y, batch, inputs, units);
            TestData.BitEqual<T>(plain, y, "fused Linear y");
        }
    }

    private static void BackwardWeights<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in TestData.DenseShapes())
        {
            T[] dy = TestData.Random<T>(batch * units, 7), x = TestData.Random<T>(batch * inputs, 8);
            T[] dw = TestData.Random<T>(units * inputs, 9), db = TestData.Random<T>(units, 10); // garbage: must be overwritten
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
        }
    }

    private static void BackwardInput<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (batch, inputs, units) in TestData.DenseShapes())
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

    private readonly struct ScalarOnlySquare<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T z) => z * z;
        public T Derivative(T z, T a) => z + z;
    }

    [Fact]
    public void CustomOperatorWithoutVectorFormsWorksEverywhere()
    {
        float[] z = TestData.Random<float>(37, 1), a = new float[37], da = TestData.Random<float>(37, 2), dz = new float[37];
        Activations.Forward(new ScalarOnlySquare<float>(), z, a);
        Activations.Backward(new ScalarOnlySquare<float>(), z, a, da, dz);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(z[i] * z[i], a[i]);
            Assert.Equal(da[i] * (z[i] + z[i]), dz[i]);
        }
    }

    [Fact]
    public void ShortSpansThrowArgumentException()
    {
        float[] x = new float[6], w = new float[6], b = new float[2], y = new float[3];
        Assert.Throws<ArgumentException>(() => Dense.Forward<float>(x, w, b, y, 2, 3, 2));
        Assert.Throws<ArgumentException>(() => Dense.BackwardInput<float>(new float[4], w, new float[5], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => Dense.BackwardWeights<float>(new float[4], x, new float[6], new float[1], 2, 3, 2));
    }
}

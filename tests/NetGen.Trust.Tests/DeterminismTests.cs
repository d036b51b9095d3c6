using System;
using System.Linq;
using System.Numerics;
using System.Reflection;
using NetGen.Trust.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>The same declaration and seed train to bit-identical parameters: twice in a row, and with 1 or 2 kernel threads.</summary>
public sealed class DeterminismTests(ITestOutputHelper output)
{
    private const string Source = """
        using NetGen;
        namespace TrustDeterminism;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, WeightDecay = 1e-4f, Seed = 7)]
        [Input(64)] [Dense(96, Activation.ReLU)] [Dropout(0.3f)] [Maxout(48, 2)] [Dense(10, Activation.Softmax)]
        public partial class FloatNet;

        [Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, Seed = 11, Precision = Precision.Double)]
        [Input(64)] [Dense(128, Activation.PReLU)] [Dropout(0.5f)] [Dense(32, Activation.Swish)] [Dense(5, Activation.Sigmoid)]
        public partial class DoubleNet;

        [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, Seed = 3)]
        [Input(512)] [Dense(512, Activation.Tanh)] [Dense(512, Activation.ELU)] [Dense(4)]
        public partial class WideNet;
        """;

    private static readonly Lazy<LoadedCases> s_loaded = new(() => CaseCompiler.CompileAndLoad(Source));

    /// <summary>Trains a fresh instance for a few steps (dropout active) and returns its parameters and optimizer state as raw bits.</summary>
    private static ulong[] Train<T>(string type, int batch, int steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = (INetwork<T>)s_loaded.Value.Create("TrustDeterminism." + type);
        var r = new Random(99);
        var x = Enumerable.Range(0, batch * net.InputSize).Select(_ => T.CreateTruncating(r.NextDouble() * 4 - 2)).ToArray();
        var t = new T[batch * net.OutputSize];
        for (int b = 0; b < batch; b++) t[b * net.OutputSize + r.Next(net.OutputSize)] = T.One;
        for (int s = 0; s < steps; s++) net.TrainStep(x, t, batch);
        return Bits(net.Parameters).Concat(Bits(net.OptimizerState)).Append(net.RandomState).ToArray();
    }

    private static ulong[] Bits<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => values.ToArray().Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateTruncating(v)) : BitConverter.DoubleToUInt64Bits(double.CreateTruncating(v))).ToArray();

    private static void AssertSameBits(ulong[] a, ulong[] b, string what)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i]) Assert.Fail($"{what}: value {i} of {a.Length} differs in its bits ({a[i]:X} vs {b[i]:X})");
    }

    [Fact]
    public void Training_twice_gives_identical_bits()
    {
        AssertSameBits(Train<float>("FloatNet", 16, 5), Train<float>("FloatNet", 16, 5), "FloatNet");
        AssertSameBits(Train<double>("DoubleNet", 16, 5), Train<double>("DoubleNet", 16, 5), "DoubleNet");
        AssertSameBits(Train<float>("WideNet", 64, 2), Train<float>("WideNet", 64, 2), "WideNet");
    }

    [Fact]
    public void Seeded_constructor_and_InitializeParameters_agree()
    {
        Type type = s_loaded.Value.Type("TrustDeterminism.FloatNet")!;
        var a = (INetwork<float>)Activator.CreateInstance(type, 123)!;
        var b = (INetwork<float>)Activator.CreateInstance(type)!;
        b.InitializeParameters(123);
        AssertSameBits(Bits(a.Parameters), Bits(b.Parameters), "Net(123) vs InitializeParameters(123)");
        var c = (INetwork<float>)Activator.CreateInstance(type)!;
        var d = (INetwork<float>)Activator.CreateInstance(type, 7)!;
        AssertSameBits(Bits(c.Parameters), Bits(d.Parameters), "Net() vs Net(Seed = 7)");
        Assert.NotEqual(Bits(a.Parameters), Bits(c.Parameters));
    }

    [Fact]
    public void Restoring_RandomState_replays_dropout()
    {
        var net = (INetwork<float>)s_loaded.Value.Create("TrustDeterminism.FloatNet");
        var r = new Random(5);
        var x = Enumerable.Range(0, 8 * net.InputSize).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var t = new float[8 * net.OutputSize];
        for (int b = 0; b < 8; b++) t[b * net.OutputSize + b % net.OutputSize] = 1;
        ulong state = net.RandomState;
        float[] p = net.Parameters.ToArray();
        net.ComputeGradients(x, t, 8);
        ulong[] first = Bits(net.Gradients.ToArray().AsSpan());
        net.RandomState = state;
        p.CopyTo(net.Parameters);
        net.ComputeGradients(x, t, 8);
        AssertSameBits(first, Bits(net.Gradients.ToArray().AsSpan()), "gradients after restoring RandomState");
    }

    [Fact]
    public void One_and_two_kernel_threads_give_identical_bits()
    {
        PropertyInfo? maxThreads = typeof(INetwork<>).Assembly.GetType("NetGen.Numerics.Parallelism")?.GetProperty("MaxThreads", BindingFlags.Public | BindingFlags.Static);
        if (maxThreads is null)
        {
            output.WriteLine("NetGen.Numerics.Parallelism.MaxThreads does not exist: nothing to compare.");
            return;
        }
        PropertyInfo? minimumWork = maxThreads.DeclaringType!.GetProperty("MinimumParallelWork", BindingFlags.Public | BindingFlags.Static);
        object original = maxThreads.GetValue(null)!;
        object? originalWork = minimumWork?.GetValue(null);
        try
        {
            // Make every product parallel where the setting allows it, so that 2 threads really split work.
            minimumWork?.SetValue(null, 1L);
            maxThreads.SetValue(null, 1);
            ulong[] f1 = Train<float>("WideNet", 64, 3), d1 = Train<double>("DoubleNet", 32, 3), g1 = Train<float>("FloatNet", 32, 3);
            maxThreads.SetValue(null, 2);
            ulong[] f2 = Train<float>("WideNet", 64, 3), d2 = Train<double>("DoubleNet", 32, 3), g2 = Train<float>("FloatNet", 32, 3);
            AssertSameBits(f1, f2, "WideNet, MaxThreads 1 vs 2");
            AssertSameBits(d1, d2, "DoubleNet, MaxThreads 1 vs 2");
            AssertSameBits(g1, g2, "FloatNet, MaxThreads 1 vs 2");
        }
        finally
        {
            maxThreads.SetValue(null, original);
            if (originalWork is not null) minimumWork!.SetValue(null, originalWork);
        }
    }
}

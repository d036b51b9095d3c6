using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>Step and ResetState, as the generated networks over sequences have them.</summary>
public interface ISteppable
{
    void ResetState();
    void Step(ReadOnlySpan<double> input, Span<double> output);
}

/// <summary>
/// SimpleRnn, Lstm and Gru through whole generated networks: finite differences in double (parameters and
/// inputs; ReturnSequences both ways, two stacked layers, 1 and 13 steps, hidden 1, 3 and 17, batches 1 and 5,
/// a per-step Dense), Predict against a hand computation from the named tensors, Step against Predict
/// on every prefix, allocation, Summary and the tensors' names, shapes and initialisation.
/// </summary>
public class RecurrentTests
{
    private static void Gradients<TNet>(int batch, int seed) where TNet : INetwork<double>, IComposable, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        double[] x = GradientCheck.Random(batch * net.InputSize, seed + 100);
        double[] t = GradientCheck.Targets(batch, net.OutputSize, Loss.MeanSquaredError, seed + 200);
        GradientCheck.Parameters(net, x, t, batch);
        GradientCheck.ThroughBackward(net, x, batch, seed + 300);
    }

    private static void AllShapes<TLast, TSeq, TStack, TDeep>(int batch)
        where TLast : INetwork<double>, IComposable, new() where TSeq : INetwork<double>, IComposable, new()
        where TStack : INetwork<double>, IComposable, new() where TDeep : INetwork<double>, IComposable, new()
    {
        Gradients<TLast>(batch, 1);
        Gradients<TSeq>(batch, 2);
        Gradients<TStack>(batch, 3);
        Gradients<TDeep>(batch, 4);
    }

    [Theory, InlineData(1), InlineData(5)]
    public void SimpleRnnGradients(int batch) => AllShapes<GcSimpleRnnLast, GcSimpleRnnSeq, GcSimpleRnnStack, GcSimpleRnnDeep>(batch);

    [Theory, InlineData(1), InlineData(5)]
    public void LstmGradients(int batch) => AllShapes<GcLstmLast, GcLstmSeq, GcLstmStack, GcLstmDeep>(batch);

    [Theory, InlineData(1), InlineData(5)]
    public void GruGradients(int batch) => AllShapes<GcGruLast, GcGruSeq, GcGruStack, GcGruDeep>(batch);

    /// <summary>
    /// Steps <typeparamref name="TNet"/> through a sequence and compares every step's output with the row of
    /// <typeparamref name="TSteps"/>'s Predict (same parameters, every step returned); twice, with ResetState between.
    /// </summary>
    private static void StepMatchesEveryPrefix<TNet, TSteps>(int features, int seed)
        where TNet : INetwork<double>, ISteppable, new() where TSteps : INetwork<double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        var twin = new TSteps();
        Assert.Equal(net.ParameterCount, twin.ParameterCount);
        net.Parameters.CopyTo(twin.Parameters);
        int time = twin.InputSize / features, perStep = twin.OutputSize / time;
        double[] x = GradientCheck.Random(twin.InputSize, seed + 1);
        double[] all = new double[twin.OutputSize];
        twin.Predict(x, all);

        double[] output = new double[perStep];
        for (int pass = 0; pass < 2; pass++)
        {
            net.ResetState();
            for (int k = 0; k < time; k++)
            {
                net.Step(x.AsSpan(k * features, features), output);
                for (int o = 0; o < perStep; o++)
                    Assert.True(Math.Abs(all[k * perStep + o] - output[o]) <= 1e-12, $"{typeof(TNet).Name} step {k} output {o}: Predict {all[k * perStep + o]:R}, Step {output[o]:R}");
            }
        }

        // A network over its own timeSteps: Predict equals the Step at that step.
        int ownTime = net.InputSize / features;
        if (ownTime > time) return;
        double[] own = new double[net.OutputSize];
        net.Predict(x.AsSpan(0, net.InputSize), own);
        net.ResetState();
        for (int k = 0; k < ownTime; k++) net.Step(x.AsSpan(k * features, features), output);
        Assert.Equal(own.AsSpan(own.Length - perStep).ToArray(), output, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void SimpleRnnStepEqualsPredict()
    {
        StepMatchesEveryPrefix<GcSimpleRnnLast, GcSimpleRnnLastSteps>(3, 5);
        StepMatchesEveryPrefix<GcSimpleRnnLast, GcSimpleRnnLongSteps>(3, 6);
        StepMatchesEveryPrefix<GcSimpleRnnSeq, GcSimpleRnnSeq>(3, 7);
        StepMatchesEveryPrefix<GcSimpleRnnStack, GcSimpleRnnStackSteps>(1, 8);
        StepMatchesEveryPrefix<GcSimpleRnnDeep, GcSimpleRnnDeep>(3, 9);
    }

    [Fact]
    public void LstmStepEqualsPredict()
    {
        StepMatchesEveryPrefix<GcLstmLast, GcLstmLastSteps>(3, 5);
        StepMatchesEveryPrefix<GcLstmLast, GcLstmLongSteps>(3, 6);
        StepMatchesEveryPrefix<GcLstmSeq, GcLstmSeq>(3, 7);
        StepMatchesEveryPrefix<GcLstmStack, GcLstmStackSteps>(1, 8);
        StepMatchesEveryPrefix<GcLstmDeep, GcLstmDeep>(3, 9);
    }

    [Fact]
    public void GruStepEqualsPredict()
    {
        StepMatchesEveryPrefix<GcGruLast, GcGruLastSteps>(3, 5);
        StepMatchesEveryPrefix<GcGruLast, GcGruLongSteps>(3, 6);
        StepMatchesEveryPrefix<GcGruSeq, GcGruSeq>(3, 7);
        StepMatchesEveryPrefix<GcGruStack, GcGruStackSteps>(1, 8);
        StepMatchesEveryPrefix<GcGruDeep, GcGruDeep>(3, 9);
    }

    [Fact]
    public void PerStepLayersStepWithoutRecurrentLayers() => StepMatchesEveryPrefix<GcPerStepOnly, GcPerStepOnly>(3, 10);

    [Fact]
    public void StepChecksSizesAndIsOmittedWhereTheWholeSequenceIsNeeded()
    {
        var net = new GcLstmLast();
        Assert.Equal(3, GcLstmLast.StepInputSize);
        Assert.Equal(2, GcLstmLast.StepOutputSize);
        var e = Assert.Throws<ArgumentException>(() => net.Step(new double[4], new double[2]));
        Assert.Contains("Expected 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => net.Step(new double[3], new double[26]));
        Assert.Contains("Expected 2", e.Message);
        Assert.Null(typeof(RecurrentFlattened).GetMethod("Step"));
        Assert.Null(typeof(RecurrentFlattened).GetMethod("ResetState"));
        Assert.NotNull(typeof(RecurrentStack).GetMethod("Step"));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStepAndStepAllocateNothing()
    {
        var net = new RecurrentStack();
        const int batch = 5;
        float[] x = new float[batch * RecurrentStack.InputSize], t = new float[batch * RecurrentStack.OutputSize], y = new float[t.Length];
        var rng = new Random(3);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * rng.NextDouble() - 1);
        for (int i = 0; i < t.Length; i++) t[i] = (float)(2 * rng.NextDouble() - 1);
        float[] step = new float[RecurrentStack.StepOutputSize];
        float first = net.TrainStep(x, t, batch);
        net.Step(x.AsSpan(0, RecurrentStack.StepInputSize), step);
        net.Predict(x, y, batch); // the first Predict takes its pooled scratch

        long before = GC.GetAllocatedBytesForCurrentThread();
        float last = 0;
        for (int i = 0; i < 200; i++) last = net.TrainStep(x, t, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(last < first, $"the loss fell from {first} to {last}");

        before = GC.GetAllocatedBytesForCurrentThread();
        net.ResetState();
        for (int i = 0; i < 5000; i++) net.Step(x.AsSpan(i % 13 * 3, 3), step);
        net.Predict(x, y, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(step, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void SummaryNamesShapesAndInitialisation()
    {
        string summary = RecurrentStack.Summary;
        Assert.Contains("layers.0 (SimpleRnn)", summary);
        Assert.Contains("lstm (Lstm)", summary);
        Assert.Contains("layers.3 (Gru)", summary);
        Assert.Contains("(None, 13, 7)", summary);
        Assert.Contains("(None, 13, 17)", summary);
        Assert.Contains("(None, 5)", summary);
        // PyTorch's names and shapes: [G·H, in], [G·H, H], [G·H], [G·H] with G = 1, 4, 3.
        (string Name, int[] Shape)[] expected =
        {
            ("layers.0.weight_ih_l0", new[] { 7, 3 }), ("layers.0.weight_hh_l0", new[] { 7, 7 }), ("layers.0.bias_ih_l0", new[] { 7 }), ("layers.0.bias_hh_l0", new[] { 7 }),
            ("lstm.weight_ih_l0", new[] { 68, 7 }), ("lstm.weight_hh_l0", new[] { 68, 17 }), ("lstm.bias_ih_l0", new[] { 68 }), ("lstm.bias_hh_l0", new[] { 68 }),
            ("layers.3.weight_ih_l0", new[] { 15, 17 }), ("layers.3.weight_hh_l0", new[] { 15, 5 }), ("layers.3.bias_ih_l0", new[] { 15 }), ("layers.3.bias_hh_l0", new[] { 15 }),
            ("layers.4.weight", new[] { 2, 5 }), ("layers.4.bias", new[] { 2 }),
        };
        Assert.Equal(expected.Select(e => e.Name), RecurrentStack.ParameterTensors.Select(p => p.Name));
        Assert.All(expected, e => Assert.Equal(e.Shape, RecurrentStack.ParameterTensors.Single(p => p.Name == e.Name).Shape));
        Assert.Equal(RecurrentStack.ParameterCount, expected.Sum(e => e.Shape.Aggregate(1, (a, b) => a * b)));

        // U(−1/√H, 1/√H) for all four tensors, as PyTorch (biases too, unlike Dense).
        var net = new RecurrentStack();
        foreach ((string prefix, int hidden) in new[] { ("layers.0", 7), ("lstm", 17), ("layers.3", 5) })
            foreach (ParameterTensor p in RecurrentStack.ParameterTensors.Where(p => p.Name.StartsWith(prefix + ".", StringComparison.Ordinal)))
            {
                float[] values = net.Parameters.Slice(p.Offset, p.Shape.Aggregate(1, (a, b) => a * b)).ToArray();
                double bound = 1 / Math.Sqrt(hidden);
                Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, bound));
                Assert.True(values.Max(Math.Abs) > bound / 2, $"{p.Name} spans the range");
            }
    }

    private sealed class ToleranceComparer(double tolerance) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }
}

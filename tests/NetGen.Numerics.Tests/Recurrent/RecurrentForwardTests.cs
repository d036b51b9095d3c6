using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>Forward values against the scalar reference, Step against Forward, float against double, bad sizes.</summary>
public class RecurrentForwardTests
{
    public static IEnumerable<object[]> Cases() => RecurrentGradientTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_the_scalar_reference_from_PyTorch_equations(RecurrentKind kind, int batch, int time, int hidden, bool sequences)
    {
        const int inputs = 4;
        var layer = new RecurrentHarness<double>(kind, batch, time, inputs, hidden, sequences, seed: hidden);
        double[] x = TestData.Random<double>(batch * time * inputs, 1, 2.0);
        double[] all = RecurrentReference.Forward(kind, x, layer.WeightIh, layer.WeightHh, layer.BiasIh, layer.BiasHh, batch, time, inputs, hidden);
        double[] expected = RecurrentReference.Output(all, batch, time, hidden, sequences);
        // Run twice: the second call must not see the first call's state.
        layer.Forward(x);
        double[] y = layer.Forward(x);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-13, $"{kind} y[{i}]: {y[i]:R} vs {expected[i]:R}");
        // The running state holds h_{T−1} of every sample.
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < hidden; j++)
                Assert.True(Math.Abs(layer.State[b * hidden + j] - all[(b * time + time - 1) * hidden + j]) <= 1e-13);
    }

    [Theory]
    [InlineData(RecurrentKind.SimpleRnn, 1, 1)]
    [InlineData(RecurrentKind.SimpleRnn, 5, 17)]
    [InlineData(RecurrentKind.Lstm, 1, 1)]
    [InlineData(RecurrentKind.Lstm, 5, 17)]
    [InlineData(RecurrentKind.Lstm, 3, 64)]
    [InlineData(RecurrentKind.Gru, 1, 1)]
    [InlineData(RecurrentKind.Gru, 5, 17)]
    [InlineData(RecurrentKind.Gru, 3, 64)]
    public void Step_over_a_sequence_equals_the_full_forward(RecurrentKind kind, int batch, int hidden)
    {
        Step_equals_forward<double>(kind, batch, hidden, 1e-14);
        Step_equals_forward<float>(kind, batch, hidden, 1e-6);
    }

    private static void Step_equals_forward<T>(RecurrentKind kind, int batch, int hidden, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int time = 13, inputs = 5;
        var layer = new RecurrentHarness<T>(kind, batch, time, inputs, hidden, true, seed: 4);
        T[] x = TestData.Random<T>(batch * time * inputs, 2, 2.0);
        T[] y = layer.Forward(x);
        T[] state = new T[batch * hidden], cell = new T[batch * hidden], scratch = new T[2 * batch * layer.Gates * hidden], xt = new T[batch * inputs];
        for (int t = 0; t < time; t++)
        {
            // x[:, t, :] as one contiguous [batch, inputs] step.
            for (int b = 0; b < batch; b++) Array.Copy(x, (b * time + t) * inputs, xt, b * inputs, inputs);
            layer.Step(xt, state, cell, scratch);
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < hidden; j++)
                {
                    double s = double.CreateTruncating(state[b * hidden + j]), f = double.CreateTruncating(y[(b * time + t) * hidden + j]);
                    Assert.True(Math.Abs(s - f) <= tolerance, $"{kind} {typeof(T).Name} step {t} b {b} j {j}: {s:R} vs {f:R}");
                }
        }
    }

    [Theory]
    [InlineData(RecurrentKind.SimpleRnn)]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    public void Float_kernels_agree_with_double(RecurrentKind kind)
    {
        const int batch = 5, time = 13, inputs = 7, hidden = 17;
        foreach (bool sequences in new[] { false, true })
        {
            var d = new RecurrentHarness<double>(kind, batch, time, inputs, hidden, sequences, seed: 9);
            var f = new RecurrentHarness<float>(kind, batch, time, inputs, hidden, sequences, seed: 0);
            f.CopyParametersFrom(d);
            double[] xd = TestData.Random<double>(batch * time * inputs, 3);
            float[] xf = Array.ConvertAll(xd, v => (float)v);
            double[] rd = TestData.Random<double>(d.Y.Length, 4);
            float[] rf = Array.ConvertAll(rd, v => (float)v);
            d.Forward(xd); f.Forward(xf);
            d.Backward(xd, rd); f.Backward(xf, rf);
            Close(f.Y, d.Y, 1e-5, "y");
            for (int k = 0; k < 4; k++) Close(f.ParameterGradients[k], d.ParameterGradients[k], 2e-4, RecurrentHarness<double>.ParameterNames[k]);
            Close(f.Dx, d.Dx, 2e-4, "dx");
        }
    }

    /// <summary>|float − double| ≤ tolerance·(1 + max |double|) element-wise.</summary>
    private static void Close(float[] f, double[] d, double tolerance, string what)
    {
        double scale = 1;
        foreach (double v in d) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < d.Length; i++) Assert.True(Math.Abs(f[i] - d[i]) <= tolerance * scale, $"{what}[{i}]: {f[i]:R} vs {d[i]:R}");
    }

    [Fact]
    public void Short_spans_and_bad_sizes_throw_naming_the_span()
    {
        var layer = new RecurrentHarness<double>(RecurrentKind.Lstm, 2, 3, 4, 5, true, seed: 1);
        double[] x = new double[2 * 3 * 4];
        var e = Assert.Throws<ArgumentException>(() => Lstm.Forward<double>(x, layer.WeightIh, layer.WeightHh, layer.BiasIh, layer.BiasHh,
            layer.Y, new double[10], layer.ExtraCache, layer.PreviousStates, layer.State, layer.StepProducts, 2, 3, 4, 5, true));
        Assert.Equal("gates", e.ParamName);
        Assert.Contains("120", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gru.Forward<double>(x, new double[3], layer.WeightHh, layer.BiasIh, layer.BiasHh,
            layer.Y, layer.GateCache, layer.ExtraCache, layer.PreviousStates, layer.State, layer.StepProducts, 2, 3, 4, 5, true));
        Assert.Equal("weightIh", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => SimpleRnn.Step<double>(new double[3], new double[20], new double[25], new double[5], new double[5], new double[10], new double[20], 2, 4, 5));
        Assert.Equal("x", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SimpleRnn.Forward<double>(x, layer.WeightIh, layer.WeightHh, layer.BiasIh, layer.BiasHh,
            layer.Y, layer.GateCache, layer.PreviousStates, layer.State, layer.StepProducts, 2, 0, 4, 5, true));
    }
}

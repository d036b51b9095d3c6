using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>
/// Backpropagation through time against central finite differences in double, for the loss
/// L = Σ y ⊙ R (R fixed random, so ∂L/∂y = R): the gradients of all four tensors and of the input.
/// </summary>
public class RecurrentGradientTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (RecurrentKind kind in Enum.GetValues<RecurrentKind>())
            foreach (int hidden in new[] { 1, 3, 17 })
                foreach (int time in new[] { 1, 13 })
                    foreach (int batch in new[] { 1, 5 })
                        foreach (bool sequences in new[] { false, true })
                            yield return [kind, batch, time, hidden, sequences];
    }

    private const double Step = 1e-6;

    /// <summary>|analytic − numeric| ≤ 1e-7 + 1e-6·|numeric| (central differences: O(h²) + roundoff/h).</summary>
    private static void AssertNear(double analytic, double numeric, string what)
        => Assert.True(Math.Abs(analytic - numeric) <= 1e-7 + 1e-6 * Math.Abs(numeric), $"{what}: analytic {analytic:R}, numeric {numeric:R}");

    /// <summary>Every index of short tensors; about 60 spread over long ones (always the first and the last).</summary>
    internal static IEnumerable<int> Probes(int length)
    {
        int stride = Math.Max(1, length / 60);
        for (int i = 0; i < length; i += stride) yield return i;
        if ((length - 1) % stride != 0) yield return length - 1;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>∂L/∂v[i] numerically, L evaluated by <paramref name="loss"/> with v[i] nudged both ways.</summary>
    private static double Numeric(double[] v, int i, Func<double> loss)
    {
        double keep = v[i];
        v[i] = keep + Step; double up = loss();
        v[i] = keep - Step; double down = loss();
        v[i] = keep;
        return (up - down) / (2 * Step);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_of_all_tensors_and_the_input_match_finite_differences(RecurrentKind kind, int batch, int time, int hidden, bool sequences)
    {
        const int inputs = 3;
        var layer = new RecurrentHarness<double>(kind, batch, time, inputs, hidden, sequences, seed: 11 + hidden);
        double[] x = TestData.Random<double>(batch * time * inputs, 5, 1.5);
        double[] r = TestData.Random<double>(layer.Y.Length, 6);
        double Loss() => Dot(layer.Forward(x), r);

        layer.Forward(x);
        layer.Backward(x, r);
        double[][] grads = [.. layer.ParameterGradients, layer.Dx];
        double[][] values = [.. layer.Parameters, x];
        // Copies: a later forward pass never touches the gradients, but be explicit about what was computed.
        for (int k = 0; k < grads.Length; k++) grads[k] = (double[])grads[k].Clone();
        string[] names = [.. RecurrentHarness<double>.ParameterNames, "x"];
        for (int k = 0; k < values.Length; k++)
            foreach (int i in Probes(values[k].Length))
                AssertNear(grads[k][i], Numeric(values[k], i, Loss), $"{kind} {names[k]}[{i}]");
    }

    public static IEnumerable<object[]> StackCases()
    {
        foreach (RecurrentKind kind in Enum.GetValues<RecurrentKind>())
            foreach (int time in new[] { 1, 13 })
                foreach (bool sequences in new[] { false, true })
                    yield return [kind, time, sequences];
    }

    [Theory]
    [MemberData(nameof(StackCases))]
    public void Two_stacked_layers_chained_by_hand_match_finite_differences(RecurrentKind kind, int time, bool sequences)
    {
        const int batch = 5, inputs = 3;
        // Layer 1 returns its whole sequence (3 units), layer 2 (17 units) returns either.
        var first = new RecurrentHarness<double>(kind, batch, time, inputs, 3, returnSequences: true, seed: 21);
        var second = new RecurrentHarness<double>(kind, batch, time, 3, 17, sequences, seed: 22);
        double[] x = TestData.Random<double>(batch * time * inputs, 7, 1.5);
        double[] r = TestData.Random<double>(second.Y.Length, 8);
        double Loss() => Dot(second.Forward(first.Forward(x)), r);

        double[] h1 = (double[])first.Forward(x).Clone();
        second.Forward(h1);
        second.Backward(h1, r);
        first.Backward(x, second.Dx);
        double[][] grads = [.. first.ParameterGradients, .. second.ParameterGradients, first.Dx];
        for (int k = 0; k < grads.Length; k++) grads[k] = (double[])grads[k].Clone();
        double[][] values = [.. first.Parameters, .. second.Parameters, x];
        for (int k = 0; k < values.Length; k++)
            foreach (int i in Probes(values[k].Length))
                AssertNear(grads[k][i], Numeric(values[k], i, Loss), $"{kind} stacked tensor {k} [{i}]");
    }

    [Theory]
    [InlineData(RecurrentKind.SimpleRnn)]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    public void Backward_without_an_input_gradient_gives_the_same_weight_gradients(RecurrentKind kind)
    {
        var layer = new RecurrentHarness<double>(kind, 5, 13, 3, 17, true, seed: 3);
        double[] x = TestData.Random<double>(5 * 13 * 3, 9), r = TestData.Random<double>(layer.Y.Length, 10);
        layer.Forward(x);
        layer.Backward(x, r);
        double[][] with = Array.ConvertAll(layer.ParameterGradients, g => (double[])g.Clone());
        Array.Fill(layer.Dx, 42.0);
        layer.Backward(x, r, withInputGradient: false);
        for (int k = 0; k < with.Length; k++) Assert.Equal(with[k], layer.ParameterGradients[k]);
        Assert.All(layer.Dx, v => Assert.Equal(42.0, v));
    }
}

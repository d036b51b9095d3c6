using System;
using System.Linq;
using NetGen.Gan;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>The GAN step's losses from logits: values against the formulas, gradients against central differences, stability.</summary>
public class GanLossTests
{
    private static readonly double[] Logits = { -3.5, -0.7, 0, 0.2, 1.9, 6.0, -12.0 };

    private static double Softplus(double z) => Math.Log(1 + Math.Exp(z));

    [Fact]
    public void Losses_follow_the_formulas()
    {
        // Real (label 1) and the generator's non-saturating loss: −log σ(z) = softplus(−z); fake (label 0): −log(1 − σ(z)) = softplus(z).
        double real = 0, fake = 0;
        foreach (double z in Logits)
        {
            real += Softplus(-z);
            fake += Softplus(z);
        }
        Assert.Equal(real / Logits.Length, GanLoss.RealLoss<double>(Logits), 1e-12);
        Assert.Equal(real / Logits.Length, GanLoss.GeneratorLoss<double>(Logits), 1e-12);
        Assert.Equal(fake / Logits.Length, GanLoss.FakeLoss<double>(Logits), 1e-12);
        Assert.Equal(Math.Log(2), GanLoss.RealLoss<double>(new[] { 0.0 }), 1e-15);
        // A smoothed label t: softplus(z) − t·z.
        Assert.Equal(Softplus(1.5) - 0.9 * 1.5, GanLoss.BinaryCrossEntropyWithLogits(new[] { 1.5 }, 0.9), 1e-12);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        foreach ((Func<double[], double> loss, Action<double[], double[]> gradient, string name) in new (Func<double[], double>, Action<double[], double[]>, string)[]
        {
            (z => GanLoss.RealLoss<double>(z), (z, d) => GanLoss.RealLossGradient<double>(z, d), "real"),
            (z => GanLoss.FakeLoss<double>(z), (z, d) => GanLoss.FakeLossGradient<double>(z, d), "fake"),
            (z => GanLoss.GeneratorLoss<double>(z), (z, d) => GanLoss.GeneratorLossGradient<double>(z, d), "generator"),
            (z => GanLoss.BinaryCrossEntropyWithLogits<double>(z, 0.9), (z, d) => GanLoss.BinaryCrossEntropyWithLogitsGradient<double>(z, 0.9, d), "smoothed"),
        })
            MatchesCentralDifferences(loss, gradient, Logits, name);
    }

    /// <summary>Each dL/dz[i] of <paramref name="gradient"/> against (L(z + h·eᵢ) − L(z − h·eᵢ))/2h; returns the gradient.</summary>
    private static double[] MatchesCentralDifferences(Func<double[], double> loss, Action<double[], double[]> gradient, double[] logits, string name)
    {
        const double step = 1e-6;
        double[] z = (double[])logits.Clone();
        var d = new double[z.Length];
        gradient(z, d);
        for (int i = 0; i < z.Length; i++)
        {
            double saved = z[i];
            z[i] = saved + step;
            double plus = loss(z);
            z[i] = saved - step;
            double minus = loss(z);
            z[i] = saved;
            BatchNormTests.Close(d[i], (plus - minus) / (2 * step), $"{name} d/dz[{i}]");
        }
        return d;
    }

    [Fact]
    public void Hinge_losses_follow_the_formulas_and_their_gradients_match_finite_differences()
    {
        // Logits on both sides of both kinks (z = 1 for real, z = −1 for fake), none on a kink.
        double[] z = { -3.5, -1.2, -0.7, 0, 0.2, 0.95, 1.9, 6.0 };
        double real = 0, fake = 0, generator = 0;
        foreach (double v in z)
        {
            real += Math.Max(0, 1 - v);
            fake += Math.Max(0, 1 + v);
            generator -= v;
        }
        Assert.Equal(real / z.Length, GanLoss.HingeRealLoss<double>(z), 1e-12);
        Assert.Equal(fake / z.Length, GanLoss.HingeFakeLoss<double>(z), 1e-12);
        Assert.Equal(generator / z.Length, GanLoss.HingeGeneratorLoss<double>(z), 1e-12);
        foreach ((Func<double[], double> loss, Action<double[], double[]> gradient, string name) in new (Func<double[], double>, Action<double[], double[]>, string)[]
        {
            (v => GanLoss.HingeRealLoss<double>(v), (v, d) => GanLoss.HingeRealLossGradient<double>(v, d), "hinge real"),
            (v => GanLoss.HingeFakeLoss<double>(v), (v, d) => GanLoss.HingeFakeLossGradient<double>(v, d), "hinge fake"),
            (v => GanLoss.HingeGeneratorLoss<double>(v), (v, d) => GanLoss.HingeGeneratorLossGradient<double>(v, d), "hinge generator"),
        })
        {
            double[] d = MatchesCentralDifferences(loss, gradient, z, name);
            // Past the margin the hinge is flat: the real and fake losses each have logits there.
            int zeros = d.Count(g => g == 0);
            if (name != "hinge generator") Assert.True(zeros >= 2, $"{name}: only {zeros} logits past the margin");
        }
        Assert.Throws<ArgumentException>(() => GanLoss.HingeRealLoss<double>(ReadOnlySpan<double>.Empty));
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => GanLoss.HingeGeneratorLossGradient<double>(new double[3], new double[2])).ParamName);
    }

    [Fact]
    public void Extreme_logits_stay_finite()
    {
        float[] z = { -1000f, 1000f, -90f, 90f };
        Assert.Equal(1000f / 4 + 90f / 4, GanLoss.RealLoss<float>(z), 1e-3f);
        var d = new float[4];
        GanLoss.GeneratorLossGradient<float>(z, d);
        // (σ(z) − 1)/4: −1/4 for very negative logits, 0 for very positive ones.
        float[] expected = { -0.25f, 0f, -0.25f, 0f };
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], d[i], 1e-7f);
        GanLoss.FakeLossGradient<float>(z, d);
        expected = new[] { 0f, 0.25f, 0f, 0.25f };
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], d[i], 1e-7f);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GanLoss.RealLoss<double>(ReadOnlySpan<double>.Empty));
        var e = Assert.Throws<ArgumentException>(() => GanLoss.GeneratorLossGradient<double>(new double[3], new double[2]));
        Assert.Equal("gradient", e.ParamName);
    }
}

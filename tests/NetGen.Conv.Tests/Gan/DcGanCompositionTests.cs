using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Conv.Tests.Networks;
using NetGen.Gan;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// examples/DcGan's composition on a tiny convolutional GAN with odd sizes (latent 3, images 1×9×9, batches
/// 1, 3, 17): the generator's gradient taken through the discriminator's input gradient, the discriminator's
/// accumulated real + fake gradient, both against central differences in double; the same gradient as one
/// network; the discriminator untouched by a generator step; no allocation per GAN step.
/// </summary>
public class DcGanCompositionTests
{
    private const int N3 = TinyDcGenerator.InputSize, Image = TinyDcDiscriminator.InputSize;

    /// <summary>Parameters moved off their initial values (zero biases, unit BatchNorm weights), so every term matters.</summary>
    private static (TinyDcGenerator G, TinyDcDiscriminator D) Pair()
    {
        var g = new TinyDcGenerator();
        var d = new TinyDcDiscriminator();
        GradientCheck.Jitter(g, 21);
        GradientCheck.Jitter(d, 22);
        return (g, d);
    }

    /// <summary>L_G = mean softplus(−D(G(z))), G in training mode (the batch's BatchNorm statistics).</summary>
    private static double GeneratorLoss(TinyDcGenerator g, TinyDcDiscriminator d, double[] z, int n)
    {
        double[] fakes = new double[n * Image], logits = new double[n];
        g.Forward(z, fakes, n);
        d.Forward(fakes, logits, n);
        return GanLoss.GeneratorLoss<double>(logits);
    }

    /// <summary>dL_G/dθ_G: D's Backward from dL/dlogits, then G's Backward from D's InputGradients (GanStep's recipe).</summary>
    private static double[] GeneratorGradient(TinyDcGenerator g, TinyDcDiscriminator d, double[] z, int n, out double[] fakeGradient)
    {
        double[] fakes = new double[n * Image], logits = new double[n], dLogits = new double[n];
        g.Forward(z, fakes, n);
        d.Forward(fakes, logits, n);
        GanLoss.GeneratorLossGradient<double>(logits, dLogits);
        d.Backward(dLogits, n, accumulate: false);
        fakeGradient = d.InputGradients.ToArray();
        g.Backward(d.InputGradients, n, accumulate: false);
        return g.Gradients.ToArray();
    }

    private static void AssertClose(double numeric, double analytic, string what)
    {
        if (!(Math.Abs(analytic - numeric) <= GradientCheck.AbsoluteTolerance + GradientCheck.RelativeTolerance * Math.Abs(numeric)))
            Assert.Fail($"{what}: analytic {analytic:R}, numeric {numeric:R}");
    }

    private static string TensorOf(INetwork<double> net, int index)
    {
        foreach (ParameterTensor t in net.ParameterTensors)
            if (index >= t.Offset && index < t.Offset + t.Length) return $"{t.Name}[{index - t.Offset}]";
        return "?";
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void TheGeneratorGradientThroughTheDiscriminatorMatchesFiniteDifferences(int n)
    {
        (TinyDcGenerator g, TinyDcDiscriminator d) = Pair();
        double[] z = Reference.Random(n * N3, 23);
        double[] analytic = GeneratorGradient(g, d, z, n, out _);
        Assert.Equal(TinyDcGenerator.ParameterCount, analytic.Length);
        Assert.True(analytic.Count(v => v != 0) > analytic.Length / 2, "most of the generator's gradient is zero");
        Span<double> p = g.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            // Central difference of L_G(θ_G) with θ_D fixed.
            double saved = p[i];
            p[i] = saved + GradientCheck.Step;
            double plus = GeneratorLoss(g, d, z, n);
            p[i] = saved - GradientCheck.Step;
            double minus = GeneratorLoss(g, d, z, n);
            p[i] = saved;
            AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"batch {n}, generator {TensorOf(g, i)}");
        }
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void TheDiscriminatorsInputGradientIsTheGradientOfTheGeneratorLossInTheFakes(int n)
    {
        (TinyDcGenerator g, TinyDcDiscriminator d) = Pair();
        double[] z = Reference.Random(n * N3, 24);
        GeneratorGradient(g, d, z, n, out double[] analytic);
        double[] fakes = new double[n * Image], logits = new double[n];
        g.Predict(z, fakes, n);
        // L(x) = mean softplus(−D(x)) at fixed fakes x, perturbed one pixel at a time.
        double Loss(double[] x)
        {
            d.Forward(x, logits, n);
            return GanLoss.GeneratorLoss<double>(logits);
        }
        d.Forward(fakes, logits, n);
        double[] dLogits = new double[n];
        GanLoss.GeneratorLossGradient<double>(logits, dLogits);
        d.Backward(dLogits, n, accumulate: false);
        analytic = d.InputGradients.ToArray();
        Assert.Contains(analytic, v => v != 0);
        for (int i = 0; i < fakes.Length; i++)
        {
            double saved = fakes[i];
            fakes[i] = saved + GradientCheck.Step;
            double plus = Loss(fakes);
            fakes[i] = saved - GradientCheck.Step;
            double minus = Loss(fakes);
            fakes[i] = saved;
            AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"batch {n}, pixel {i}");
        }
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void TheDiscriminatorsAccumulatedRealAndFakeGradientMatchesFiniteDifferences(int n)
    {
        (_, TinyDcDiscriminator d) = Pair();
        double[] real = Reference.Random(n * Image, 25), fakes = Reference.Random(n * Image, 26, 0.5);
        double[] logits = new double[n], dLogits = new double[n];
        // L_D = mean softplus(−D(real)) + mean softplus(D(fakes)): two backward passes, the second accumulated.
        d.Forward(real, logits, n);
        GanLoss.RealLossGradient<double>(logits, dLogits);
        d.Backward(dLogits, n, accumulate: false);
        d.Forward(fakes, logits, n);
        GanLoss.FakeLossGradient<double>(logits, dLogits);
        d.Backward(dLogits, n, accumulate: true);
        double[] analytic = d.Gradients.ToArray();
        Assert.True(analytic.Count(v => v != 0) > analytic.Length / 2, "most of the discriminator's gradient is zero");
        double Loss()
        {
            d.Forward(real, logits, n);
            double loss = GanLoss.RealLoss<double>(logits);
            d.Forward(fakes, logits, n);
            return loss + GanLoss.FakeLoss<double>(logits);
        }
        Span<double> p = d.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + GradientCheck.Step;
            double plus = Loss();
            p[i] = saved - GradientCheck.Step;
            double minus = Loss();
            p[i] = saved;
            AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"batch {n}, discriminator {TensorOf(d, i)}");
        }
    }

    [Theory, InlineData(1), InlineData(3)]
    public void TheComposedGradientEqualsTheOneNetworkGradient(int n)
    {
        (TinyDcGenerator g, TinyDcDiscriminator d) = Pair();
        var whole = new TinyDcGeneratorThenDiscriminator();
        Assert.Equal(TinyDcGenerator.ParameterCount + TinyDcDiscriminator.ParameterCount, TinyDcGeneratorThenDiscriminator.ParameterCount);
        g.Parameters.CopyTo(whole.Parameters);
        d.Parameters.CopyTo(whole.Parameters.Slice(TinyDcGenerator.ParameterCount));
        double[] z = Reference.Random(n * N3, 27);
        double[] composed = GeneratorGradient(g, d, z, n, out _);

        double[] logits = new double[n], dLogits = new double[n];
        whole.Forward(z, logits, n);
        GanLoss.GeneratorLossGradient<double>(logits, dLogits);
        whole.Backward(dLogits, n, accumulate: false);
        double[] wholeGenerator = whole.Gradients.Slice(0, TinyDcGenerator.ParameterCount).ToArray();
        for (int i = 0; i < composed.Length; i++)
            Assert.True(Math.Abs(composed[i] - wholeGenerator[i]) <= 1e-12 * (1 + Math.Abs(wholeGenerator[i])), $"generator {TensorOf(g, i)}: {composed[i]:R} vs {wholeGenerator[i]:R}");
        double[] wholeDiscriminator = whole.Gradients.Slice(TinyDcGenerator.ParameterCount).ToArray(), dGradient = d.Gradients.ToArray();
        for (int i = 0; i < dGradient.Length; i++)
            Assert.True(Math.Abs(dGradient[i] - wholeDiscriminator[i]) <= 1e-12 * (1 + Math.Abs(wholeDiscriminator[i])), $"discriminator {TensorOf(d, i)}");
        // The generator's BatchNorm running statistics moved the same way in both.
        Assert.Equal(g.Buffers.ToArray(), whole.Buffers.ToArray());
    }

    [Fact]
    public void AGeneratorStepLeavesTheConvolutionalDiscriminatorBitIdentical()
    {
        (TinyDcGenerator g, TinyDcDiscriminator d) = Pair();
        var step = new GanStep<TinyDcGenerator, TinyDcDiscriminator, double>(g, d, batchSize: 3, seed: 9);
        double[] real = Reference.Random(3 * Image, 28);
        for (int i = 0; i < 3; i++) step.Run(real);
        double[] parameters = d.Parameters.ToArray(), state = d.OptimizerState.ToArray(), generator = g.Parameters.ToArray();
        long optimizerStep = d.OptimizerStep;
        step.GeneratorStep();
        Assert.True(parameters.AsSpan().SequenceEqual(d.Parameters), "the discriminator's parameters changed");
        Assert.True(state.AsSpan().SequenceEqual(d.OptimizerState), "the discriminator's optimizer state changed");
        Assert.Equal(optimizerStep, d.OptimizerStep);
        Assert.False(generator.AsSpan().SequenceEqual(g.Parameters), "the generator did not move");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void AConvolutionalGanStepWithBatchNormAllocatesNothingAfterTheFirst()
    {
        const int n = 8;
        var g = new TinyDcGeneratorFloat();
        var d = new TinyDcDiscriminatorFloat();
        var step = new GanStep<TinyDcGeneratorFloat, TinyDcDiscriminatorFloat, float>(g, d, n, seed: 1);
        float[] real = new float[n * TinyDcDiscriminatorFloat.InputSize];
        var random = new Random(2);
        for (int i = 0; i < real.Length; i++) real[i] = (float)(2 * random.NextDouble() - 1);
        step.Run(real);
        float[] buffers = g.Buffers.ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) step.Run(real);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        // The steps did run: BatchNorm's running statistics moved.
        Assert.False(buffers.AsSpan().SequenceEqual(g.Buffers));
    }
}

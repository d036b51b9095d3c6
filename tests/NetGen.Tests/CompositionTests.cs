using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Gan;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>ApplyGradients, accumulation, and a generator trained through a discriminator (DESIGN.md §6, composition).</summary>
public class CompositionTests
{
    private static double[] Concat(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => a.ToArray().Concat(b.ToArray()).ToArray();

    [Theory, InlineData(1), InlineData(3)]
    public void TrainStepIsComputeGradientsThenApplyGradientsBitForBit(int batch)
    {
        CheckTrainStep<GcOdd17>(batch, 1);
        CheckTrainStep<GcGenerator>(3, 2);       // Adam and BatchNorm buffers
        CheckTrainStep<GcReshapeConvTranspose>(batch, 3);
    }

    private static void CheckTrainStep<TNet>(int batch, int seed) where TNet : INetwork<double>, new()
    {
        var a = new TNet();
        var b = new TNet();
        double[] x = GradientCheck.Random(batch * a.InputSize, seed);
        double[] t = GradientCheck.Targets(batch, a.OutputSize, Loss.BinaryCrossEntropy, seed + 1);
        for (int step = 0; step < 4; step++)
        {
            double la = a.TrainStep(x, t, batch);
            double lb = b.ComputeGradients(x, t, batch);
            b.ApplyGradients();
            Assert.Equal(la, lb);
        }
        Assert.True(a.Parameters.SequenceEqual(b.Parameters), typeof(TNet).Name + " parameters");
        Assert.True(a.OptimizerState.SequenceEqual(b.OptimizerState), typeof(TNet).Name + " optimizer state");
        Assert.True(a.Buffers.SequenceEqual(b.Buffers), typeof(TNet).Name + " buffers");
        Assert.Equal(4, b.OptimizerStep);
    }

    [Fact]
    public void AccumulatingBackwardAddsIntoTheGradients()
    {
        var net = new GcOdd17();
        int n = 3;
        double[] x1 = GradientCheck.Random(n * GcOdd17.InputSize, 1), x2 = GradientCheck.Random(n * GcOdd17.InputSize, 2);
        double[] g1 = GradientCheck.Random(n * GcOdd17.OutputSize, 3), g2 = GradientCheck.Random(n * GcOdd17.OutputSize, 4);
        double[] y = new double[n * GcOdd17.OutputSize];
        net.Forward(x1, y, n); net.Backward(g1, n);
        double[] first = net.Gradients.ToArray();
        net.Forward(x2, y, n); net.Backward(g2, n, accumulate: false);
        double[] second = net.Gradients.ToArray(), secondInput = net.InputGradients.ToArray();

        net.Forward(x1, y, n); net.Backward(g1, n);
        net.Forward(x2, y, n); net.Backward(g2, n, accumulate: true);
        Assert.Equal(first.Zip(second, (a, b) => a + b).ToArray(), net.Gradients.ToArray());
        Assert.Equal(secondInput, net.InputGradients.ToArray());
        Assert.Contains(first, v => v != 0);
    }

    /// <summary>G's gradient of the non-saturating loss, taken through D's Backward and InputGradients.</summary>
    private static double[] GeneratorGradientThroughDiscriminator(GcGenerator g, GcDiscriminator d, double[] z, int n, out double loss)
    {
        double[] fakes = new double[n * GcGenerator.OutputSize], logits = new double[n], dLogits = new double[n];
        g.Forward(z, fakes, n);
        d.Forward(fakes, logits, n);
        loss = GanLoss.GeneratorLoss<double>(logits);
        GanLoss.GeneratorLossGradient<double>(logits, dLogits);
        d.Backward(dLogits, n);
        g.Backward(d.InputGradients, n);
        return g.Gradients.ToArray();
    }

    private static double ComposedLoss(GcGenerator g, GcDiscriminator d, double[] z, int n)
    {
        double[] fakes = new double[n * GcGenerator.OutputSize], logits = new double[n];
        g.Forward(z, fakes, n);          // training mode: BatchNorm with the batch's statistics
        d.Forward(fakes, logits, n);
        return GanLoss.GeneratorLoss<double>(logits);
    }

    [Theory, InlineData(3), InlineData(5)]
    public void GeneratorGradientThroughTheDiscriminatorMatchesFiniteDifferences(int n)
    {
        var g = new GcGenerator(4);
        var d = new GcDiscriminator(5);
        double[] z = GradientCheck.Random(n * GcGenerator.InputSize, 6);
        double[] analytic = GeneratorGradientThroughDiscriminator(g, d, z, n, out _);
        Assert.Contains(analytic, v => v != 0);
        for (int i = 0; i < GcGenerator.ParameterCount; i++)
        {
            double original = g.Parameters[i];
            g.Parameters[i] = original + GradientCheck.Step;
            double plus = ComposedLoss(g, d, z, n);
            g.Parameters[i] = original - GradientCheck.Step;
            double minus = ComposedLoss(g, d, z, n);
            g.Parameters[i] = original;
            GradientCheck.AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], "generator " + GradientCheck.TensorOf(g, i));
        }
    }

    [Fact]
    public void GeneratorGradientThroughTheDiscriminatorEqualsTheOneNetworkGradient()
    {
        const int n = 3;
        var g = new GcGenerator(4);
        var d = new GcDiscriminator(5);
        var whole = new GcGeneratorThenDiscriminator();
        Assert.Equal(GcGenerator.ParameterCount + GcDiscriminator.ParameterCount, GcGeneratorThenDiscriminator.ParameterCount);
        Concat(g.Parameters, d.Parameters).CopyTo(whole.Parameters);
        double[] z = GradientCheck.Random(n * GcGenerator.InputSize, 6);
        double[] composed = GeneratorGradientThroughDiscriminator(g, d, z, n, out double composedLoss);

        double[] logits = new double[n], dLogits = new double[n];
        whole.Forward(z, logits, n);
        Assert.Equal(composedLoss, GanLoss.GeneratorLoss<double>(logits));
        GanLoss.GeneratorLossGradient<double>(logits, dLogits);
        whole.Backward(dLogits, n);
        double[] wholeGenerator = whole.Gradients.Slice(0, GcGenerator.ParameterCount).ToArray();
        Assert.Equal(wholeGenerator, composed);
        Assert.Equal(whole.Gradients.Slice(GcGenerator.ParameterCount).ToArray(), d.Gradients.ToArray());
        Assert.Equal(whole.Buffers.ToArray(), g.Buffers.ToArray());
    }

    [Fact]
    public void AGeneratorStepLeavesTheDiscriminatorBitIdentical()
    {
        var g = new GcGenerator(1);
        var d = new GcDiscriminator(2);
        var step = new GanStep<GcGenerator, GcDiscriminator, double>(g, d, batchSize: 3, seed: 9);
        double[] real = GradientCheck.Random(3 * GcDiscriminator.InputSize, 10);
        for (int i = 0; i < 3; i++) step.Run(real);
        double[] parameters = d.Parameters.ToArray(), state = d.OptimizerState.ToArray(), generator = g.Parameters.ToArray();
        long optimizerStep = d.OptimizerStep;

        double loss = step.GeneratorStep();
        Assert.True(double.IsFinite(loss));
        Assert.True(parameters.AsSpan().SequenceEqual(d.Parameters), "the discriminator's parameters changed");
        Assert.True(state.AsSpan().SequenceEqual(d.OptimizerState), "the discriminator's optimizer state changed");
        Assert.Equal(optimizerStep, d.OptimizerStep);
        Assert.False(generator.AsSpan().SequenceEqual(g.Parameters), "the generator did not move");

        // The discriminator's step moves it and leaves the generator's parameters alone.
        generator = g.Parameters.ToArray();
        step.DiscriminatorStep(real);
        Assert.False(parameters.AsSpan().SequenceEqual(d.Parameters));
        Assert.True(generator.AsSpan().SequenceEqual(g.Parameters));
    }

    [Fact]
    public void TheDiscriminatorStepAccumulatesRealAndFakeGradientsIntoOneUpdate()
    {
        const int n = 3;
        var g = new GcGenerator(1);
        var d = new GcDiscriminator(2);
        var reference = new GcDiscriminator(2);
        var step = new GanStep<GcGenerator, GcDiscriminator, double>(g, d, n, seed: 9);
        double[] real = GradientCheck.Random(n * GcDiscriminator.InputSize, 10);
        double loss = step.DiscriminatorStep(real);

        // By hand: the gradient of RealLoss plus the gradient of FakeLoss on the same fakes, one Adam step.
        double[] fakes = step.Fakes.ToArray(), logits = new double[n], dz = new double[n], y = new double[n];
        reference.Forward(real, logits, n);
        double expected = GanLoss.RealLoss<double>(logits);
        GanLoss.RealLossGradient<double>(logits, dz);
        reference.Backward(dz, n);
        double[] realGradient = reference.Gradients.ToArray();
        reference.Forward(fakes, y, n);
        expected += GanLoss.FakeLoss<double>(y);
        GanLoss.FakeLossGradient<double>(y, dz);
        reference.Backward(dz, n, accumulate: true);
        reference.ApplyGradients();
        Assert.Equal(expected, loss);
        Assert.True(reference.Parameters.SequenceEqual(d.Parameters));
        Assert.Equal(1, d.OptimizerStep);
    }

    [Fact]
    public void TheHingeObjectiveTrainsBothNetworksOnItsMargins()
    {
        const int n = 3;
        var g = new GcGenerator(1);
        var d = new GcDiscriminator(2);
        var reference = new GcDiscriminator(2);
        var step = new GanStep<GcGenerator, GcDiscriminator, double>(g, d, n, seed: 9) { Objective = GanObjective.Hinge };
        double[] real = GradientCheck.Random(n * GcDiscriminator.InputSize, 10);
        double loss = step.DiscriminatorStep(real);

        // D by hand: mean(max(0, 1 − z)) on the real batch, gradient −1/n inside the margin; + mean(max(0, 1 + y)) on the fakes.
        double[] fakes = step.Fakes.ToArray(), logits = new double[n], dz = new double[n], y = new double[n];
        reference.Forward(real, logits, n);
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            expected += Math.Max(0, 1 - logits[i]) / n;
            dz[i] = logits[i] < 1 ? -1.0 / n : 0;
        }
        reference.Backward(dz, n);
        reference.Forward(fakes, y, n);
        for (int i = 0; i < n; i++)
        {
            expected += Math.Max(0, 1 + y[i]) / n;
            dz[i] = y[i] > -1 ? 1.0 / n : 0;
        }
        reference.Backward(dz, n, accumulate: true);
        reference.ApplyGradients();
        Assert.Equal(expected, loss, 1e-12);
        for (int i = 0; i < GcDiscriminator.ParameterCount; i++) Assert.Equal(reference.Parameters[i], d.Parameters[i], 1e-12);
        Assert.True(Math.Abs(GanLoss.RealLoss<double>(logits) + GanLoss.FakeLoss<double>(y) - loss) > 1e-6, "the cross-entropy loss came back");

        // G: loss mean(−D(G(z))), D untouched; G moves.
        double[] dParameters = d.Parameters.ToArray(), gParameters = g.Parameters.ToArray();
        double generatorLoss = step.GeneratorStep();
        d.Forward(step.Fakes, y, n);
        Assert.Equal(-y.Average(), generatorLoss, 1e-12);
        Assert.True(dParameters.AsSpan().SequenceEqual(d.Parameters), "the discriminator moved in the generator's step");
        Assert.False(gParameters.AsSpan().SequenceEqual(g.Parameters), "the generator did not move");

        // A smoothed label belongs to the cross-entropy objective: refused, with nothing changed.
        step.RealLabel = 0.9;
        dParameters = d.Parameters.ToArray();
        Assert.Contains("hinge", Assert.Throws<InvalidOperationException>(() => step.DiscriminatorStep(real)).Message);
        Assert.True(dParameters.AsSpan().SequenceEqual(d.Parameters));
    }

    [Fact]
    public void ASmoothedRealLabelIsTheRealBatchsTarget()
    {
        const int n = 3;
        var g = new GcGenerator(1);
        var d = new GcDiscriminator(2);
        var reference = new GcDiscriminator(2);
        var step = new GanStep<GcGenerator, GcDiscriminator, double>(g, d, n, seed: 9) { RealLabel = 0.9 };
        double[] real = GradientCheck.Random(n * GcDiscriminator.InputSize, 10);
        double loss = step.DiscriminatorStep(real);

        // By hand: BCE(σ(z), 0.9) on the real batch = mean(softplus(z) − 0.9·z), gradient (σ(z) − 0.9)/n; fakes keep label 0.
        double[] fakes = step.Fakes.ToArray(), logits = new double[n], dz = new double[n], y = new double[n];
        reference.Forward(real, logits, n);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (Math.Log(1 + Math.Exp(logits[i])) - 0.9 * logits[i]) / n;
        for (int i = 0; i < n; i++) dz[i] = (1 / (1 + Math.Exp(-logits[i])) - 0.9) / n;
        reference.Backward(dz, n);
        reference.Forward(fakes, y, n);
        expected += GanLoss.FakeLoss<double>(y);
        GanLoss.FakeLossGradient<double>(y, dz);
        reference.Backward(dz, n, accumulate: true);
        reference.ApplyGradients();
        Assert.Equal(expected, loss, 1e-12);
        for (int i = 0; i < GcDiscriminator.ParameterCount; i++) Assert.Equal(reference.Parameters[i], d.Parameters[i], 1e-12);
        // The label 1 loss differs from the smoothed one by 0.1·mean(z): the smoothing is really applied.
        Assert.True(Math.Abs(GanLoss.RealLoss<double>(logits) + GanLoss.FakeLoss<double>(y) - loss) > 1e-6, "the label 1 loss came back");
        Assert.Throws<ArgumentOutOfRangeException>(() => step.RealLabel = 0.4);
        Assert.Throws<ArgumentOutOfRangeException>(() => step.RealLabel = 1.1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void AGanStepAllocatesNothingAfterTheFirst()
    {
        const int n = 16;
        var g = new FloatGenerator();
        var d = new FloatDiscriminator();
        var step = new GanStep<FloatGenerator, FloatDiscriminator, float>(g, d, n, seed: 1);
        float[] real = new float[n * FloatDiscriminator.InputSize];
        var rng = new Random(2);
        for (int i = 0; i < real.Length; i++) real[i] = (float)(2 * rng.NextDouble() - 1);
        // The same networks under the hinge objective, alternating with the cross-entropy one.
        var hinge = new GanStep<FloatGenerator, FloatDiscriminator, float>(g, d, n, seed: 3) { Objective = GanObjective.Hinge };
        step.Run(real);
        hinge.Run(real);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            step.Run(real);
            hinge.Run(real);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);

        var cg = new GcGenerator();
        var cd = new GcDiscriminator();
        var convolutional = new GanStep<GcGenerator, GcDiscriminator, double>(cg, cd, 5, seed: 1);
        double[] images = GradientCheck.Random(5 * GcDiscriminator.InputSize, 3);
        convolutional.Run(images);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) convolutional.Run(images);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GanStepNamesMismatchedSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new GanStep<GcGenerator, GcOdd17, double>(new GcGenerator(), new GcOdd17(), 3, 1));
        Assert.Contains("1 logit", e.Message);
        var step = new GanStep<GcGenerator, GcDiscriminator, double>(new GcGenerator(), new GcDiscriminator(), 3, 1);
        e = Assert.Throws<ArgumentException>(() => step.DiscriminatorStep(new double[7]));
        Assert.Contains("75", e.Message);
    }
}

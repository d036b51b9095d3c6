using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Embedding + recurrent layers over token ids with class-index targets per time step: finite differences in
/// double (repeated ids, batches 1 and 5), Step(token) against Predict on every prefix, and 0 bytes per
/// TrainStep and per Step.
/// </summary>
public class RecurrentTokenTests
{
    private static void Gradients<TNet>(int batch, int vocabulary, int seed) where TNet : INetworkState<double>, IClassIndexTargets<int, double>, new()
    {
        var net = new TNet();
        net.InitializeParameters(seed);
        int[] ids = TokenTests.Ids(batch * net.InputSize, vocabulary, seed + 1);
        int[] labels = TokenTests.Ids(batch * net.LabelsPerSample, net.ClassCount, seed + 2);
        double loss = net.ComputeGradients(ids, labels, batch);
        Assert.True(double.IsFinite(loss));
        double[] analytic = net.Gradients.ToArray();
        Assert.Contains(analytic, g => g != 0);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double original = net.Parameters[i];
            net.Parameters[i] = original + GradientCheck.Step;
            double plus = net.ComputeLoss(ids, labels, batch);
            net.Parameters[i] = original - GradientCheck.Step;
            double minus = net.ComputeLoss(ids, labels, batch);
            net.Parameters[i] = original;
            ParameterTensor tensor = net.ParameterTensors.Last(p => p.Offset <= i);
            GradientCheck.AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"{typeof(TNet).Name} {tensor.Name}[{i - tensor.Offset}]");
        }
    }

    [Theory, InlineData(1), InlineData(5)]
    public void EmbeddingThenRecurrentLayers_Parameters(int batch)
    {
        Gradients<GcTokenLstm>(batch, 11, 1);
        Gradients<GcTokenGru>(batch, 11, 2);
        Gradients<GcTokenRnnLast>(batch, 7, 3);
    }

    [Fact]
    public void StepTakesATokenAndEqualsPredictOnEveryPrefix()
    {
        var net = new GcTokenLstm();
        net.InitializeParameters(4);
        int[] ids = TokenTests.Ids(GcTokenLstm.InputSize, 11, 5);
        double[] all = new double[GcTokenLstm.OutputSize], step = new double[GcTokenLstm.StepOutputSize];
        net.Predict(ids, all);
        for (int pass = 0; pass < 2; pass++)
        {
            net.ResetState();
            for (int k = 0; k < ids.Length; k++)
            {
                net.Step(ids[k], step);
                for (int o = 0; o < step.Length; o++)
                    Assert.True(Math.Abs(all[k * step.Length + o] - step[o]) <= 1e-12, $"step {k} class {o}: Predict {all[k * step.Length + o]:R}, Step {step[o]:R}");
            }
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.Step(11, step));
        Assert.Contains("11", e.Message);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TokenTrainStepAndStepAllocateNothing()
    {
        var net = new TokenGruModel();
        const int batch = 5;
        int[] ids = TokenTests.Ids(batch * TokenGruModel.InputSize, 13, 6), labels = TokenTests.Ids(batch * TokenGruModel.InputSize, 13, 7);
        float[] step = new float[TokenGruModel.StepOutputSize];
        float first = net.TrainStep(ids, labels, batch);
        net.Step(ids[0], step);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float last = 0;
        for (int i = 0; i < 200; i++) last = net.TrainStep(ids, labels, batch);
        net.ResetState();
        for (int i = 0; i < 5000; i++) net.Step(ids[i % ids.Length], step);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(last < first, $"the loss fell from {first} to {last}");
        Assert.Equal(1.0, step.Sum(), 5);
    }
}

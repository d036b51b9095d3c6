using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Embedding + PositionalEmbedding + TransformerBlock on token ids: finite differences in double against class ids
/// per time step (a GPT) and per sample (a BERT-like classifier), and 0 bytes per TrainStep of a float GPT with AdamW and ClipNorm.
/// </summary>
public class TokenAttentionTests
{
    private static int[] Ids(int count, int vocabulary, int seed)
    {
        var rng = SplitMix64.FromSeed(seed);
        return Enumerable.Range(0, count).Select(_ => (int)(rng.NextUInt64() % (ulong)vocabulary)).ToArray();
    }

    /// <summary>d(loss)/d(parameters) from ComputeGradients(ids, labels) against central differences of ComputeLoss(ids, labels).</summary>
    private static void Check<TNet>(TNet net, int[] ids, int[] labels, int batch) where TNet : INetworkState<double>, IClassIndexTargets<int, double>
    {
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

    [Theory, InlineData(1), InlineData(3)]
    public void GptNextTokenPerTimeStep(int batch)
    {
        var net = new GcTokenGpt();
        net.InitializeParameters(batch);
        Check(net, Ids(batch * 7, 11, 1), Ids(batch * 7, 11, 2), batch);
    }

    [Theory, InlineData(1), InlineData(3)]
    public void GptOneStep(int batch)
    {
        var net = new GcTokenGptOneStep();
        net.InitializeParameters(4);
        Check(net, Ids(batch, 5, 3), Ids(batch, 5, 4), batch);
    }

    [Theory, InlineData(1), InlineData(3)]
    public void BertLikeClassifier(int batch)
    {
        var net = new GcTokenBert();
        net.InitializeParameters(5);
        Check(net, Ids(batch * 7, 11, 5), Ids(batch, 2, 6), batch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void FloatGptTrainStepAllocatesNothingAfterTheFirst()
    {
        var net = new FloatTokenGpt();
        const int batch = 12;
        int[] ids = Ids(batch * 16, 29, 7), next = Ids(batch * 16, 29, 8);
        net.TrainStep(ids, next, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) net.TrainStep(ids, next, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // Training on one batch drives its loss down.
        float first = net.ComputeLoss(ids, next, batch);
        for (int i = 0; i < 30; i++) net.TrainStep(ids, next, batch);
        Assert.True(net.ComputeLoss(ids, next, batch) < first);
        Assert.Contains("(None, 16, 16)", FloatTokenGpt.Summary);
    }
}

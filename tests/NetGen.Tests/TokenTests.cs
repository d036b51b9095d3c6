using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Token input ([Input(t)] [Embedding(v, d)]) and class-index targets with CrossEntropy, per sample and per
/// time step: finite differences in double through generated networks, ids and labels out of range, Summary,
/// allocation-freedom, and class ids against one-hot targets.
/// </summary>
public class TokenTests
{
    /// <summary>Token ids in [0, vocabulary), drawn so that some repeat (the vocabulary is smaller than batch × time).</summary>
    internal static int[] Ids(int count, int vocabulary, int seed)
    {
        var rng = SplitMix64.FromSeed(seed);
        return Enumerable.Range(0, count).Select(_ => (int)(rng.NextUInt64() % (ulong)vocabulary)).ToArray();
    }

    /// <summary>Checks d(loss)/d(parameters) of a token network against central differences of ComputeLoss.</summary>
    private static void CheckParameters<TNet>(TNet net, int[] ids, double[] t, int batch) where TNet : ITokenNetwork<double>
    {
        double loss = net.ComputeGradients(ids, t, batch);
        Assert.True(double.IsFinite(loss));
        double[] analytic = net.Gradients.ToArray();
        Assert.Contains(analytic, g => g != 0);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double original = net.Parameters[i];
            net.Parameters[i] = original + GradientCheck.Step;
            double plus = net.ComputeLoss(ids, t, batch);
            net.Parameters[i] = original - GradientCheck.Step;
            double minus = net.ComputeLoss(ids, t, batch);
            net.Parameters[i] = original;
            ParameterTensor tensor = net.ParameterTensors.Last(p => p.Offset <= i);
            GradientCheck.AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"{typeof(TNet).Name} {tensor.Name}[{i - tensor.Offset}]");
        }
    }

    /// <summary>The same check against class ids (LabelsPerSample per sample).</summary>
    private static void CheckParametersWithLabels<TNet, TInput>(TNet net, TInput[] x, int[] labels, int batch)
        where TNet : INetworkState<double>, IClassIndexTargets<TInput, double> where TInput : unmanaged
    {
        double loss = net.ComputeGradients(x, labels, batch);
        Assert.True(double.IsFinite(loss));
        double[] analytic = net.Gradients.ToArray();
        Assert.Contains(analytic, g => g != 0);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            double original = net.Parameters[i];
            net.Parameters[i] = original + GradientCheck.Step;
            double plus = net.ComputeLoss(x, labels, batch);
            net.Parameters[i] = original - GradientCheck.Step;
            double minus = net.ComputeLoss(x, labels, batch);
            net.Parameters[i] = original;
            GradientCheck.AssertClose((plus - minus) / (2 * GradientCheck.Step), analytic[i], $"{typeof(TNet).Name} parameter {i}");
        }
    }

    /// <summary>One-hot rows [rows, classes] for class ids.</summary>
    private static double[] OneHot(int[] labels, int classes)
    {
        var t = new double[labels.Length * classes];
        for (int r = 0; r < labels.Length; r++) t[r * classes + labels[r]] = 1;
        return t;
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void EmbeddingWithRepeatedIds_Parameters(int batch)
    {
        var net = new GcTokenDense();
        net.InitializeParameters(batch);
        int[] ids = Ids(batch * GcTokenDense.InputSize, 11, batch + 5);
        CheckParameters(net, ids, GradientCheck.Targets(batch, GcTokenDense.OutputSize, Loss.MeanSquaredError, 9), batch);
    }

    [Theory, InlineData(1), InlineData(3), InlineData(17)]
    public void TokenClassifier_OneHotAndClassIds(int batch)
    {
        var net = new GcTokenClassifier();
        net.InitializeParameters(2);
        int[] ids = Ids(batch * GcTokenClassifier.InputSize, 11, batch);
        int[] labels = Ids(batch, GcTokenClassifier.ClassCount, batch + 1);
        Assert.Equal(1, GcTokenClassifier.LabelsPerSample);
        CheckParameters(net, ids, OneHot(labels, 3), batch);
        CheckParametersWithLabels<GcTokenClassifier, int>(net, ids, labels, batch);
        AssertLabelsMatchOneHot(net, ids, labels, OneHot(labels, 3), batch);
    }

    [Theory, InlineData(1), InlineData(3), InlineData(5)]
    public void PerTimeStepCrossEntropy_OneHotAndClassIds(int batch)
    {
        var net = new GcTokenPerStep();
        net.InitializeParameters(4);
        Assert.Equal(13, GcTokenPerStep.LabelsPerSample);
        Assert.Equal(13 * 3, GcTokenPerStep.OutputSize);
        int[] ids = Ids(batch * 13, 17, batch + 20);
        int[] labels = Ids(batch * 13, 3, batch + 30);
        CheckParameters(net, ids, OneHot(labels, 3), batch);
        CheckParametersWithLabels<GcTokenPerStep, int>(net, ids, labels, batch);
        AssertLabelsMatchOneHot(net, ids, labels, OneHot(labels, 3), batch);
    }

    [Theory, InlineData(1), InlineData(3)]
    public void SingleStepVocabularyOfOne_Parameters(int batch)
    {
        var net = new GcTokenSingle();
        net.InitializeParameters(6);
        int[] ids = new int[batch];
        int[] labels = Ids(batch, 3, 8);
        CheckParametersWithLabels<GcTokenSingle, int>(net, ids, labels, batch);
    }

    [Theory, InlineData(1), InlineData(3)]
    public void FloatSequencePerStepClassIds_Parameters(int batch)
    {
        var net = new GcSequenceClassIds();
        net.InitializeParameters(3);
        double[] x = GradientCheck.Random(batch * GcSequenceClassIds.InputSize, 40);
        int[] labels = Ids(batch * 5, 3, 41);
        Assert.Equal(5, GcSequenceClassIds.LabelsPerSample);
        CheckParametersWithLabels<GcSequenceClassIds, double>(net, x, labels, batch);
        GradientCheck.Parameters(net, x, OneHot(labels, 3), batch);
        // Class ids and one-hot targets give the same loss and gradients.
        double withLabels = net.ComputeGradients(x, labels, batch);
        double[] g = net.Gradients.ToArray();
        double withOneHot = net.ComputeGradients(x, OneHot(labels, 3), batch);
        Assert.Equal(withOneHot, withLabels, 12);
        for (int i = 0; i < g.Length; i++) Assert.Equal(net.Gradients[i], g[i], 12);
    }

    /// <summary>Class ids and their one-hot rows give the same loss and the same gradients (PyTorch's CrossEntropyLoss, both ways).</summary>
    private static void AssertLabelsMatchOneHot<TNet>(TNet net, int[] ids, int[] labels, double[] oneHot, int batch)
        where TNet : ITokenNetwork<double>, IClassIndexTargets<int, double>
    {
        double withLabels = net.ComputeGradients(ids, labels, batch);
        double[] g = net.Gradients.ToArray();
        double withOneHot = net.ComputeGradients(ids, oneHot, batch);
        Assert.Equal(withOneHot, withLabels, 12);
        for (int i = 0; i < g.Length; i++) Assert.Equal(net.Gradients[i], g[i], 12);
        Assert.Equal(net.ComputeLoss(ids, oneHot, batch), net.ComputeLoss(ids, labels, batch), 12);
    }

    [Fact]
    public void PerStepLossIsTheMeanOverBatchAndTime()
    {
        // L = (1/(n·t))·Σ over every step of −log softmax(z)[label], computed here from Predict's probabilities.
        var net = new GcTokenPerStep();
        const int batch = 3, t = 13, classes = 3;
        int[] ids = Ids(batch * t, 17, 50), labels = Ids(batch * t, classes, 51);
        double[] p = new double[batch * t * classes];
        net.Predict(ids, p, batch);
        double expected = 0;
        for (int r = 0; r < batch * t; r++) expected -= Math.Log(p[r * classes + labels[r]]);
        expected /= batch * t;
        Assert.Equal(expected, net.ComputeLoss(ids, labels, batch), 10);
        for (int r = 0; r < batch * t; r++) Assert.Equal(1.0, p[r * classes] + p[r * classes + 1] + p[r * classes + 2], 12);
    }

    [Fact]
    public void EmbeddingForwardIsATableLookup()
    {
        // With the Dense after it, y = W_d·flatten(E[ids]) + b: check E[ids] through a network whose Dense weight picks one value.
        var net = new GcTokenDense();
        net.InitializeParameters(1);
        int[] ids = { 3, 3, 10, 0, 7, 3, 1 };
        ParameterTensor table = GcTokenDense.ParameterTensors.Single(p => p.Name == "layers.0.weight");
        Assert.Equal(new[] { 11, 3 }, table.Shape);
        Assert.Equal(0, table.Offset);
        // N(0, 1): over 33 values the mean is near 0 and the deviation near 1 (loose bounds; the draw is seeded).
        double[] e = net.Parameters.Slice(0, 33).ToArray();
        Assert.InRange(e.Average(), -0.7, 0.7);
        Assert.InRange(Math.Sqrt(e.Select(v => v * v).Average()), 0.6, 1.5);
        // Changing a row of the table that no id uses leaves the output unchanged; a used row changes it.
        double[] before = new double[3], after = new double[3];
        net.Predict(ids, before);
        net.Parameters[2 * 3 + 1] += 1; // row 2: unused
        net.Predict(ids, after);
        Assert.Equal(before, after);
        net.Parameters[3 * 3 + 1] += 1; // row 3: used three times
        net.Predict(ids, after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void IdsOutOfRangeThrowNamingPositionAndId()
    {
        var net = new GcTokenDense();
        int[] ids = new int[2 * 7];
        ids[9] = 11;
        var y = new double[2 * 3];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.Predict(ids, y, 2));
        Assert.Contains("11", e.Message);
        Assert.Contains("position 9", e.Message);
        ids[9] = -1;
        e = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(ids, new double[6], 2));
        Assert.Contains("-1", e.Message);
        Assert.Contains("position 9", e.Message);
        var size = Assert.Throws<ArgumentException>(() => net.Predict(new int[6], new double[3]));
        Assert.Contains("7", size.Message);
    }

    [Fact]
    public void LabelsOutOfRangeThrowAndLeaveTheParametersUnchanged()
    {
        var net = new GcTokenPerStep();
        double[] before = net.Parameters.ToArray();
        int[] ids = new int[13], labels = new int[13];
        labels[4] = 3;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(ids, labels, 1));
        Assert.Contains("position 4", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
        var size = Assert.Throws<ArgumentException>(() => net.ComputeLoss(ids, new int[12], 1));
        Assert.Contains("13", size.Message);
    }

    [Fact]
    public void TokenNetworksHaveNoFloatInputMembers()
    {
        Assert.False(typeof(INetwork<double>).IsAssignableFrom(typeof(GcTokenDense)));
        Assert.True(typeof(ITokenNetwork<double>).IsAssignableFrom(typeof(GcTokenDense)));
        Assert.True(typeof(ITokenNetwork).IsAssignableFrom(typeof(TokenParity)));
        Assert.DoesNotContain(typeof(GcTokenDense).GetMethods(), m => m.Name is "Predict" or "ComputeLoss" or "TrainStep" or "ComputeGradients"
            && m.GetParameters()[0].ParameterType == typeof(ReadOnlySpan<double>));
        Assert.Null(typeof(GcTokenDense).GetProperty("InputGradients"));
        // MSE networks take no class ids; CrossEntropy networks do.
        Assert.False(typeof(IClassIndexTargets<int, double>).IsAssignableFrom(typeof(GcTokenDense)));
        Assert.True(typeof(IClassIndexTargets<double, double>).IsAssignableFrom(typeof(GcSequenceClassIds)));
    }

    [Fact]
    public void InputSizeIsTheTimeSteps_SummaryShowsSequences()
    {
        Assert.Equal(7, GcTokenDense.InputSize);
        Assert.Contains("(None, 7)", GcTokenDense.Summary);
        Assert.Contains("layers.0 (Embedding)", GcTokenDense.Summary);
        Assert.Contains("(None, 7, 3)", GcTokenDense.Summary);
        Assert.Contains("(None, 7, 5)", GcTokenDense.Summary);
        Assert.Contains("(None, 13, 3)", GcTokenPerStep.Summary);
        Assert.Contains("33", GcTokenDense.Summary); // the table: 11 × 3
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStepAllocatesNothing()
    {
        var net = new TokenNextStep();
        int[] ids = Ids(5 * 6, 7, 1), labels = Ids(5 * 6, 7, 2);
        float[] oneHot = new float[5 * TokenNextStep.OutputSize], y = new float[oneHot.Length];
        for (int r = 0; r < labels.Length; r++) oneHot[r * 7 + labels[r]] = 1;
        net.TrainStep(ids, labels, 5);
        net.TrainStep(ids, oneHot, 5);
        net.Predict(ids, y, 5); // the first Predict takes its scratch set from the (empty) pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            net.TrainStep(ids, labels, 5);
            net.TrainStep(ids, oneHot, 5);
            net.TrainStep(ids.AsSpan(0, 18), labels.AsSpan(0, 18), 3);
            net.Predict(ids, y, 5);
            net.ComputeLoss(ids, labels, 5);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

/// <summary>The runtime over token networks: the trainer fits a tiny token task, metrics per step, safetensors round trip.</summary>
public class TokenRuntimeTests
{
    /// <summary>
    /// A task only the ids solve: the class of a sequence of 4 ids over a vocabulary of 5 is whether id 0
    /// occurs in it. 200 samples, seeded.
    /// </summary>
    private static NetGen.Data.TokenDataset ContainsZero(int count, int seed)
    {
        int[] ids = TokenTests.Ids(count * 4, 5, seed);
        int[] labels = new int[count];
        for (int s = 0; s < count; s++) labels[s] = ids.AsSpan(s * 4, 4).Contains(0) ? 1 : 0;
        return new NetGen.Data.TokenDataset(ids, 4, labels, 1);
    }

    [Fact]
    public void TrainerFitsATinyTokenTask()
    {
        var net = new TokenParity();
        var data = ContainsZero(200, 1);
        var history = NetGen.Training.Trainer.Fit(net, data, new NetGen.Training.TrainingOptions
        {
            Epochs = 40, BatchSize = 16, Seed = 2, Metrics = new[] { NetGen.Training.TrainingMetric.Accuracy },
        });
        Assert.Equal(40, history.Epochs.Count);
        double first = history.Epochs[0].Values["loss"], last = history.Epochs[^1].Values["loss"];
        Assert.True(last < first / 4, $"loss {first} → {last}");
        var report = NetGen.Metrics.Evaluation.EvaluateClassifier(net, ContainsZero(100, 9));
        Assert.True(report.Accuracy > 0.95, $"held-out accuracy {report.Accuracy}");
    }

    [Fact]
    public void TrainerFitsPerStepClassIds()
    {
        // Next id of a cycle 0 → 1 → … → 6 → 0: the label at each step is (id + 1) mod 7.
        var rng = NetGen.Numerics.SplitMix64.FromSeed(4);
        const int count = 120, t = 6;
        int[] ids = new int[count * t], labels = new int[count * t];
        for (int s = 0; s < count; s++)
        {
            int start = (int)(rng.NextUInt64() % 7);
            for (int p = 0; p < t; p++) { ids[s * t + p] = (start + p) % 7; labels[s * t + p] = (start + p + 1) % 7; }
        }
        var data = new NetGen.Data.TokenDataset(ids, t, labels, labelsPerSample: t);
        var net = new TokenNextStep();
        var history = NetGen.Training.Trainer.Fit(net, data, new NetGen.Training.TrainingOptions
        {
            Epochs = 30, BatchSize = 8, Seed = 1, ValidationSplit = 0.25, Metrics = new[] { NetGen.Training.TrainingMetric.Accuracy },
        });
        Assert.True(history.Epochs[^1].Values["val_accuracy"] > 0.99, $"val accuracy {history.Epochs[^1].Values["val_accuracy"]}");
        var report = NetGen.Metrics.Evaluation.EvaluateClassifier(net, data);
        Assert.Equal(count * t, report.Confusion.Total);
        Assert.True(report.Accuracy > 0.99);
    }

    [Fact]
    public void SafeTensorsRoundTripsATokenNetwork()
    {
        var trained = new TokenParity();
        trained.TrainStep(new int[8], new[] { 1, 0 }, 2);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"netgen-token-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetGen.Serialization.SafeTensors.Save(trained, path);
            var loaded = new TokenParity(seed: 99);
            Assert.NotEqual(trained.Parameters.ToArray(), loaded.Parameters.ToArray());
            NetGen.Serialization.SafeTensors.Load(loaded, path);
            Assert.Equal(trained.Parameters.ToArray(), loaded.Parameters.ToArray());
            NetGen.Serialization.SafeTensors.SaveCheckpoint(trained, path);
            NetGen.Serialization.SafeTensors.LoadCheckpoint(loaded, path);
            Assert.Equal(trained.OptimizerState.ToArray(), loaded.OptimizerState.ToArray());
            Assert.Equal("layers.0.weight", TokenParity.ParameterTensors[0].Name);
            Assert.Equal(new[] { 5, 8 }, TokenParity.ParameterTensors[0].Shape);
        }
        finally { System.IO.File.Delete(path); }
    }

    [Fact]
    public void TokenDatasetChecksItsArrays()
    {
        Assert.Throws<ArgumentException>(() => new NetGen.Data.TokenDataset(new int[7], 4, new int[2], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetGen.Data.TokenDataset(new[] { 0, -1 }, 2, new int[1], 1));
        var data = new NetGen.Data.TokenDataset(new[] { 1, 2, 3, 4 }, 2, new[] { 0, 1 }, 1);
        Assert.Equal(2, data.Count);
        Assert.Equal(new[] { 3f, 4f }, data.AsDataset().FeatureRow(1).ToArray());
        Assert.Equal(new[] { 3, 4 }, data.Slice(1, 1).Tokens);
    }
}

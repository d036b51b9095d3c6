using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Data;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests;

[Network(Loss = Loss.CrossEntropy, Seed = 5)] [Input(13)] [Dense(17, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class TrainingOutputsNet;

[Network(Loss = Loss.CrossEntropy, Seed = 5)] [Input(13)] [Dense(17, Activation.ReLU)] [Dropout(0.5f)] [Dense(3, Activation.Softmax)]
public partial class TrainingOutputsDropoutNet;

/// <summary>
/// <see cref="INetwork{T}.TrainingOutputs"/>: the outputs of the step's own forward pass, which the trainer's metrics read
/// instead of running Predict again (the fit loop's overhead, issue 15).
/// </summary>
public class TrainingOutputsTests
{
    private static float[] Inputs(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static float[] OneHot(int batch, int classes)
    {
        float[] t = new float[batch * classes];
        for (int i = 0; i < batch; i++) t[i * classes + i % classes] = 1;
        return t;
    }

    [Fact]
    public void WithoutDropoutTheyAreThePredictionsBeforeTheUpdateBitForBit()
    {
        var net = new TrainingOutputsNet();
        INetwork<float> contract = net;
        const int batch = 5;
        float[] x = Inputs(batch * 13, 1), t = OneHot(batch, 3), before = new float[batch * 3];
        Assert.True(contract.TrainingOutputs.IsEmpty); // no step yet
        net.Predict(x, before, batch);
        net.TrainStep(x, t, batch);
        float[] kept = contract.TrainingOutputs.ToArray();
        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), kept.Select(BitConverter.SingleToInt32Bits));
        float[] after = new float[batch * 3];
        net.Predict(x, after, batch);
        Assert.NotEqual(after, kept); // the update changed the parameters; the kept outputs are from before it
        net.ComputeLoss(x, t, batch);
        Assert.True(contract.TrainingOutputs.IsEmpty); // an evaluation pass overwrote them
    }

    [Fact]
    public void WithDropoutTheyAreTheTrainingModePass()
    {
        var net = new TrainingOutputsDropoutNet();
        INetwork<float> contract = net;
        const int batch = 7;
        float[] x = Inputs(batch * 13, 2), t = OneHot(batch, 3), predicted = new float[batch * 3], forward = new float[batch * 3];
        net.Predict(x, predicted, batch);
        ulong state = net.RandomState;
        net.ComputeGradients(x, t, batch);
        float[] kept = contract.TrainingOutputs.ToArray();
        Assert.Equal(batch * 3, kept.Length);
        Assert.NotEqual(predicted, kept); // dropout was on
        net.RandomState = state; // the same mask again: Forward's training-mode outputs are the kept ones
        net.Forward(x, forward, batch);
        Assert.Equal(forward, kept);
        for (int i = 0; i < batch; i++) Assert.Equal(1f, kept.Skip(i * 3).Take(3).Sum(), 5);
    }

    [Fact]
    public void FitTracksAccuracyFromThemAndAllocatesNoMoreThanBefore()
    {
        // The metric equals the accuracy of the kept outputs, step by step: with one batch per epoch and no dropout it
        // is the accuracy of Predict before the step.
        var net = new TrainingOutputsNet();
        const int count = 12;
        float[] x = Inputs(count * 13, 3), labels = Enumerable.Range(0, count).Select(i => (float)(i % 3)).ToArray();
        var reference = new TrainingOutputsNet();
        float[] before = new float[count * 3];
        reference.Predict(x, before, count);
        int correct = 0;
        for (int i = 0; i < count; i++)
            if (Array.IndexOf(before, before.Skip(i * 3).Take(3).Max(), i * 3, 3) - i * 3 == i % 3) correct++;
        History history = Trainer.Fit(net, new Dataset(x, labels, count, 13, 1), new TrainingOptions
        {
            Epochs = 1, BatchSize = count, Shuffle = false, Metrics = [TrainingMetric.Accuracy],
        });
        Assert.Equal((double)correct / count, history["accuracy"][0], 12);
    }

    [Fact]
    public void EvaluationOutputsAreComputeLossesForwardPassAndEqualPredict()
    {
        // With dropout declared: ComputeLoss runs in inference mode, so its kept outputs are Predict's, bit for bit.
        var net = new TrainingOutputsDropoutNet();
        INetwork<float> contract = net;
        const int batch = 9;
        float[] x = Inputs(batch * 13, 4), t = OneHot(batch, 3), predicted = new float[batch * 3];
        Assert.True(contract.EvaluationOutputs.IsEmpty); // nothing evaluated yet
        net.Predict(x, predicted, batch);
        net.ComputeLoss(x, t, batch);
        Assert.Equal(predicted.Select(BitConverter.SingleToInt32Bits), contract.EvaluationOutputs.ToArray().Select(BitConverter.SingleToInt32Bits));
        net.TrainStep(x, t, batch);
        Assert.True(contract.EvaluationOutputs.IsEmpty); // a training-mode pass overwrote them
        net.ComputeLoss(x.AsSpan(0, 2 * 13), t.AsSpan(0, 2 * 3), 2);
        Assert.Equal(2 * 3, contract.EvaluationOutputs.Length); // one row per sample of the last ComputeLoss
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void ValidationMetricsFromEvaluationOutputsEqualPredictsAndTheSplitIsNotCopied()
    {
        // 4,000 samples, the last quarter held out: val_accuracy must be Predict's accuracy on rows 3,000..3,999 after training.
        const int count = 4000, held = 1000, features = 13;
        float[] x = Inputs(count * features, 5), labels = Enumerable.Range(0, count).Select(i => (float)(i % 3)).ToArray();
        var data = new Dataset(x, labels, count, features, 1);
        var net = new TrainingOutputsDropoutNet();
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, ValidationSplit = 0.25, Metrics = [TrainingMetric.Accuracy] };
        // Warm-up: the JIT (a first Fit on another network), and this network's buffers for batches of 8 and of 256
        // (the validation's), which any first call allocates.
        Trainer.Fit(new TrainingOutputsDropoutNet(), data, options);
        net.TrainStep(x.AsSpan(0, 8 * features), OneHot(8, 3), 8);
        net.ComputeLoss(x.AsSpan(0, 256 * features), OneHot(256, 3), 256);
        net.InitializeParameters(5);
        long before = GC.GetAllocatedBytesForCurrentThread();
        History history = Trainer.Fit(net, data, options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        float[] outputs = new float[held * 3];
        net.Predict(x.AsSpan((count - held) * features), outputs, held);
        int correct = 0;
        for (int i = 0; i < held; i++)
            if (Array.IndexOf(outputs, outputs.Skip(i * 3).Take(3).Max(), i * 3, 3) - i * 3 == (count - held + i) % 3) correct++;
        Assert.Equal((double)correct / held, history["val_accuracy"][1], 12);
        // The split is two row ranges of the caller's dataset. Copying it (as Fit once did) allocates its 208,000 bytes
        // of features and 16,000 of labels; the loop's own buffers are about a tenth of that.
        Assert.True(allocated < 100_000, $"Fit allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_token_networks_EvaluationOutputs_reach_the_trainer_through_its_interface()
    {
        // The trainer sees a token network through ITokenNetwork<T>: the generated property must implement that member.
        var net = new NetGen.Tests.Networks.GcTokenClassifier();
        ITokenNetwork<double> contract = net;
        const int batch = 3;
        int[] ids = Enumerable.Range(0, batch * 7).Select(i => i % 11).ToArray();
        double[] targets = new double[batch * 3], predicted = new double[batch * 3];
        for (int i = 0; i < batch; i++) targets[i * 3 + i % 3] = 1;
        Assert.True(contract.EvaluationOutputs.IsEmpty);
        net.Predict(ids, predicted, batch);
        contract.ComputeLoss(ids, targets, batch);
        Assert.Equal(predicted, contract.EvaluationOutputs.ToArray());
    }
}

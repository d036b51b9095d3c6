using System;
using System.Linq;
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
}

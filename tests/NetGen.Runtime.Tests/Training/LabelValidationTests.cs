using System;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>Issue 17 item 4: a class label that is not a whole class index is refused, as ToOneHot refuses it, instead of being truncated.</summary>
public class LabelValidationTests
{
    [Theory]
    [InlineData(0.5f)]
    [InlineData(2.25f)]
    [InlineData(float.NaN)]
    [InlineData(-1f)]
    [InlineData(3f)]
    public void FitAndEvaluateRejectALabelThatIsNotAClassIndex(float bad)
    {
        var data = new Dataset(new float[8], [0f, 1f, bad, 2f], 4, 2, 1);
        var net = new LinearModel<float>(2, 3, LinearHead.SoftmaxCrossEntropy);
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(net, data, new TrainingOptions()));
        Assert.Contains("Sample 2", e.Message);
        Assert.Contains("whole number in 0..2", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Throws<ArgumentException>(() => Evaluation.EvaluateClassifier(net, data));
        Assert.Throws<InvalidOperationException>(() => data.ToOneHot(3));
    }

    [Fact]
    public void WholeLabelsStillTrain()
    {
        var data = new Dataset(new float[8], [0f, 1f, 2f, 2f], 4, 2, 1);
        History h = Trainer.Fit(new LinearModel<float>(2, 3, LinearHead.SoftmaxCrossEntropy), data, new TrainingOptions { Epochs = 2 });
        Assert.Equal(2, h.Epochs.Count);
    }
}

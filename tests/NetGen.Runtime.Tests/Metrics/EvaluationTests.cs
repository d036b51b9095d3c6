using NetGen.Data;
using NetGen.Metrics;
using NetGen.Runtime.Tests.Support;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public class EvaluationTests
{
    /// <summary>Softmax over [x0, x1, 0]: the predicted class is 0 when x0 is largest, 1 when x1 is, 2 when both are negative.</summary>
    private static LinearModel<float> ThreeClassModel()
    {
        var net = new LinearModel<float>(2, 3, LinearHead.SoftmaxCrossEntropy);
        net.Parameters.Clear();
        net.Parameters[0] = 1; // W[0,0]
        net.Parameters[3] = 1; // W[1,1]
        return net;
    }

    // Rows chosen so predictions are [0,1,1,1,1,0,0] against labels [0,0,1,1,1,2,2] (as in ClassificationMetricsTests).
    private static Dataset Rows(bool oneHot)
    {
        float[] x = [5, 0, 0, 5, 0, 5, 0, 5, 0, 5, 5, 0, 5, 0];
        float[] labels = [0, 0, 1, 1, 1, 2, 2];
        var data = new Dataset(x, labels, 7, 2, 1);
        return oneHot ? data.ToOneHot(3) : data;
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 256)]
    public void ClassifierReportMatchesHandComputedMetricsWhateverTheTargetsAndBatchSize(bool oneHot, int batchSize)
    {
        var net = ThreeClassModel();
        Dataset data = Rows(oneHot);
        ClassificationReport report = Evaluation.EvaluateClassifier(net, data, batchSize);
        Assert.Equal(7, report.SampleCount);
        Assert.Equal(4.0 / 7, report.Accuracy, 12);
        Assert.Equal(13.0 / 36, report.Precision(Averaging.Macro), 12);
        Assert.Equal(0.0, report.Confusion.Precision(2));
        float expectedLoss = net.ComputeLoss(data.Features, data.ToOneHotIfLabels(3).Targets, 7);
        Assert.Equal(expectedLoss, report.Loss, 5);
        Assert.Contains("weighted avg", report.ToString());
    }

    [Fact]
    public void EvaluatePicksClassificationForLabelsAndRegressionForValues()
    {
        Assert.IsType<ClassificationReport>(Evaluation.Evaluate(ThreeClassModel(), Rows(false)));
        var regressor = new LinearModel<float>(1, 1, LinearHead.MeanSquaredError);
        regressor.Parameters[0] = 2; regressor.Parameters[1] = 1; // y = 2x + 1
        var data = new Dataset([0f, 1f, 2f, 3f], [1f, 3f, 5f, 8f], 4, 1, 1);
        var report = Assert.IsType<RegressionReport>(Evaluation.Evaluate(regressor, data, batchSize: 3));
        Assert.Equal(0.25, report.MeanSquaredError, 6);   // one error of 1 in 4
        Assert.Equal(0.25, report.MeanAbsoluteError, 6);
        Assert.Equal(1 - 1.0 / 26.75, report.R2, 6);      // mean 4.25: SS_tot = 10.5625+1.5625+0.5625+14.0625
        Assert.Equal(0.25, report.Loss, 6);
    }

    [Fact]
    public void DoubleNetworksEvaluateToo()
    {
        var net = new LinearModel<double>(1, 1, LinearHead.MeanSquaredError);
        net.Parameters[0] = 1; net.Parameters[1] = 0;
        RegressionReport report = Evaluation.EvaluateRegressor<LinearModel<double>, double>(net, new Dataset([1f, 2f], [1f, 2f], 2, 1, 1));
        Assert.Equal(1.0, report.R2);
    }

    [Fact]
    public void MismatchedFeatureCountThrowsNamingTheExpectedSize()
    {
        var e = Assert.Throws<System.ArgumentException>(() => Evaluation.EvaluateClassifier(ThreeClassModel(), new Dataset(new float[3], [0f], 1, 3, 1)));
        Assert.Contains("InputSize = 2", e.Message);
    }
}

internal static class DatasetTestExtensions
{
    public static Dataset ToOneHotIfLabels(this Dataset data, int classes) => data.TargetCount == 1 ? data.ToOneHot(classes) : data;
}

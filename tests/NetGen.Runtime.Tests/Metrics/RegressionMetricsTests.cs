using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public class RegressionMetricsTests
{
    // scikit-learn's documentation example: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8].
    private static readonly float[] Actual = [3f, -0.5f, 2f, 7f];
    private static readonly float[] Predicted = [2.5f, 0f, 2f, 8f];

    [Fact]
    public void MeanSquaredErrorMatchesHandComputedValue() =>
        Assert.Equal(0.375, RegressionMetrics.MeanSquaredError(Actual, Predicted), 12); // (0.25 + 0.25 + 0 + 1) / 4

    [Fact]
    public void MeanAbsoluteErrorMatchesHandComputedValue() =>
        Assert.Equal(0.5, RegressionMetrics.MeanAbsoluteError(Actual, Predicted), 12); // (0.5 + 0.5 + 0 + 1) / 4

    [Fact]
    public void R2MatchesHandComputedValue()
    {
        // mean 2.875; SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; SS_res = 1.5
        Assert.Equal(1 - 1.5 / 29.1875, RegressionMetrics.R2(Actual, Predicted), 12);
    }

    [Fact]
    public void R2OfConstantTargetsIsOneWhenPerfectAndZeroOtherwise()
    {
        Assert.Equal(1.0, RegressionMetrics.R2([1f, 1f, 1f], [1f, 1f, 1f]));
        Assert.Equal(0.0, RegressionMetrics.R2([1f, 1f, 1f], [1f, 2f, 1f]));
    }

    [Fact]
    public void PerfectPredictionGivesZeroErrorsAndR2One()
    {
        Assert.Equal(0.0, RegressionMetrics.MeanSquaredError(Actual, Actual));
        Assert.Equal(0.0, RegressionMetrics.MeanAbsoluteError(Actual, Actual));
        Assert.Equal(1.0, RegressionMetrics.R2(Actual, Actual));
    }

    [Fact]
    public void MismatchedLengthsThrow() =>
        Assert.Throws<System.ArgumentException>(() => RegressionMetrics.MeanSquaredError(Actual, [1f]));
}

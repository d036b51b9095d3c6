using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public class MatthewsCorrelationTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void BinaryMatchesTheFormulaOnAHandCountedMatrix()
    {
        // tp 3, fn 2, fp 1, tn 4 (class 1 positive): (3·4 − 1·2) / √((3+1)(3+2)(4+1)(4+2)) = 10 / √600.
        int[] actual = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
        int[] predicted = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        var m = ConfusionMatrix.From(actual, predicted, 2);
        Assert.Equal((3L, 2L, 1L, 4L), (m[1, 1], m[1, 0], m[0, 1], m[0, 0]));
        Assert.Equal(10 / System.Math.Sqrt(600), m.MatthewsCorrelation, Tolerance);
        Assert.Equal(10 / System.Math.Sqrt(600), ClassificationMetrics.MatthewsCorrelation(actual, predicted, 2), Tolerance);
    }

    [Fact]
    public void MulticlassMatchesScikitLearnsGeneralisation()
    {
        // Matrix rows actual, columns predicted: [[1,1,0],[0,3,0],[2,0,0]]; c = 4, s = 7, t = (2,3,2), p = (3,4,0):
        // (4·7 − (6+12+0)) / √((49 − 25)(49 − 17)) = 10 / √768 = 0.360844 (matthews_corrcoef gives the same).
        int[] actual = [0, 0, 1, 1, 1, 2, 2];
        int[] predicted = [0, 1, 1, 1, 1, 0, 0];
        Assert.Equal(10 / System.Math.Sqrt(768), ClassificationMetrics.MatthewsCorrelation(actual, predicted, 3), Tolerance);
    }

    [Fact]
    public void PerfectIsOneInvertedIsMinusOneAndOneClassPredictedIsZero()
    {
        int[] actual = [0, 1, 1, 0, 1];
        Assert.Equal(1.0, ClassificationMetrics.MatthewsCorrelation(actual, actual, 2), Tolerance);
        Assert.Equal(-1.0, ClassificationMetrics.MatthewsCorrelation(actual, [1, 0, 0, 1, 0], 2), Tolerance);
        // Always "ham": accuracy 2/5 here, but a zero factor in the denominator → 0, as scikit-learn returns.
        Assert.Equal(0.0, ClassificationMetrics.MatthewsCorrelation(actual, [0, 0, 0, 0, 0], 2));
        Assert.Equal(0.0, new ConfusionMatrix(2).MatthewsCorrelation);
    }
}

using System;
using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public class ClassificationMetricsTests
{
    // Hand-computed: actual [0,0,1,1,1,2,2], predicted [0,1,1,1,1,0,0]; class 2 is never predicted.
    //   class 0: tp 1, fp 2, fn 1 → P 1/3, R 1/2, F1 2/5, support 2
    //   class 1: tp 3, fp 1, fn 0 → P 3/4, R 1,   F1 6/7, support 3
    //   class 2: tp 0, fp 0, fn 2 → P 0 (zero_division), R 0, F1 0, support 2
    private static readonly int[] Actual = [0, 0, 1, 1, 1, 2, 2];
    private static readonly int[] Predicted = [0, 1, 1, 1, 1, 0, 0];
    private const double Tolerance = 1e-12;

    [Fact]
    public void ConfusionMatrixCountsEachPair()
    {
        var m = ConfusionMatrix.From(Actual, Predicted, 3);
        Assert.Equal(1, m[0, 0]); Assert.Equal(1, m[0, 1]); Assert.Equal(0, m[0, 2]);
        Assert.Equal(0, m[1, 0]); Assert.Equal(3, m[1, 1]); Assert.Equal(0, m[1, 2]);
        Assert.Equal(2, m[2, 0]); Assert.Equal(0, m[2, 1]); Assert.Equal(0, m[2, 2]);
        Assert.Equal(7, m.Total);
        Assert.Equal([2L, 3L, 2L], new[] { m.Support(0), m.Support(1), m.Support(2) });
    }

    [Fact]
    public void PerClassMetricsMatchHandComputedValuesAndNeverPredictedClassGivesZero()
    {
        var m = ConfusionMatrix.From(Actual, Predicted, 3);
        Assert.Equal(1.0 / 3, m.Precision(0), Tolerance);
        Assert.Equal(3.0 / 4, m.Precision(1), Tolerance);
        Assert.Equal(0.0, m.Precision(2));
        Assert.Equal(0.5, m.Recall(0), Tolerance);
        Assert.Equal(1.0, m.Recall(1), Tolerance);
        Assert.Equal(0.0, m.Recall(2));
        Assert.Equal(2.0 / 5, m.F1(0), Tolerance);
        Assert.Equal(6.0 / 7, m.F1(1), Tolerance);
        Assert.Equal(0.0, m.F1(2));
    }

    [Fact]
    public void MacroMicroWeightedAveragesMatchHandComputedValues()
    {
        Assert.Equal(4.0 / 7, ClassificationMetrics.Accuracy(Actual, Predicted), Tolerance);
        Assert.Equal(13.0 / 36, ClassificationMetrics.Precision(Actual, Predicted, 3, Averaging.Macro), Tolerance);
        Assert.Equal(1.0 / 2, ClassificationMetrics.Recall(Actual, Predicted, 3, Averaging.Macro), Tolerance);
        Assert.Equal(44.0 / 105, ClassificationMetrics.F1(Actual, Predicted, 3, Averaging.Macro), Tolerance);
        Assert.Equal(5.0 / 12, ClassificationMetrics.Precision(Actual, Predicted, 3, Averaging.Weighted), Tolerance);
        Assert.Equal(4.0 / 7, ClassificationMetrics.Recall(Actual, Predicted, 3, Averaging.Weighted), Tolerance);
        Assert.Equal(118.0 / 245, ClassificationMetrics.F1(Actual, Predicted, 3, Averaging.Weighted), Tolerance);
        foreach (Func<int[], int[], int, Averaging, double> metric in new Func<int[], int[], int, Averaging, double>[]
                 { (a, p, c, v) => ClassificationMetrics.Precision(a, p, c, v), (a, p, c, v) => ClassificationMetrics.Recall(a, p, c, v), (a, p, c, v) => ClassificationMetrics.F1(a, p, c, v) })
            Assert.Equal(4.0 / 7, metric(Actual, Predicted, 3, Averaging.Micro), Tolerance);
    }

    [Fact]
    public void MacroIgnoresClassesAbsentFromBothActualAndPredictedLikeScikitLearn()
    {
        // A fourth class that never occurs does not pull the macro average down.
        Assert.Equal(13.0 / 36, ClassificationMetrics.Precision(Actual, Predicted, 4, Averaging.Macro), Tolerance);
        Assert.Equal(44.0 / 105, ClassificationMetrics.F1(Actual, Predicted, 4, Averaging.Macro), Tolerance);
    }

    [Fact]
    public void BinaryMetricsUseThePositiveClass()
    {
        int[] actual = [1, 1, 0, 0, 1];
        int[] predicted = [1, 0, 0, 0, 1]; // tp 2, fp 0, fn 1
        Assert.Equal(1.0, ClassificationMetrics.Precision(actual, predicted, 2, Averaging.Binary), Tolerance);
        Assert.Equal(2.0 / 3, ClassificationMetrics.Recall(actual, predicted, 2, Averaging.Binary), Tolerance);
        Assert.Equal(0.8, ClassificationMetrics.F1(actual, predicted, 2, Averaging.Binary), Tolerance);
    }

    [Fact]
    public void BinaryClassifierThatNeverPredictsPositiveGivesZerosNotNaN()
    {
        int[] actual = [1, 0, 1, 0];
        int[] predicted = [0, 0, 0, 0];
        Assert.Equal(0.0, ClassificationMetrics.Precision(actual, predicted, 2, Averaging.Binary));
        Assert.Equal(0.0, ClassificationMetrics.Recall(actual, predicted, 2, Averaging.Binary));
        Assert.Equal(0.0, ClassificationMetrics.F1(actual, predicted, 2, Averaging.Binary));
        Assert.Equal(0.25, ClassificationMetrics.Precision(actual, predicted, 2, Averaging.Macro), Tolerance); // class 0: 2/4, class 1: 0
    }

    [Fact]
    public void EmptyInputsGiveZeroNotNaN()
    {
        var m = new ConfusionMatrix(3);
        Assert.Equal(0.0, m.Accuracy);
        Assert.Equal(0.0, m.F1(Averaging.Macro));
        Assert.Equal(0.0, m.Precision(Averaging.Weighted));
    }

    [Fact]
    public void BinaryAveragingOnMultiClassThrows()
    {
        var m = ConfusionMatrix.From(Actual, Predicted, 3);
        Assert.Throws<InvalidOperationException>(() => m.F1(Averaging.Binary));
    }

    [Fact]
    public void LabelsOutOfRangeThrow()
    {
        var m = new ConfusionMatrix(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, -1));
    }

    [Fact]
    public void PrintedTableHasAHeaderAndOneRowPerActualClass()
    {
        var m = ConfusionMatrix.From(Actual, Predicted, 3, ["cat", "dog", "emu"]);
        string[] lines = m.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^actual \\ predicted\s+cat\s+dog\s+emu$", lines[0]);
        Assert.Matches(@"^cat\s+1\s+1\s+0$", lines[1]);
        Assert.Matches(@"^dog\s+0\s+3\s+0$", lines[2]);
        Assert.Matches(@"^emu\s+2\s+0\s+0$", lines[3]);
    }

    [Fact]
    public void PredictedLabelIsArgMaxOrThresholdForOneOutput()
    {
        Assert.Equal(2, ClassificationMetrics.PredictedLabel([0.1f, 0.2f, 0.7f]));
        Assert.Equal(1, ClassificationMetrics.PredictedLabel([0.5f]));
        Assert.Equal(0, ClassificationMetrics.PredictedLabel([0.49f]));
    }
}

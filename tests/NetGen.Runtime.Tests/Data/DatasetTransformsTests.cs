using System;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public class DatasetTransformsTests
{
    /// <summary>10 samples: features (i, 10·i), label i % 3.</summary>
    private static Dataset Ten() => new(
        Enumerable.Range(0, 10).SelectMany(i => new[] { (float)i, 10f * i }).ToArray(),
        Enumerable.Range(0, 10).Select(i => (float)(i % 3)).ToArray(), 10, 2, 1);

    [Fact]
    public void TrainTestSplitIsSeededDisjointAndComplete()
    {
        var (train, test) = Ten().TrainTestSplit(0.25, seed: 7);
        Assert.Equal((7, 3), (train.Count, test.Count)); // ceil(2.5) = 3 test samples
        float[] ids = [.. Enumerable.Range(0, train.Count).Select(i => train.FeatureRow(i)[0]), .. Enumerable.Range(0, test.Count).Select(i => test.FeatureRow(i)[0])];
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), ids.OrderBy(x => x));
        var (train2, _) = Ten().TrainTestSplit(0.25, seed: 7);
        Assert.Equal(train.Features, train2.Features);
        var (train3, _) = Ten().TrainTestSplit(0.25, seed: 8);
        Assert.NotEqual(train.Features, train3.Features);
        for (int i = 0; i < train.Count; i++) Assert.Equal(train.FeatureRow(i)[0] % 3, train.Targets[i]); // rows keep their targets
    }

    [Fact]
    public void ShuffleIsASeededPermutation()
    {
        Dataset a = Ten().Shuffle(3), b = Ten().Shuffle(3);
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(Ten().Features, a.Features);
        Assert.Equal(Ten().Features.OrderBy(x => x), a.Features.OrderBy(x => x));
        Assert.Equal(DatasetTransforms.Permutation(10, 3).OrderBy(x => x), Enumerable.Range(0, 10));
    }

    [Fact]
    public void StandardizerFitsOnTrainAndAppliesTheSameStatisticsToTest()
    {
        var train = new Dataset([1f, 5f, 3f, 5f, 5f, 5f], [0f, 0f, 0f], 3, 2, 1); // column 0: 1,3,5; column 1 constant
        var s = Standardizer.Fit(train);
        Assert.Equal([3f, 5f], s.Mean);
        Assert.Equal(MathF.Sqrt(8f / 3), s.Scale[0], 5);
        Assert.Equal(1f, s.Scale[1]); // constant column: scale 1, no division by zero
        s.Transform(train);
        Assert.Equal(0f, train.Features[0] + train.Features[2] + train.Features[4], 5);
        var test = new Dataset([3f, 7f], [0f], 1, 2, 1);
        s.Transform(test);
        Assert.Equal([0f, 2f], test.Features);
        Assert.Throws<ArgumentException>(() => s.Transform(new Dataset([1f], [0f], 1, 1, 1)));
    }

    [Fact]
    public void MinMaxScalerMapsTrainRangeToUnitInterval()
    {
        var train = new Dataset([0f, 10f, 5f, 20f, 10f, 30f], [0f, 0f, 0f], 3, 2, 1);
        var m = MinMaxScaler.Fit(train);
        m.Transform(train);
        Assert.Equal([0f, 0f, 0.5f, 0.5f, 1f, 1f], train.Features);
    }

    [Fact]
    public void ScaleFeaturesBringsPixelsToUnitRange()
    {
        var d = new Dataset([0f, 255f, 51f], [0f], 1, 3, 1).ScaleFeatures(1f / 255);
        Assert.Equal([0f, 255f * (1f / 255), 51f * (1f / 255)], d.Features);
        Assert.Equal(0.2f, d.Features[2], 6);
    }

    [Fact]
    public void OneHotEncodesLabelsAndRejectsBadOnes()
    {
        Dataset d = Ten().ToOneHot(3);
        Assert.Equal(3, d.TargetCount);
        Assert.Equal([0f, 0f, 1f], d.TargetRow(2).ToArray());
        Assert.Equal(2, d.Label(5));
        Assert.Throws<InvalidOperationException>(() => Ten().ToOneHot(2));
        Assert.Throws<InvalidOperationException>(() => new Dataset([0f], [0.5f], 1, 1, 1).ToOneHot(2));
    }

    [Fact]
    public void ConstructorRejectsArraysThatDoNotMatchTheCounts() =>
        Assert.Throws<ArgumentException>(() => new Dataset(new float[5], new float[2], 2, 2, 1));
}

public class DatasetLabelTests
{
    [Fact]
    public void CountPerClassRejectsTargetsThatAreNotLabels()
    {
        Assert.Throws<InvalidOperationException>(() => new Dataset([0f, 0f], [1f, -1f], 2, 1, 1).CountPerClass());
        Assert.Throws<InvalidOperationException>(() => new Dataset([0f], [float.NaN], 1, 1, 1).CountPerClass());
        Assert.Equal([1, 0, 1], new Dataset([0f, 0f], [0f, 2f], 2, 1, 1).CountPerClass());
    }
}

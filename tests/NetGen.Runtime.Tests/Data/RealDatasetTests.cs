using System.Linq;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

/// <summary>The loaders on the real files under data/, against the counts in data/SOURCES.md.</summary>
public class RealDatasetTests
{
    [Fact]
    public void IrisHas150SamplesOf4FeaturesAnd50PerClass()
    {
        Dataset iris = CsvLoader.Load(TestFiles.Data("sklearn/iris.csv"));
        Assert.Equal((150, 4, 1), (iris.Count, iris.FeatureCount, iris.TargetCount));
        Assert.Equal([50, 50, 50], iris.CountPerClass());
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames!);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.FeatureRow(0).ToArray());
    }

    [Fact]
    public void BreastCancerHas569SamplesOf30FeaturesWith212MalignantAnd357Benign()
    {
        Dataset data = CsvLoader.Load(TestFiles.Data("sklearn/breast_cancer.csv"));
        Assert.Equal((569, 30), (data.Count, data.FeatureCount));
        Assert.Equal([212, 357], data.CountPerClass());
        Assert.Equal(["malignant", "benign"], data.ClassNames!);
    }

    [Fact]
    public void DigitsHas1797SamplesOf64PixelsWithTheDocumentedClassCounts()
    {
        Dataset digits = CsvLoader.Load(TestFiles.Data("sklearn/digits.csv.gz"));
        Assert.Equal((1797, 64), (digits.Count, digits.FeatureCount));
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.CountPerClass());
        Assert.Equal(16f, digits.Features.Max());
        Assert.Equal(0f, digits.Features.Min());
    }

    [Fact]
    public void DiabetesHas442SamplesOf10FeaturesAndTargetsIn25To346()
    {
        Dataset data = CsvLoader.LoadFeaturesAndTargets(TestFiles.Data("sklearn/diabetes_data_raw.csv.gz"), TestFiles.Data("sklearn/diabetes_target.csv.gz"));
        Assert.Equal((442, 10, 1), (data.Count, data.FeatureCount, data.TargetCount));
        Assert.Equal(25f, data.Targets.Min());
        Assert.Equal(346f, data.Targets.Max());
        Assert.Equal(151f, data.Targets[0]);
        Assert.Equal([59f, 2f, 32.1f, 101f, 157f, 93.2f, 38f, 4f, 4.8598f, 87f], data.FeatureRow(0).ToArray());
    }

    [Fact]
    public void WineQualityHas1599SamplesOf11FeaturesWithTheDocumentedQualityCounts()
    {
        Dataset wine = CsvLoader.Load(TestFiles.Data("linfa/winequality-red.csv.gz"));
        Assert.Equal((1599, 11), (wine.Count, wine.FeatureCount));
        var counts = wine.Targets.GroupBy(q => (int)q).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToArray();
        Assert.Equal([(3, 10), (4, 53), (5, 681), (6, 638), (7, 199), (8, 18)], counts);
        Assert.Null(wine.ClassNames);
    }

    [Fact]
    public void MnistTestSetHas10000ImagesOf784PixelsScaledToUnitRange()
    {
        Dataset mnist = IdxLoader.LoadImagesAndLabels(TestFiles.Data("mnist/t10k-images-idx3-ubyte.gz"), TestFiles.Data("mnist/t10k-labels-idx1-ubyte.gz"));
        Assert.Equal((10000, 784), (mnist.Count, mnist.FeatureCount));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], mnist.CountPerClass());
        Assert.Equal(0f, mnist.Features.Min());
        Assert.Equal(1f, mnist.Features.Max());
    }

    [Fact]
    public void FashionMnistHas1000TestAnd6000TrainImagesPerClass()
    {
        Dataset test = IdxLoader.LoadImagesAndLabels(TestFiles.Data("fashion-mnist/t10k-images-idx3-ubyte.gz"), TestFiles.Data("fashion-mnist/t10k-labels-idx1-ubyte.gz"), pixelScale: 1f);
        Assert.Equal((10000, 784), (test.Count, test.FeatureCount));
        Assert.All(test.CountPerClass(), c => Assert.Equal(1000, c));
        Assert.Equal(255f, test.Features.Max());

        IdxArray trainImages = IdxLoader.Read(TestFiles.Data("fashion-mnist/train-images-idx3-ubyte.gz"));
        Assert.Equal([60000, 28, 28], trainImages.Dimensions);
        IdxArray trainLabels = IdxLoader.Read(TestFiles.Data("fashion-mnist/train-labels-idx1-ubyte.gz"));
        Assert.Equal([60000], trainLabels.Dimensions);
        Assert.All(trainLabels.Data.GroupBy(b => b), g => Assert.Equal(6000, g.Count()));
    }
}

using System;
using System.Globalization;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// The GAN examples' fixed scorer (data/models/fashion-lenet5-scorer.safetensors): its weights load and give
/// the test accuracy recorded in the file when it was trained, its features are the classifier's penultimate
/// layer, and real images score far above noise.
/// </summary>
public class FashionLeNet5ScorerTests
{
    private static readonly Lazy<(FashionLeNet5Scorer Scorer, float[] Images, int[] Labels, SafeTensorsFile File)> s_loaded = new(() =>
    {
        string path = RepoData.Path(FashionLeNet5Scorer.RelativePath);
        Dataset test = IdxLoader.LoadImagesAndLabels(
            RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz"), RepoData.Path("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        var labels = new int[test.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)test.TargetRow(i)[0];
        return (FashionLeNet5Scorer.Load(path), test.Features, labels, SafeTensorsFile.Read(path));
    });

    [Fact]
    public void TheWeightsGiveTheRecordedTestAccuracyOnTheFirst2000TestImages()
    {
        (FashionLeNet5Scorer scorer, float[] images, int[] labels, SafeTensorsFile file) = s_loaded.Value;
        // Recorded by examples/GanScorer when it saved the weights: correct answers among the first 2,000 test images.
        int recorded = int.Parse(file.Metadata["test_correct_first_2000"], CultureInfo.InvariantCulture);
        double accuracy = scorer.Accuracy(images.AsSpan(0, 2000 * FashionLeNet5Scorer.ImageSize), labels.AsSpan(0, 2000));
        // Within 2 images of the record: another CPU's vector width may round a near-tie the other way.
        Assert.InRange(accuracy * 2000, recorded - 2, recorded + 2);
        Assert.True(recorded >= 1780, $"the scorer was recorded at {recorded}/2000, below the 89 % LeNet-5 reaches");
        Assert.True(double.Parse(file.Metadata["test_accuracy"], CultureInfo.InvariantCulture) >= 0.89);
    }

    [Fact]
    public void TheFeaturesAreThePenultimateLayerTheProbabilitiesAreComputedFrom()
    {
        (FashionLeNet5Scorer scorer, float[] images, _, _) = s_loaded.Value;
        const int n = 5;
        ReadOnlySpan<float> batch = images.AsSpan(0, n * FashionLeNet5Scorer.ImageSize);
        float[] features = scorer.Features(batch), probabilities = scorer.Probabilities(batch);
        // p = softmax(W·f + b) with the classifier's last layer, W [10, 84] and b [10], the last parameters.
        ReadOnlySpan<float> parameters = scorer.Classifier.Parameters;
        int weights = parameters.Length - FashionLeNet5Scorer.Classes * (FashionLeNet5Scorer.FeatureSize + 1);
        for (int s = 0; s < n; s++)
        {
            var z = new double[FashionLeNet5Scorer.Classes];
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < z.Length; k++)
            {
                double v = parameters[weights + FashionLeNet5Scorer.Classes * FashionLeNet5Scorer.FeatureSize + k];
                for (int j = 0; j < FashionLeNet5Scorer.FeatureSize; j++)
                    v += parameters[weights + k * FashionLeNet5Scorer.FeatureSize + j] * (double)features[s * FashionLeNet5Scorer.FeatureSize + j];
                z[k] = v;
                max = Math.Max(max, v);
            }
            for (int k = 0; k < z.Length; k++) sum += z[k] = Math.Exp(z[k] - max);
            for (int k = 0; k < z.Length; k++)
                Assert.Equal(z[k] / sum, probabilities[s * FashionLeNet5Scorer.Classes + k], 4);
        }
        Assert.Contains(features, f => f > 0);
    }

    [Fact]
    public void RealImagesScoreFarAboveUniformNoise()
    {
        (FashionLeNet5Scorer scorer, float[] images, _, _) = s_loaded.Value;
        const int n = 1000, pixels = FashionLeNet5Scorer.ImageSize;
        // Reference: test images 1,000–1,999; real: the first 1,000; noise: U(0, 1) pixels.
        var reference = scorer.ReferenceStatistics(images.AsSpan(n * pixels, n * pixels));
        var noise = new float[n * pixels];
        var random = new Random(4);
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)random.NextDouble();
        (double realScore, double realDistance) = scorer.Measure(images.AsSpan(0, n * pixels), reference);
        (double noiseScore, double noiseDistance) = scorer.Measure(noise, reference);
        Assert.InRange(realScore, 6.5, 10);
        Assert.InRange(noiseScore, 1, 3);
        Assert.True(realDistance * 10 < noiseDistance, $"real {realDistance}, noise {noiseDistance}");
    }

    [Fact]
    public void ImagesOfTheWrongSizeAreRefusedWithTheExpectedSize()
    {
        var scorer = new FashionLeNet5Scorer();
        var e = Assert.Throws<ArgumentException>(() => scorer.Probabilities(new float[785]));
        Assert.Contains("784", e.Message);
        e = Assert.Throws<ArgumentException>(() => scorer.Accuracy(new float[784 * 2], new int[3]));
        Assert.Contains("2 labels", e.Message);
    }
}

using System;
using NetGen;
using NetGen.Metrics;
using NetGen.Serialization;

/// <summary>
/// The fixed classifier that measures generated Fashion-MNIST images: LeNet-5 trained by examples/GanScorer
/// (weights in data/models/fashion-lenet5-scorer.safetensors). It gives the class probabilities for the
/// inception-style score and the 84 penultimate-layer features for the Fréchet distance
/// (<see cref="GanQuality"/>). Images are 1×28×28, pixels in [0, 1], row-major.
/// </summary>
public sealed class FashionLeNet5Scorer
{
    /// <summary>Pixels per image (1×28×28).</summary>
    public const int ImageSize = 784;
    /// <summary>Fashion-MNIST's classes: the width of a probability row.</summary>
    public const int Classes = 10;
    /// <summary>The penultimate layer's width: the features the Fréchet distance compares.</summary>
    public const int FeatureSize = FashionLeNet5Features.OutputSize;
    /// <summary>The scorer's file, relative to the repository's data/ folder.</summary>
    public const string RelativePath = "models/fashion-lenet5-scorer.safetensors";
    // Images per Predict call: bounds the scratch the networks keep (the first conv output is 4,704 floats an image).
    private const int Chunk = 500;

    private readonly FashionLeNet5Features _features = new();

    /// <summary>A scorer with freshly initialised weights (to be trained through <see cref="Classifier"/>).</summary>
    public FashionLeNet5Scorer() { }

    /// <summary>The classifier itself (softmax outputs); train or load it, then call <see cref="SynchroniseFeatures"/>.</summary>
    public FashionLeNet5 Classifier { get; } = new();

    /// <summary>Loads the classifier's weights from a safetensors file and prepares the feature network.</summary>
    /// <exception cref="System.IO.FileNotFoundException">The file is missing.</exception>
    public static FashionLeNet5Scorer Load(string path)
    {
        var scorer = new FashionLeNet5Scorer();
        SafeTensors.Load(scorer.Classifier, path);
        scorer.SynchroniseFeatures();
        return scorer;
    }

    /// <summary>
    /// Copies the classifier's parameters into the feature network: its layers are the classifier's first
    /// seven (up to the 84-wide dense layer), so its parameters are a prefix of the classifier's.
    /// </summary>
    public void SynchroniseFeatures() =>
        Classifier.Parameters.Slice(0, FashionLeNet5Features.ParameterCount).CopyTo(_features.Parameters);

    /// <summary>p(y|x) for each image: [count, 10] rows that sum to 1.</summary>
    /// <exception cref="ArgumentException">The length is not a whole, non-zero number of 784-pixel images.</exception>
    public float[] Probabilities(ReadOnlySpan<float> images)
    {
        int count = ImageCount(images.Length);
        var probabilities = new float[count * Classes];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            Classifier.Predict(images.Slice(start * ImageSize, n * ImageSize), probabilities.AsSpan(start * Classes, n * Classes), n);
        }
        return probabilities;
    }

    /// <summary>The penultimate layer's activations (after its ReLU) for each image: [count, 84].</summary>
    /// <exception cref="ArgumentException">The length is not a whole, non-zero number of 784-pixel images.</exception>
    public float[] Features(ReadOnlySpan<float> images)
    {
        int count = ImageCount(images.Length);
        var features = new float[count * FeatureSize];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            _features.Predict(images.Slice(start * ImageSize, n * ImageSize), features.AsSpan(start * FeatureSize, n * FeatureSize), n);
        }
        return features;
    }

    /// <summary>The fraction of images whose most probable class is their label.</summary>
    /// <param name="images">[count, 784] pixels in [0, 1].</param>
    /// <param name="labels">One class index per image.</param>
    /// <exception cref="ArgumentException">The label count differs from the image count.</exception>
    public double Accuracy(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        float[] probabilities = Probabilities(images);
        if (labels.Length * Classes != probabilities.Length)
            throw new ArgumentException($"Expected {probabilities.Length / Classes} labels (one per image), but got {labels.Length}.", nameof(labels));
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            // argmax_y p(y|x)
            ReadOnlySpan<float> row = probabilities.AsSpan(i * Classes, Classes);
            int best = 0;
            for (int k = 1; k < Classes; k++) if (row[k] > row[best]) best = k;
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }

    /// <summary>
    /// Both quality figures of a set of images: the inception-style score exp(E[KL(p(y|x) ‖ p(y))]) and the
    /// Fréchet distance between the Gaussians of their features and of the reference features.
    /// </summary>
    /// <param name="images">[count, 784] pixels in [0, 1].</param>
    /// <param name="reference">The reference set's feature mean and covariance (<see cref="GanQuality.FeatureStatistics{T}"/> of <see cref="Features"/>).</param>
    public (double Score, double Frechet) Measure(ReadOnlySpan<float> images, (double[] Mean, double[] Covariance) reference)
    {
        double score = GanQuality.InceptionScore<float>(Probabilities(images), Classes);
        (double[] mean, double[] covariance) = GanQuality.FeatureStatistics<float>(Features(images), FeatureSize);
        double distance = GanQuality.FrechetDistance(mean, covariance, reference.Mean, reference.Covariance, FeatureSize);
        return (score, distance);
    }

    /// <summary>The feature mean and covariance of a reference set (the test images), computed once and reused by <see cref="Measure"/>.</summary>
    public (double[] Mean, double[] Covariance) ReferenceStatistics(ReadOnlySpan<float> images) =>
        GanQuality.FeatureStatistics<float>(Features(images), FeatureSize);

    private static int ImageCount(int length)
    {
        if (length == 0 || length % ImageSize != 0)
            throw new ArgumentException($"Expected a whole, non-zero number of {ImageSize}-pixel images (1×28×28), but got {length} values.", "images");
        return length / ImageSize;
    }
}

/// <summary>LeNet-5 on Fashion-MNIST (ReLU, max pooling): 61,706 parameters, PyTorch's layout.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 5)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionLeNet5;

/// <summary>FashionLeNet5's first seven layers: its 84 penultimate features (parameters a prefix of the classifier's).</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
public partial class FashionLeNet5Features;

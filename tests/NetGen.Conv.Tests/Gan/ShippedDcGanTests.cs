using System;
using NetGen.Data;
using NetGen.Gan;
using NetGen.Numerics;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// The DCGAN generator shipped in data/models (examples/DcGan's <c>--g deepest</c>, the round-9 run's best epoch)
/// meets the bar through the whole inference path: the generated ConvTranspose2D, Conv2D and BatchNorm code in
/// inference mode, the safetensors loader with its running statistics, and the fixed LeNet-5 scorer — 10,000 samples,
/// inception-style score ≥ 7 and a Fréchet distance below a tenth of uniform noise's.
/// </summary>
public class ShippedDcGanTests
{
    private const string RelativePath = "models/dcgan-deepest-generator.safetensors";
    private const int Samples = 10_000, Chunk = 500, Pixels = FashionLeNet5Scorer.ImageSize;

    [Fact]
    public void TheShippedGeneratorReachesTheBarOn10000Samples()
    {
        var generator = new DcGeneratorDeepest();
        SafeTensors.Load(generator, RepoData.Path(RelativePath));
        FashionLeNet5Scorer scorer = FashionLeNet5Scorer.Load(RepoData.Path(FashionLeNet5Scorer.RelativePath));
        Dataset test = IdxLoader.LoadImagesAndLabels(
            RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz"), RepoData.Path("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        var reference = scorer.ReferenceStatistics(test.Features.AsSpan(0, Samples * Pixels));

        // The examples' latents (seed 99), drawn in inference mode a chunk at a time; pixels from [−1, 1] to [0, 1].
        float[] latents = new float[Samples * DcGeneratorDeepest.InputSize], images = new float[Samples * Pixels];
        var random = SplitMix64.FromSeed(99);
        LatentNoise.Normal<float>(latents, ref random);
        for (int start = 0; start < Samples; start += Chunk)
            generator.Predict(latents.AsSpan(start * DcGeneratorDeepest.InputSize, Chunk * DcGeneratorDeepest.InputSize), images.AsSpan(start * Pixels, Chunk * Pixels), Chunk);
        for (int i = 0; i < images.Length; i++) images[i] = (images[i] + 1) / 2;
        (double score, double frechet) = scorer.Measure(images, reference);

        // The floor: uniform noise, seeded as the examples seed it.
        float[] noise = new float[Samples * Pixels];
        var noiseRandom = SplitMix64.FromSeed(5);
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)noiseRandom.NextDouble();
        (_, double noiseFrechet) = scorer.Measure(noise, reference);

        Assert.True(score >= 7, $"inception-style score {score:F3}, below the bar of 7");
        Assert.True(frechet < noiseFrechet / 10, $"Fréchet distance {frechet:F3}, not below a tenth of noise's {noiseFrechet:F3}");
        // The figures measured when the file was chosen (examples/DcGan/README.md): 7.152 and 5.527; another CPU's
        // vector width moves them in the last digits only.
        Assert.InRange(score, 7.152 - 0.02, 7.152 + 0.02);
        Assert.InRange(frechet, 5.527 - 0.1, 5.527 + 0.1);
    }
}

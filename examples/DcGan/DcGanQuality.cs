using System;
using NetGen;
using NetGen.Data;
using NetGen.Gan;
using NetGen.Numerics;

/// <summary>
/// The fixed LeNet-5 scorer with its reference figures: real images (the ceiling), uniform noise (the floor), and
/// the 10,000 latent vectors every generator is scored on (the same ones for every epoch and every variant).
/// </summary>
internal sealed class DcGanQuality
{
    /// <summary>Images scored per measurement.</summary>
    public const int Samples = 10_000;

    private const int Pixels = FashionLeNet5Scorer.ImageSize, Latent = 64;
    private readonly FashionLeNet5Scorer _scorer;
    private readonly (double[] Mean, double[] Covariance) _reference;
    private readonly float[] _latents = new float[Samples * Latent], _generated = new float[Samples * Pixels];

    /// <summary>Loads the scorer and measures the first 10,000 training images and 10,000 images of uniform noise against the 10,000 test images.</summary>
    public DcGanQuality(Dataset train, Dataset test)
    {
        _scorer = FashionLeNet5Scorer.Load(RepoData.Path(FashionLeNet5Scorer.RelativePath));
        _reference = _scorer.ReferenceStatistics(test.Features.AsSpan(0, Samples * Pixels));
        // Uniform noise in [0, 1), seeded.
        float[] uniform = new float[Samples * Pixels];
        var uniformRandom = SplitMix64.FromSeed(5);
        for (int i = 0; i < uniform.Length; i++) uniform[i] = (float)uniformRandom.NextDouble();
        Real = _scorer.Measure(train.Features.AsSpan(0, Samples * Pixels), _reference);
        Noise = _scorer.Measure(uniform, _reference);
        // z ~ N(0, 1) for the scored samples, seeded.
        var sampleRandom = SplitMix64.FromSeed(99);
        LatentNoise.Normal<float>(_latents, ref sampleRandom);
    }

    /// <summary>The first 10,000 training images' figures: the ceiling.</summary>
    public (double Score, double Frechet) Real { get; }

    /// <summary>Uniform noise's figures: the floor.</summary>
    public (double Score, double Frechet) Noise { get; }

    /// <summary>
    /// 10,000 samples in inference mode (<c>Predict</c>: BatchNorm's running statistics), pixels mapped from [−1, 1]
    /// to [0, 1] as the scorer was trained, then the inception-style score and the Fréchet distance.
    /// </summary>
    public (double Score, double Frechet) Measure<TG>(TG generator) where TG : INetwork<float> => MeasureOn(generator, _latents);

    /// <summary>
    /// The same 10,000 samples drawn as PyTorch's DCGAN draws them (the generator left in train mode): BatchNorm
    /// normalises each batch of 100 by its own statistics. On a copy, so the generator's running statistics stay as they were.
    /// </summary>
    public (double Score, double Frechet) MeasureWithBatchStatistics<TG>(TG generator) where TG : INetwork<float>, new()
    {
        const int Chunk = 100;
        var copy = new TG();
        generator.Parameters.CopyTo(copy.Parameters);
        generator.Buffers.CopyTo(copy.Buffers);
        for (int start = 0; start < Samples; start += Chunk)
            copy.Forward(_latents.AsSpan(start * Latent, Chunk * Latent), _generated.AsSpan(start * Pixels, Chunk * Pixels), Chunk);
        return ScoreGenerated();
    }

    /// <summary>
    /// The same figures on 10,000 other latent vectors (seed <paramref name="seed"/>, not the 99 every epoch is scored
    /// on): a check that a chosen epoch's score is the generator's and not its draw of samples.
    /// </summary>
    public (double Score, double Frechet) MeasureOnOtherLatents<TG>(TG generator, int seed) where TG : INetwork<float>
    {
        float[] latents = new float[Samples * Latent];
        var random = SplitMix64.FromSeed(seed);
        LatentNoise.Normal<float>(latents, ref random);
        return MeasureOn(generator, latents);
    }

    /// <summary>
    /// 10,000 samples from latents truncated to |z| ≤ <paramref name="threshold"/> (BigGAN's truncation trick: a
    /// value beyond it is drawn again; seeded, the same for every generator), in inference mode, then both figures.
    /// </summary>
    public (double Score, double Frechet) MeasureTruncated<TG>(TG generator, double threshold) where TG : INetwork<float>
    {
        float[] latents = new float[Samples * Latent];
        var random = SplitMix64.FromSeed(99);
        LatentNoise.TruncatedNormal<float>(latents, threshold, ref random);
        return MeasureOn(generator, latents);
    }

    /// <summary>10,000 samples from the given latents in inference mode, then both figures.</summary>
    private (double Score, double Frechet) MeasureOn<TG>(TG generator, float[] latents) where TG : INetwork<float>
    {
        generator.Predict(latents, _generated, Samples);
        return ScoreGenerated();
    }

    /// <summary>
    /// The score's two parts for a generator's 10,000 samples (Predict): the entropy of the class marginal p(y)
    /// (variety; ln 10 = 2.303 when the classes are equally common), the mean entropy of p(y|x) (ambiguity; 0 when
    /// every sample is classified with certainty) — the score is exp(first − second) — and each class's share of the
    /// samples' mass. The same for the real images, to compare.
    /// </summary>
    public void PrintBreakdown<TG>(TG generator, Dataset train) where TG : INetwork<float>
    {
        generator.Predict(_latents, _generated, Samples);
        for (int i = 0; i < _generated.Length; i++) _generated[i] = (_generated[i] + 1) / 2;
        Console.WriteLine("                     H(p(y))   E[H(p(y|x))]   exp(diff)   class shares (%, classes 0–9)");
        Print("generated", _scorer.Probabilities(_generated));
        Print("real", _scorer.Probabilities(train.Features.AsSpan(0, Samples * Pixels)));

        static void Print(string name, float[] probabilities)
        {
            const int Classes = FashionLeNet5Scorer.Classes;
            int count = probabilities.Length / Classes;
            double[] marginal = new double[Classes];
            double conditional = 0;
            for (int i = 0; i < count; i++)
                for (int k = 0; k < Classes; k++)
                {
                    double p = probabilities[i * Classes + k];
                    marginal[k] += p / count;
                    if (p > 0) conditional -= p * Math.Log(p) / count;
                }
            double entropy = 0;
            foreach (double m in marginal) if (m > 0) entropy -= m * Math.Log(m);
            Console.WriteLine($"  {name,-18} {entropy,8:F4}   {conditional,12:F4}   {Math.Exp(entropy - conditional),9:F3}   " +
                string.Join(" ", Array.ConvertAll(marginal, m => (100 * m).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>Whether the bar is met: score ≥ 7 and Fréchet distance below a tenth of noise's.</summary>
    public bool Reached((double Score, double Frechet) figures) => figures.Score >= 7 && figures.Frechet < Noise.Frechet / 10;

    /// <summary>Prints the ceiling, the generated figures (running and batch statistics), the floor, and the verdict on Predict's samples.</summary>
    public void PrintTable((double Score, double Frechet) inference, (double Score, double Frechet) batchStatistics)
    {
        Console.WriteLine();
        Console.WriteLine($"10,000 images each, scored by LeNet-5 (data/{FashionLeNet5Scorer.RelativePath}); Fréchet distance to the 10,000 test images.");
        Console.WriteLine("                                      inception-style score   Fréchet distance");
        Console.WriteLine($"  real (first 10,000 training)         {Real.Score,10:F3}              {Real.Frechet,12:F3}");
        Console.WriteLine($"  generated (Predict: running stats)   {inference.Score,10:F3}              {inference.Frechet,12:F3}");
        Console.WriteLine($"  generated (batch statistics, 100s)   {batchStatistics.Score,10:F3}              {batchStatistics.Frechet,12:F3}");
        Console.WriteLine($"  uniform noise                        {Noise.Score,10:F3}              {Noise.Frechet,12:F3}");
        Console.WriteLine($"Bar (score ≥ 7 and Fréchet < noise/10 = {Noise.Frechet / 10:F3}, Predict's samples): {(Reached(inference) ? "reached" : "NOT reached")}.");
    }

    // Pixels from the generator's [−1, 1] to the scorer's [0, 1], then both figures.
    private (double Score, double Frechet) ScoreGenerated()
    {
        for (int i = 0; i < _generated.Length; i++) _generated[i] = (_generated[i] + 1) / 2;
        return _scorer.Measure(_generated, _reference);
    }
}

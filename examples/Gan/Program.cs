// An MLP GAN on the 60,000 Fashion-MNIST training images: a generator (latent 64 → 784 pixels in [−1, 1])
// trained through a discriminator's input gradient (NetGen.Gan.GanStep), sample grids saved per epoch,
// the two losses plotted, and the quality measured by a fixed classifier: an inception-style score and
// the Fréchet distance of its penultimate features (the LeNet-5 of examples/GanScorer), beside the same figures for real test images and noise.
// Arguments: [epochs (3)] [output folder (the temp folder's netgen-gan)].
using System;
using System.Diagnostics;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Gan;
using NetGen.Numerics;
using NetGen.Plots;

int epochs = args.Length > 0 ? int.Parse(args[0]) : 3;
string output = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "netgen-gan");
Directory.CreateDirectory(output);

Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
const int Pixels = 784, Latent = FashionGenerator.InputSize, Batch = 64, Samples = 10_000;

// ---- The fixed LeNet-5 scorer (examples/GanScorer trained it; the weights are in the repo). ----
var scorer = FashionLeNet5Scorer.Load(RepoData.Path(FashionLeNet5Scorer.RelativePath));
Console.WriteLine($"Scorer loaded from data/{FashionLeNet5Scorer.RelativePath}.");

// ---- Real images in [−1, 1], the range of the generator's tanh. ----
float[] real = new float[train.Count * Pixels];
for (int i = 0; i < real.Length; i++) real[i] = 2 * train.Features[i] - 1;

var generator = new FashionGenerator();
var discriminator = new FashionDiscriminator();
Console.WriteLine(FashionGenerator.Summary);
Console.WriteLine(FashionDiscriminator.Summary);
var step = new GanStep<FashionGenerator, FashionDiscriminator, float>(generator, discriminator, Batch, seed: 7);

// A fixed latent batch, so the grids show the same 64 samples improving.
float[] fixedNoise = new float[64 * Latent], grid = new float[64 * Pixels];
var noiseRandom = SplitMix64.FromSeed(11);
LatentNoise.Normal<float>(fixedNoise, ref noiseRandom);

int batches = train.Count / Batch;
int[] order = new int[train.Count];
for (int i = 0; i < order.Length; i++) order[i] = i;
var shuffle = new Random(3);
float[] batch = new float[Batch * Pixels];
double[] discriminatorLosses = new double[epochs], generatorLosses = new double[epochs];
var total = Stopwatch.StartNew();
for (int epoch = 0; epoch < epochs; epoch++)
{
    var clock = Stopwatch.StartNew();
    shuffle.Shuffle(order);
    double dSum = 0, gSum = 0;
    for (int b = 0; b < batches; b++)
    {
        for (int i = 0; i < Batch; i++) real.AsSpan(order[b * Batch + i] * Pixels, Pixels).CopyTo(batch.AsSpan(i * Pixels));
        (float d, float g) = step.Run(batch);
        dSum += d;
        gSum += g;
    }
    discriminatorLosses[epoch] = dSum / batches;
    generatorLosses[epoch] = gSum / batches;
    generator.Predict(fixedNoise, grid, 64);
    string png = Path.Combine(output, $"gan-epoch{epoch + 1:D2}.png");
    SampleGrid.WritePng<float>(png, grid, 64, 28, 28);
    Console.WriteLine($"epoch {epoch + 1}/{epochs}: D loss {discriminatorLosses[epoch]:F4}, G loss {generatorLosses[epoch]:F4}, {clock.Elapsed.TotalSeconds:F1} s  → {png}");
}
Console.WriteLine($"Trained {epochs} epochs in {total.Elapsed.TotalSeconds:F0} s ({total.Elapsed.TotalSeconds / epochs:F1} s per epoch).");
string final = Path.Combine(output, "gan-final.png"), losses = Path.Combine(output, "gan-losses.png");
SampleGrid.WritePng<float>(final, grid, 64, 28, 28);
LossPlot.WritePng(losses, discriminatorLosses, generatorLosses);
Console.WriteLine($"Final grid: {final}\nLosses: {losses}");

// ---- Quality: 10,000 images each, pixels in [0, 1] as the classifier was trained. ----
float[] generated = new float[Samples * Pixels], noise = new float[Samples * Latent];
var sampleRandom = SplitMix64.FromSeed(99);
LatentNoise.Normal<float>(noise, ref sampleRandom);
generator.Predict(noise, generated, Samples);   // inference mode: BatchNorm's running statistics
for (int i = 0; i < generated.Length; i++) generated[i] = (generated[i] + 1) / 2;
float[] uniform = new float[Samples * Pixels];
var uniformRandom = SplitMix64.FromSeed(5);
for (int i = 0; i < uniform.Length; i++) uniform[i] = (float)uniformRandom.NextDouble();
float[] testImages = test.Features.AsSpan(0, Samples * Pixels).ToArray();
float[] trainImages = train.Features.AsSpan(0, Samples * Pixels).ToArray();

var reference = scorer.ReferenceStatistics(testImages);
Console.WriteLine();
Console.WriteLine($"10,000 images each, scored by LeNet-5; Fréchet distance of its 84 penultimate features to the 10,000 test images.");
Console.WriteLine("                          inception-style score   Fréchet distance");
Report("real (first 10,000 train)", trainImages);
Report("generated", generated);
Report("uniform noise", uniform);

void Report(string name, float[] images)
{
    (double score, double distance) = scorer.Measure(images, reference);
    Console.WriteLine($"  {name,-26} {score,10:F3}              {distance,12:F3}");
}

/// <summary>G: z ∈ ℝ⁶⁴ → 784 pixels in [−1, 1]; BatchNorm after each hidden layer, as DCGAN does.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(256)] [BatchNorm] [Activation(Activation.ReLU)]
[Dense(512)] [BatchNorm] [Activation(Activation.ReLU)]
[Dense(784, Activation.Tanh)]
public partial class FashionGenerator;

/// <summary>D: 784 pixels → one logit (real or fake), LeakyReLU 0.2.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(784)]
[Dense(512, Activation.LeakyReLU, Alpha = 0.2f)]
[Dense(256, Activation.LeakyReLU, Alpha = 0.2f)]
[Dense(1)]
public partial class FashionDiscriminator;

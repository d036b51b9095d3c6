// A DCGAN on the 60,000 Fashion-MNIST training images: a convolutional generator (z ∈ ℝ⁶⁴ → Dense → Reshape
// 64×7×7 → BatchNorm → ConvTranspose2D to 32×14×14 → BatchNorm → ConvTranspose2D to 1×28×28, tanh) trained
// through a convolutional discriminator (two stride-2 Conv2D, 32 and 64 filters, LeakyReLU 0.2, then one logit) with
// NetGen.Gan.GanStep: non-saturating loss, BCE from logits, Adam(2e-4, β₁ 0.5) as DCGAN does.
// Per epoch: a grid of 64 fixed samples, the time, and the quality of 10,000 samples measured by the fixed
// LeNet-5 scorer (inception-style score, Fréchet distance of its 84 penultimate features to the 10,000 test
// images); at the end the final grid and the loss plot, beside the real test images (ceiling) and noise (floor).
// Usage: dotnet run -c Release --project examples/DcGan -- [epochs (10)] [output folder (temp/netgen-dcgan)] [batches per epoch (all)]
//        [time budget in minutes (none): no epoch starts after it is spent]
//        dotnet run -c Release --project examples/DcGan -- score <generator.safetensors>   (scores saved weights, no training)
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Gan;
using NetGen.Numerics;
using NetGen.Plots;
using NetGen.Serialization;

bool scoreOnly = args.Length > 1 && args[0] == "score";
int epochs = args.Length > 0 && !scoreOnly ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
string output = args.Length > 1 && !scoreOnly ? args[1] : Path.Combine(Path.GetTempPath(), "netgen-dcgan");
Directory.CreateDirectory(output);
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
const int Pixels = FashionLeNet5Scorer.ImageSize, Latent = DcGenerator.InputSize, Batch = 64, Samples = 10_000, Grid = 64;
int batches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : train.Count / Batch;
double budgetMinutes = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : double.PositiveInfinity;

// ---- The fixed scorer, and its figures for the ceiling (real test images) and the floor (uniform noise). ----
var scorer = FashionLeNet5Scorer.Load(RepoData.Path(FashionLeNet5Scorer.RelativePath));
float[] testImages = test.Features.AsSpan(0, Samples * Pixels).ToArray();
var reference = scorer.ReferenceStatistics(testImages);
float[] uniform = new float[Samples * Pixels];
var uniformRandom = SplitMix64.FromSeed(5);
for (int i = 0; i < uniform.Length; i++) uniform[i] = (float)uniformRandom.NextDouble();
var trainFigures = scorer.Measure(train.Features.AsSpan(0, Samples * Pixels), reference);
var noiseFigures = scorer.Measure(uniform, reference);
float[] sampleNoise = new float[Samples * Latent], generated = new float[Samples * Pixels];
var sampleRandom = SplitMix64.FromSeed(99);
LatentNoise.Normal<float>(sampleNoise, ref sampleRandom);
var generator = new DcGenerator();
if (scoreOnly)
{
    SafeTensors.Load(generator, args[1]);
    Console.WriteLine($"Generator loaded from {args[1]}.");
    PrintTable(Quality(), BatchStatisticsQuality());
    return;
}

// ---- Real images in [−1, 1], the range of the generator's tanh. ----
float[] real = new float[train.Count * Pixels];
for (int i = 0; i < real.Length; i++) real[i] = 2 * train.Features[i] - 1;

var discriminator = new DcDiscriminator();
Console.WriteLine(DcGenerator.Summary);
Console.WriteLine(DcDiscriminator.Summary);
var step = new GanStep<DcGenerator, DcDiscriminator, float>(generator, discriminator, Batch, seed: 7);

// A fixed latent batch, so the grids show the same 64 samples improving; another for the 10,000 scored samples.
float[] fixedNoise = new float[Grid * Latent], grid = new float[Grid * Pixels];
var noiseRandom = SplitMix64.FromSeed(11);
LatentNoise.Normal<float>(fixedNoise, ref noiseRandom);

int[] order = new int[train.Count];
for (int i = 0; i < order.Length; i++) order[i] = i;
var shuffle = new Random(3);
float[] batch = new float[Batch * Pixels];
// Losses averaged over every 100 steps (fewer in a short run), for the plot.
int plotEvery = Math.Clamp(batches / 4, 1, 100);
var discriminatorLosses = new List<double>();
var generatorLosses = new List<double>();
double dWindow = 0, gWindow = 0;
int window = 0;
(double Score, double Frechet) figures = (0, 0);
var total = Stopwatch.StartNew();
// CPU time besides wall time: on a shared machine the wall clock also counts other people's work.
TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
int trained = 0;
for (int epoch = 0; epoch < epochs && total.Elapsed.TotalMinutes < budgetMinutes; epoch++)
{
    var clock = Stopwatch.StartNew();
    TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    shuffle.Shuffle(order);
    double dSum = 0, gSum = 0;
    for (int b = 0; b < batches; b++)
    {
        for (int i = 0; i < Batch; i++) real.AsSpan(order[b * Batch + i] * Pixels, Pixels).CopyTo(batch.AsSpan(i * Pixels));
        (float d, float g) = step.Run(batch);
        dSum += d;
        gSum += g;
        dWindow += d;
        gWindow += g;
        if (++window == plotEvery)
        {
            discriminatorLosses.Add(dWindow / window);
            generatorLosses.Add(gWindow / window);
            dWindow = gWindow = window = 0;
        }
    }
    double seconds = clock.Elapsed.TotalSeconds, cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    generator.Predict(fixedNoise, grid, Grid);
    string png = Path.Combine(output, $"dcgan-epoch{epoch + 1:D2}.png");
    SampleGrid.WritePng<float>(png, grid, Grid, 28, 28);
    figures = Quality();
    Console.WriteLine($"epoch {epoch + 1}/{epochs}: D loss {dSum / batches:F4}, G loss {gSum / batches:F4}, {seconds:F1} s ({cpuSeconds:F1} s CPU); " +
        $"score {figures.Score:F3}, Fréchet {figures.Frechet:F3}  → {png}");
    SafeTensors.Save(generator, Path.Combine(output, "dcgan-generator.safetensors"));
    trained++;
}
if (trained < epochs) Console.WriteLine($"Stopped after {trained} of {epochs} epochs: the {budgetMinutes} minute budget is spent.");
double trainingSeconds = total.Elapsed.TotalSeconds, trainingCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
string final = Path.Combine(output, "dcgan-final.png"), losses = Path.Combine(output, "dcgan-losses.png");
SampleGrid.WritePng<float>(final, grid, Grid, 28, 28);
LossPlot.WritePng(losses, discriminatorLosses.ToArray(), generatorLosses.ToArray(), xLabel: $"step (×{plotEvery})");
Console.WriteLine($"Trained {trained} epochs of {batches} steps in {trainingSeconds:F0} s (with scoring; {trainingSeconds / trained:F1} s per epoch), CPU time {trainingCpu:F0} s ({trainingCpu / trained:F1} s per epoch).");
Console.WriteLine($"Final grid: {final}\nLosses: {losses}\nGenerator weights: {Path.Combine(output, "dcgan-generator.safetensors")}");

PrintTable(figures, BatchStatisticsQuality());

void PrintTable((double Score, double Frechet) inference, (double Score, double Frechet) batchStatistics)
{
    Console.WriteLine();
    Console.WriteLine($"10,000 images each, scored by LeNet-5 (data/{FashionLeNet5Scorer.RelativePath}); Fréchet distance to the 10,000 test images.");
    Console.WriteLine("                                      inception-style score   Fréchet distance");
    Console.WriteLine($"  real (first 10,000 training)         {trainFigures.Score,10:F3}              {trainFigures.Frechet,12:F3}");
    Console.WriteLine($"  generated (Predict: running stats)   {inference.Score,10:F3}              {inference.Frechet,12:F3}");
    Console.WriteLine($"  generated (batch statistics, 100s)   {batchStatistics.Score,10:F3}              {batchStatistics.Frechet,12:F3}");
    Console.WriteLine($"  uniform noise                        {noiseFigures.Score,10:F3}              {noiseFigures.Frechet,12:F3}");
    bool reached = inference.Score >= 7 && inference.Frechet < noiseFigures.Frechet / 10;
    Console.WriteLine($"Bar (score ≥ 7 and Fréchet < noise/10 = {noiseFigures.Frechet / 10:F3}, Predict's samples): {(reached ? "reached" : "NOT reached")}.");
}

// 10,000 samples in inference mode (BatchNorm's running statistics), pixels mapped from [−1, 1] to [0, 1]
// as the scorer was trained, then both figures.
(double Score, double Frechet) Quality()
{
    generator.Predict(sampleNoise, generated, Samples);
    for (int i = 0; i < generated.Length; i++) generated[i] = (generated[i] + 1) / 2;
    return scorer.Measure(generated, reference);
}

// The same 10,000 samples drawn as PyTorch's DCGAN draws them (the generator left in train mode): BatchNorm
// normalises each batch of 100 by its own statistics. A copy of the generator, so its running statistics stay as they were.
(double Score, double Frechet) BatchStatisticsQuality()
{
    const int Chunk = 100;
    var copy = new DcGenerator();
    generator.Parameters.CopyTo(copy.Parameters);
    generator.Buffers.CopyTo(copy.Buffers);
    for (int start = 0; start < Samples; start += Chunk)
        copy.Forward(sampleNoise.AsSpan(start * Latent, Chunk * Latent), generated.AsSpan(start * Pixels, Chunk * Pixels), Chunk);
    for (int i = 0; i < generated.Length; i++) generated[i] = (generated[i] + 1) / 2;
    return scorer.Measure(generated, reference);
}

/// <summary>G: z ∈ ℝ⁶⁴ → 64×7×7 → 32×14×14 → 1×28×28 in [−1, 1]; BatchNorm + ReLU between, as DCGAN does.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(64 * 7 * 7)]
[Reshape(64, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(32, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGenerator;

/// <summary>D: 1×28×28 → 32×14×14 → 64×7×7 → one logit (real or fake), LeakyReLU 0.2.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(32, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(64, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminator;

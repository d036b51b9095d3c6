using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Gan;
using NetGen.Numerics;
using NetGen.Plots;
using NetGen.Serialization;

/// <summary>
/// What one run trains: its length, its folder, the Adam rates, D's real label, the saved generator to start from
/// (empty: a fresh one), and a line naming the variant.
/// </summary>
internal sealed record DcGanSettings(int Epochs, string Output, int BatchesPerEpoch, double BudgetMinutes,
    double DiscriminatorRate, double GeneratorRate, float RealLabel, string ResumeFrom, string Variant, double AverageDecay = 0,
    string ContinueFrom = "", int DecayFrom = 0, NetGen.Gan.GanObjective Objective = NetGen.Gan.GanObjective.NonSaturating,
    string DeepenFrom = "", string DeepenSource = "full", int DiscriminatorSteps = 1, string DeepenDiscriminatorSource = "")
{
    /// <summary>Real and fake samples per step.</summary>
    public const int Batch = 64;
}

/// <summary>The training loop, generic over the generator and discriminator classes.</summary>
internal static class DcGanTraining
{
    private const int Pixels = FashionLeNet5Scorer.ImageSize, Grid = 64;
    // The seed of the 10,000 latents the best epoch is rescored on (every epoch is scored on DcGanQuality's, seed 99).
    internal const int OtherLatentSeed = 2026;
    private const string GeneratorCheckpoint = "dcgan-generator-checkpoint.safetensors", DiscriminatorCheckpoint = "dcgan-discriminator-checkpoint.safetensors";

    /// <summary>
    /// Trains G and D with <see cref="GanStep{TGenerator, TDiscriminator, T}"/> on the 60,000 training images scaled
    /// to [−1, 1]; after every epoch writes the grid of 64 fixed samples, the generator's weights and the quality of
    /// 10,000 samples; at the end the final grid, the loss plot and the table against the ceiling and the floor.
    /// </summary>
    public static void Run<TG, TD>(TG generator, TD discriminator, DcGanSettings settings, DcGanQuality quality)
        where TG : INetwork<float>, new() where TD : INetwork<float>
    {
        Dataset train = IdxLoader.LoadImagesAndLabels(
            RepoData.Path("fashion-mnist/train-images-idx3-ubyte.gz"), RepoData.Path("fashion-mnist/train-labels-idx1-ubyte.gz"));
        int latent = generator.InputSize, batches = settings.BatchesPerEpoch, batch = DcGanSettings.Batch;
        // Real images in [−1, 1], the range of the generator's tanh.
        float[] real = new float[train.Count * Pixels];
        for (int i = 0; i < real.Length; i++) real[i] = 2 * train.Features[i] - 1;

        Console.WriteLine($"Variant: {settings.Variant}.");
        if (settings.ResumeFrom.Length > 0)
        {
            SafeTensors.Load(generator, settings.ResumeFrom);
            var start = quality.Measure(generator);
            Console.WriteLine($"Resumed generator: score {start.Score:F3}, Fréchet {start.Frechet:F3}.");
        }
        if (settings.ContinueFrom.Length > 0)
        {
            // Both networks with their Adam states (and G's running statistics) from a run's checkpoints: training goes
            // on where it stopped (the shuffles and latent draws start again from their seeds).
            SafeTensors.LoadCheckpoint(generator, Path.Combine(settings.ContinueFrom, GeneratorCheckpoint));
            SafeTensors.LoadCheckpoint(discriminator, Path.Combine(settings.ContinueFrom, DiscriminatorCheckpoint));
            var start = quality.Measure(generator);
            Console.WriteLine($"Continued from {settings.ContinueFrom} after {generator.OptimizerStep:N0} steps: score {start.Score:F3}, Fréchet {start.Frechet:F3}.");
        }
        if (settings.DeepenFrom.Length > 0)
        {
            // A trained G (with its Adam state) copied into this deeper one (or as it is, when --deepen-g names the
            // same G), the new convolutions set to the identity; D goes on from its checkpoint, or is deepened too
            // (--deepen-d). The two generators must draw the same images.
            INetwork<float> shallow = settings.DeepenSource switch
            {
                "full" => new DcGeneratorFull(),
                "deep" => new DcGeneratorDeep(),
                "deeper" => new DcGeneratorDeeper(),
                _ => throw new ArgumentException($"--deepen-g must be full, deep or deeper, not {settings.DeepenSource}."),
            };
            SafeTensors.LoadCheckpoint(shallow, Path.Combine(settings.DeepenFrom, GeneratorCheckpoint));
            if (settings.DeepenDiscriminatorSource.Length > 0) DeepenDiscriminator(discriminator, settings, real);
            else SafeTensors.LoadCheckpoint(discriminator, Path.Combine(settings.DeepenFrom, DiscriminatorCheckpoint));
            List<string> added = Deepening.Deepen(shallow, generator);
            float[] probe = new float[Grid * latent];
            var probeRandom = SplitMix64.FromSeed(5);
            LatentNoise.Normal<float>(probe, ref probeRandom);
            float largest = LargestDifference(shallow, generator, probe, Grid * Pixels);
            var was = quality.Measure(shallow);
            var now = quality.Measure(generator);
            Console.WriteLine($"Deepened the G of {settings.DeepenFrom} after {generator.OptimizerStep:N0} steps: new tensors {string.Join(", ", added)} (identity); " +
                $"largest pixel difference over 64 samples {largest:G3}; score {was.Score:F3} → {now.Score:F3}, Fréchet {was.Frechet:F3} → {now.Frechet:F3}.");
            if (largest > 1e-4f) throw new InvalidOperationException($"The deepened generator draws other images (difference {largest}).");
        }
        Console.WriteLine($"{typeof(TG).Name}: {generator.ParameterCount:N0} parameters, {generator.Buffers.Length} buffers; " +
            $"{typeof(TD).Name}: {discriminator.ParameterCount:N0} parameters, {discriminator.Buffers.Length} buffers.");
        generator.LearningRate = settings.GeneratorRate;
        discriminator.LearningRate = settings.DiscriminatorRate;
        var step = new GanStep<TG, TD, float>(generator, discriminator, batch, seed: 7) { RealLabel = settings.RealLabel, Objective = settings.Objective };
        // With --ema: an exponential moving average of G's weights, sampled from a second generator (G itself trains on).
        ParameterAverage<float>? average = settings.AverageDecay > 0 ? new ParameterAverage<float>(generator, settings.AverageDecay) : null;
        TG averaged = new();
        (double Score, double Frechet) averagedFigures = (0, 0);

        // A fixed latent batch, so the grids show the same 64 samples improving.
        float[] fixedNoise = new float[Grid * latent], grid = new float[Grid * Pixels], averagedGrid = new float[Grid * Pixels];
        var noiseRandom = SplitMix64.FromSeed(11);
        LatentNoise.Normal<float>(fixedNoise, ref noiseRandom);

        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var shuffle = new Random(3);
        float[] realBatch = new float[batch * Pixels];
        // Losses averaged over every 100 steps (fewer in a short run), for the plot.
        int plotEvery = Math.Clamp(batches / 4, 1, 100);
        var discriminatorLosses = new List<double>();
        var generatorLosses = new List<double>();
        double dWindow = 0, gWindow = 0;
        int window = 0;
        (double Score, double Frechet) figures = (0, 0);
        // The best-scoring epoch's generator (G or, with --ema, its average), saved as it is reached and rescored at
        // the end on other latents: GAN training oscillates from epoch to epoch, and the last epoch is not the best.
        (double Score, double Frechet) best = (0, 0);
        string bestName = "", bestWeights = Path.Combine(settings.Output, "dcgan-generator-best.safetensors");
        var total = Stopwatch.StartNew();
        // CPU time besides wall time: on a shared machine the wall clock also counts other people's work.
        TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        int trained = 0;
        float lastGeneratorLoss = 0;
        for (int epoch = 0; epoch < settings.Epochs && total.Elapsed.TotalMinutes < settings.BudgetMinutes; epoch++)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            shuffle.Shuffle(order);
            double dSum = 0, gSum = 0;
            for (int b = 0; b < batches; b++)
            {
                // With --decay-from e: both Adam rates fall linearly from their set values at the start of epoch e to
                // zero at the end of the last epoch (CycleGAN's schedule); before it they are constant.
                if (settings.DecayFrom > 0 && epoch + 1 >= settings.DecayFrom)
                {
                    double done = (double)((epoch + 1 - settings.DecayFrom) * batches + b) / ((settings.Epochs - settings.DecayFrom + 1) * batches);
                    generator.LearningRate = settings.GeneratorRate * (1 - done);
                    discriminator.LearningRate = settings.DiscriminatorRate * (1 - done);
                }
                for (int i = 0; i < batch; i++) real.AsSpan(order[b * batch + i] * Pixels, Pixels).CopyTo(realBatch.AsSpan(i * Pixels));
                // D's step on this real batch; G's step after every DiscriminatorSteps of them (1: GanStep.Run's order).
                float d = step.DiscriminatorStep(realBatch);
                if ((b + 1) % settings.DiscriminatorSteps == 0)
                {
                    lastGeneratorLoss = step.GeneratorStep();
                    average?.Update(generator);
                }
                float g = lastGeneratorLoss;
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
            string png = Path.Combine(settings.Output, $"dcgan-epoch{epoch + 1:D2}.png");
            SampleGrid.WritePng<float>(png, grid, Grid, 28, 28);
            figures = quality.Measure(generator);
            Console.WriteLine($"epoch {epoch + 1}/{settings.Epochs}: D loss {dSum / batches:F4}, G loss {gSum / batches:F4}, {seconds:F1} s ({cpuSeconds:F1} s CPU), rates G {generator.LearningRate:G3} / D {discriminator.LearningRate:G3}; " +
                $"score {figures.Score:F3}, Fréchet {figures.Frechet:F3}  → {png}");
            SafeTensors.Save(generator, Path.Combine(settings.Output, "dcgan-generator.safetensors"));
            // Both networks with their optimizer states, so a later run can go on (--continue <folder>).
            SafeTensors.SaveCheckpoint(generator, Path.Combine(settings.Output, GeneratorCheckpoint));
            SafeTensors.SaveCheckpoint(discriminator, Path.Combine(settings.Output, DiscriminatorCheckpoint));
            if (average is not null)
            {
                average.CopyTo(averaged, generator);
                averagedFigures = quality.Measure(averaged);
                averaged.Predict(fixedNoise, averagedGrid, Grid);
                string averagedPng = Path.Combine(settings.Output, $"dcgan-ema-epoch{epoch + 1:D2}.png");
                SampleGrid.WritePng<float>(averagedPng, averagedGrid, Grid, 28, 28);
                Console.WriteLine($"  averaged G (EMA {settings.AverageDecay}): score {averagedFigures.Score:F3}, Fréchet {averagedFigures.Frechet:F3}  → {averagedPng}");
                SafeTensors.Save(averaged, Path.Combine(settings.Output, "dcgan-generator-ema.safetensors"));
            }
            if (figures.Score > best.Score) KeepBest(generator, figures, $"G after epoch {epoch + 1}");
            if (average is not null && averagedFigures.Score > best.Score) KeepBest(averaged, averagedFigures, $"averaged G after epoch {epoch + 1}");
            trained++;
        }
        if (trained < settings.Epochs) Console.WriteLine($"Stopped after {trained} of {settings.Epochs} epochs: the {settings.BudgetMinutes} minute budget is spent.");
        double trainingSeconds = total.Elapsed.TotalSeconds, trainingCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        string final = Path.Combine(settings.Output, "dcgan-final.png"), losses = Path.Combine(settings.Output, "dcgan-losses.png");
        SampleGrid.WritePng<float>(final, grid, Grid, 28, 28);
        LossPlot.WritePng(losses, discriminatorLosses.ToArray(), generatorLosses.ToArray(), xLabel: $"step (×{plotEvery})");
        Console.WriteLine($"Trained {trained} epochs of {batches} steps in {trainingSeconds:F0} s (with scoring; {trainingSeconds / trained:F1} s per epoch), CPU time {trainingCpu:F0} s ({trainingCpu / trained:F1} s per epoch).");
        Console.WriteLine($"Final grid: {final}\nLosses: {losses}\nGenerator weights: {Path.Combine(settings.Output, "dcgan-generator.safetensors")}");
        quality.PrintTable(figures, quality.MeasureWithBatchStatistics(generator));
        quality.PrintBreakdown(generator, train);
        if (bestName.Length > 0)
        {
            var bestGenerator = new TG();
            SafeTensors.Load(bestGenerator, bestWeights);
            var other = quality.MeasureOnOtherLatents(bestGenerator, OtherLatentSeed);
            Console.WriteLine($"Best epoch: {bestName}, score {best.Score:F3}, Fréchet {best.Frechet:F3} (weights: {bestWeights}); " +
                $"on 10,000 other latents (seed {OtherLatentSeed}): score {other.Score:F3}, Fréchet {other.Frechet:F3}, bar {(quality.Reached(other) ? "reached" : "not reached")}.");
        }
        if (average is not null)
        {
            Console.WriteLine($"The averaged generator (EMA {settings.AverageDecay}; weights: {Path.Combine(settings.Output, "dcgan-generator-ema.safetensors")}):");
            quality.PrintTable(averagedFigures, quality.MeasureWithBatchStatistics(averaged));
        }

        void KeepBest(TG candidate, (double Score, double Frechet) candidateFigures, string name)
        {
            best = candidateFigures;
            bestName = name;
            SafeTensors.Save(candidate, bestWeights);
        }
    }

    /// <summary>
    /// --deepen-d: the folder's trained D copied into this deeper one (Deepening, the new convolution the identity);
    /// both must give the same logits for 64 real images.
    /// </summary>
    private static void DeepenDiscriminator<TD>(TD discriminator, DcGanSettings settings, float[] real) where TD : INetwork<float>
    {
        INetwork<float> shallow = settings.DeepenDiscriminatorSource switch
        {
            "full" => new DcDiscriminatorFull(),
            _ => throw new ArgumentException($"--deepen-d must be full, not {settings.DeepenDiscriminatorSource}."),
        };
        SafeTensors.LoadCheckpoint(shallow, Path.Combine(settings.DeepenFrom, DiscriminatorCheckpoint));
        List<string> added = Deepening.Deepen(shallow, discriminator);
        float largest = LargestDifference(shallow, discriminator, real.AsSpan(0, Grid * Pixels), Grid);
        Console.WriteLine($"Deepened the D of {settings.DeepenFrom}: new tensors {string.Join(", ", added)} (identity); largest logit difference over 64 real images {largest:G3}.");
        if (largest > 1e-4f) throw new InvalidOperationException($"The deepened discriminator gives other logits (difference {largest}).");
    }

    /// <summary>
    /// The largest difference between two networks' outputs (<paramref name="outputs"/> values) for the same
    /// <see cref="Grid"/> inputs: a deepened network must compute what the shallow one did.
    /// </summary>
    private static float LargestDifference(INetwork<float> shallow, INetwork<float> deepened, ReadOnlySpan<float> probe, int outputs)
    {
        float[] before = new float[outputs], after = new float[outputs];
        shallow.Predict(probe, before, Grid);
        deepened.Predict(probe, after, Grid);
        float largest = 0;
        for (int i = 0; i < outputs; i++) largest = Math.Max(largest, Math.Abs(before[i] - after[i]));
        return largest;
    }
}

// A DCGAN on the 60,000 Fashion-MNIST training images: a convolutional generator (z ∈ ℝ⁶⁴ → Dense → Reshape
// C×7×7 → BatchNorm → ConvTranspose2D to C/2×14×14 → BatchNorm → ConvTranspose2D to 1×28×28, tanh) trained
// through a convolutional discriminator (two stride-2 Conv2D, LeakyReLU 0.2, then one logit) with
// NetGen.Gan.GanStep: non-saturating loss, BCE from logits, Adam(β₁ 0.5) as DCGAN does. The networks are in Networks.cs.
// Per epoch: a grid of 64 fixed samples, the time, and the quality of 10,000 samples measured by the fixed
// LeNet-5 scorer (inception-style score, Fréchet distance of its 84 penultimate features to the 10,000 test
// images); at the end the final grid and the loss plot, beside the real test images (ceiling) and noise (floor).
// Usage: dotnet run -c Release --project examples/DcGan -- [epochs (10)] [output folder (temp/netgen-dcgan)] [batches per epoch (all)]
//        [time budget in minutes (none): no epoch starts after it is spent] [options]
//        dotnet run -c Release --project examples/DcGan -- score <generator.safetensors> [--g half|full|deep|deeper|deepest]  (scores saved weights,
//        also on 10,000 other latents)
// Options (defaults: the configuration of the measured 14-epoch run): --g half|full, --d half|half-bn|full|full-bn,
//        --lr-d <Adam rate of D>, --lr-g <Adam rate of G>, --real-label <D's target for real images, e.g. 0.9>,
//        --resume <generator.safetensors>: start G from saved weights (and BatchNorm buffers) instead of its seeded
//        initialisation; D and both optimizers start fresh (the file holds G's weights only);
//        --ema <decay, e.g. 0.999>: also keep an exponential moving average of G's weights and score it every epoch;
//        --threads <n>: at most n threads per kernel (default: all cores);
//        --truncation <t1,t2,...> (with score): also score samples from latents truncated to |z| ≤ t;
//        --seeds <s1,s2,...> (with score): also score 10,000 samples from each seed's latents, with the spread;
//        --continue <folder>: go on from a run's checkpoints (both networks and their Adam states, saved every epoch);
//        --decay-from <epoch>: both Adam rates fall linearly to 0 from the start of that epoch to the end of the last;
//        --loss bce|hinge: the objective (GanStep.Objective): BCE from logits with the non-saturating G loss, or hinge;
//        --g deep|deeper|deepest: full widths with one (14×14), two (7×7 and 14×14) or four (two at each) extra 3×3
//        convolutions in G;
//        --deepen-from <folder>: start a deeper G from a shallower run's checkpoints (its --g given by --deepen-g,
//        default full), the new convolutions set to the identity (Net2DeeperNet: the same function to begin with),
//        and D from the same folder;
//        --d deep with --deepen-from and --deepen-d full: D one convolution deeper, started from the folder's full D;
//        --d-steps <k>: k discriminator steps (each on its own real batch) per generator step (default 1).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Serialization;

var options = new Dictionary<string, string>
{
    ["--g"] = "half", ["--d"] = "half", ["--lr-d"] = "2e-4", ["--lr-g"] = "2e-4", ["--real-label"] = "1", ["--resume"] = "",
    ["--ema"] = "0", ["--threads"] = "0", ["--truncation"] = "", ["--continue"] = "", ["--decay-from"] = "0",
    ["--loss"] = "bce", ["--seeds"] = "", ["--deepen-from"] = "", ["--deepen-g"] = "full", ["--d-steps"] = "1", ["--deepen-d"] = "",
};
var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal)) { positional.Add(args[i]); continue; }
    if (!options.ContainsKey(args[i]) || i + 1 >= args.Length)
        throw new ArgumentException($"Unknown option or missing value: {args[i]} (known: {string.Join(", ", options.Keys)}).");
    options[args[i]] = args[++i];
}
double Number(string key) => double.Parse(options[key], CultureInfo.InvariantCulture);

bool scoreOnly = positional.Count > 1 && positional[0] == "score";
int epochs = positional.Count > 0 && !scoreOnly ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 10;
string output = positional.Count > 1 && !scoreOnly ? positional[1] : Path.Combine(Path.GetTempPath(), "netgen-dcgan");
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
var settings = new DcGanSettings(
    Epochs: epochs,
    Output: output,
    BatchesPerEpoch: positional.Count > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : train.Count / DcGanSettings.Batch,
    BudgetMinutes: positional.Count > 3 ? double.Parse(positional[3], CultureInfo.InvariantCulture) : double.PositiveInfinity,
    DiscriminatorRate: Number("--lr-d"),
    GeneratorRate: Number("--lr-g"),
    RealLabel: (float)Number("--real-label"),
    ResumeFrom: options["--resume"],
    AverageDecay: Number("--ema"),
    ContinueFrom: options["--continue"],
    DecayFrom: (int)Number("--decay-from"),
    DeepenFrom: options["--deepen-from"],
    DeepenSource: options["--deepen-g"],
    DiscriminatorSteps: (int)Number("--d-steps"),
    DeepenDiscriminatorSource: options["--deepen-d"],
    Objective: options["--loss"] switch
    {
        "bce" => NetGen.Gan.GanObjective.NonSaturating,
        "hinge" => NetGen.Gan.GanObjective.Hinge,
        _ => throw new ArgumentException($"--loss must be bce or hinge, not {options["--loss"]}."),
    },
    Variant: $"G {options["--g"]}, D {options["--d"]}, Adam rates D {options["--lr-d"]} / G {options["--lr-g"]}, real label {options["--real-label"]}" +
        (options["--resume"].Length > 0 ? $", G resumed from {options["--resume"]}, D fresh" : "") +
        (options["--continue"].Length > 0 ? $", continued from the checkpoints in {options["--continue"]}" : "") +
        (Number("--ema") > 0 ? $", G's weights also averaged (EMA {options["--ema"]})" : "") +
        (Number("--decay-from") > 0 ? $", both rates decayed linearly to 0 from epoch {options["--decay-from"]} to the last" : "") +
        (options["--loss"] == "hinge" ? ", hinge objective" : "") +
        (options["--deepen-d"].Length > 0 ? $", D deepened from the {options["--deepen-d"]} D" : "") +
        (Number("--d-steps") > 1 ? $", {options["--d-steps"]} D steps per G step" : "") +
        (options["--deepen-from"].Length > 0 ? $", deepened from the {options["--deepen-g"]} G's checkpoints in {options["--deepen-from"]}" : ""));
if (settings.DiscriminatorSteps < 1) throw new ArgumentException($"--d-steps must be 1 or more, not {options["--d-steps"]}.");
if (Number("--threads") > 0) NetGen.Numerics.Parallelism.MaxThreads = (int)Number("--threads");
Directory.CreateDirectory(output);
var quality = new DcGanQuality(train, test);

// Dispatch on the chosen generator and discriminator (each a generated class of its own).
if (scoreOnly)
{
    string weights = positional[1];
    switch (options["--g"])
    {
        case "half": ScoreSaved(new DcGenerator(), weights); break;
        case "full": ScoreSaved(new DcGeneratorFull(), weights); break;
        case "deep": ScoreSaved(new DcGeneratorDeep(), weights); break;
        case "deeper": ScoreSaved(new DcGeneratorDeeper(), weights); break;
        case "deepest": ScoreSaved(new DcGeneratorDeepest(), weights); break;
        default: throw new ArgumentException($"--g must be half, full, deep, deeper or deepest, not {options["--g"]}.");
    }
    return;
}
switch (options["--g"])
{
    case "half": WithDiscriminator(new DcGenerator()); break;
    case "full": WithDiscriminator(new DcGeneratorFull()); break;
    case "deep": WithDiscriminator(new DcGeneratorDeep()); break;
    case "deeper": WithDiscriminator(new DcGeneratorDeeper()); break;
    case "deepest": WithDiscriminator(new DcGeneratorDeepest()); break;
    default: throw new ArgumentException($"--g must be half, full, deep, deeper or deepest, not {options["--g"]}.");
}

void WithDiscriminator<TG>(TG generator) where TG : INetwork<float>, new()
{
    switch (options["--d"])
    {
        case "half": DcGanTraining.Run(generator, new DcDiscriminator(), settings, quality); break;
        case "half-bn": DcGanTraining.Run(generator, new DcDiscriminatorBatchNorm(), settings, quality); break;
        case "full": DcGanTraining.Run(generator, new DcDiscriminatorFull(), settings, quality); break;
        case "full-bn": DcGanTraining.Run(generator, new DcDiscriminatorFullBatchNorm(), settings, quality); break;
        case "deep": DcGanTraining.Run(generator, new DcDiscriminatorDeep(), settings, quality); break;
        default: throw new ArgumentException($"--d must be half, half-bn, full, full-bn or deep, not {options["--d"]}.");
    }
}

void ScoreSaved<TG>(TG generator, string weights) where TG : INetwork<float>, new()
{
    SafeTensors.Load(generator, weights);
    Console.WriteLine($"Generator loaded from {weights}.");
    quality.PrintTable(quality.Measure(generator), quality.MeasureWithBatchStatistics(generator));
    quality.PrintBreakdown(generator, train);
    PrintRow($"on 10,000 other latents (seed {DcGanTraining.OtherLatentSeed})     ", quality.MeasureOnOtherLatents(generator, DcGanTraining.OtherLatentSeed));
    // --seeds 1,2,3: the same generator scored on 10,000 latents from each seed, with the spread of both figures
    // (how much of an epoch-to-epoch difference is the draw of samples).
    var seeded = new List<(double Score, double Frechet)>();
    foreach (string seed in options["--seeds"].Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        var figures = quality.MeasureOnOtherLatents(generator, int.Parse(seed, CultureInfo.InvariantCulture));
        seeded.Add(figures);
        PrintRow($"latents of seed {seed,-6}                  ", figures);
    }
    if (seeded.Count > 1)
    {
        (double mean, double deviation) Spread(Func<(double Score, double Frechet), double> pick)
        {
            double mean = seeded.Average(pick);
            return (mean, Math.Sqrt(seeded.Sum(f => (pick(f) - mean) * (pick(f) - mean)) / (seeded.Count - 1)));
        }
        var (scoreMean, scoreDeviation) = Spread(f => f.Score);
        var (frechetMean, frechetDeviation) = Spread(f => f.Frechet);
        Console.WriteLine($"  over {seeded.Count} seeds: score {scoreMean:F3} ± {scoreDeviation:F3} (mean ± standard deviation), min {seeded.Min(f => f.Score):F3}; Fréchet {frechetMean:F3} ± {frechetDeviation:F3}, max {seeded.Max(f => f.Frechet):F3}");
    }
    // --truncation 0.5,1,1.5: the same generator sampled from truncated latents (a trade of variety for fidelity).
    foreach (string threshold in options["--truncation"].Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        PrintRow($"truncated latents |z| ≤ {threshold,-5}           ", quality.MeasureTruncated(generator, double.Parse(threshold, CultureInfo.InvariantCulture)));
    }

    void PrintRow(string label, (double Score, double Frechet) figures)
        => Console.WriteLine($"  {label} {figures.Score,10:F3}              {figures.Frechet,12:F3}   bar {(quality.Reached(figures) ? "reached" : "not reached")}");
}

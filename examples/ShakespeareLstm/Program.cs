// A character-level LSTM on tiny Shakespeare (data/sequences/tinyshakespeare/input.txt, 1,115,394 characters,
// karpathy/char-rnn, public-domain text): nanoGPT's split (first 90% train, last 10% validation), batches of
// random windows of T characters with the next character as the target at every step, a sample written one
// character at a time with Step and the seeded Sampler after every epoch, and the validation loss in nats per
// character over a fixed set of held-out windows.
//
//   dotnet run -c Release --project examples/ShakespeareLstm -- [--minutes 18] [--iterations 0] [--epoch 250]
//                                                               [--batch 32] [--eval-windows 1024] [--lr 0.002]
// --minutes: time budget for training (0 = none); --iterations: stop after this many steps (0 = none);
// --epoch: iterations between evaluations and samples; --eval-windows: held-out windows in the validation loss.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Sequences;

double minutes = Argument("--minutes", 18);
int maxIterations = (int)Argument("--iterations", 0);
int iterationsPerEpoch = (int)Argument("--epoch", 250);
int batchSize = (int)Argument("--batch", 32);
int evalWindows = (int)Argument("--eval-windows", 1024);
float learningRate = (float)Argument("--lr", 2e-3);
if (minutes <= 0 && maxIterations <= 0) throw new ArgumentException("Give --minutes or --iterations (a run needs an end).");
const int T = ShakespeareModel.InputSize;

// The text as character ids (65 characters), split as nanoGPT's prepare.py: the first 90% to train on.
string text = File.ReadAllText(RepoData.Path("sequences/tinyshakespeare/input.txt"));
CharacterVocabulary vocabulary = CharacterVocabulary.Build(text);
int[] ids = vocabulary.Encode(text);
int split = (int)(ids.Length * 0.9);
int[] train = ids[..split], validation = ids[split..];
Console.WriteLine($"{ids.Length:N0} characters, {vocabulary.Count} distinct; {train.Length:N0} train, {validation.Length:N0} validation; T = {T}, batch {batchSize}");
Console.WriteLine(ShakespeareModel.Summary);

// The validation windows, fixed once: evalWindows windows evenly spaced over the held-out tail (inputs
// val[s .. s+T), targets val[s+1 .. s+T+1)), so every evaluation averages −log p over the same characters.
evalWindows = Math.Min(evalWindows, validation.Length - T - 1);
int[] evalInputs = new int[evalWindows * T], evalTargets = new int[evalWindows * T];
for (int w = 0; w < evalWindows; w++)
{
    int start = (int)((long)w * (validation.Length - T - 1) / evalWindows);
    validation.AsSpan(start, T).CopyTo(evalInputs.AsSpan(w * T));
    validation.AsSpan(start + 1, T).CopyTo(evalTargets.AsSpan(w * T));
}

var net = new ShakespeareModel { LearningRate = learningRate };
var rng = SplitMix64.FromSeed(1337);
int[] batchInputs = new int[batchSize * T], batchTargets = new int[batchSize * T];
float[] probabilities = new float[ShakespeareModel.StepOutputSize];
double[] scratch = new double[Sampler.ScratchLength(vocabulary.Count)];
var sampling = SplitMix64.FromSeed(42);
var clock = Stopwatch.StartNew();
Console.WriteLine($"step 0: validation {ValidationLoss():F4} nats/char (uniform: {Math.Log(vocabulary.Count):F4})");

int iteration = 0, epoch = 0;
double best = double.PositiveInfinity;
while (true)
{
    // One epoch = iterationsPerEpoch Adam steps, each on batchSize windows starting at random positions of the training text.
    double sum = 0;
    int steps = 0;
    for (; steps < iterationsPerEpoch && !Finished(); steps++, iteration++)
    {
        for (int s = 0; s < batchSize; s++)
        {
            int start = (int)(rng.NextUInt64() % (ulong)(train.Length - T - 1));
            train.AsSpan(start, T).CopyTo(batchInputs.AsSpan(s * T));
            train.AsSpan(start + 1, T).CopyTo(batchTargets.AsSpan(s * T));
        }
        sum += net.TrainStep(batchInputs, batchTargets, batchSize);
    }
    if (steps == 0) break;
    epoch++;
    double validationLoss = ValidationLoss();
    best = Math.Min(best, validationLoss);
    Console.WriteLine($"epoch {epoch} (step {iteration}): train {sum / steps:F4}, validation {validationLoss:F4} nats/char, {clock.Elapsed.TotalSeconds:F0} s");
    Console.WriteLine("  " + Sample(200, 0.8).Replace("\n", "\n  "));
    if (Finished()) break;
}

Console.WriteLine();
Console.WriteLine($"final validation loss {ValidationLoss():F4} nats/char (best {best:F4}) after {iteration} steps ({(double)iteration * batchSize * T / train.Length:F1} passes over the training text) in {clock.Elapsed.TotalMinutes:F1} min");
Console.WriteLine("anchor: nanoGPT's CPU transformer config reaches 1.88 in about 3 min on a laptop");

bool Finished() => (maxIterations > 0 && iteration >= maxIterations) || (minutes > 0 && clock.Elapsed.TotalMinutes >= minutes);

// Mean −log p(next character) over every position of every validation window (CrossEntropy with class ids,
// averaged over windows × T), in batches of 64 windows; each window starts from a zero state.
double ValidationLoss()
{
    const int EvalBatch = 64;
    double total = 0;
    for (int w = 0; w < evalWindows; w += EvalBatch)
    {
        int n = Math.Min(EvalBatch, evalWindows - w);
        total += n * (double)net.ComputeLoss(evalInputs.AsSpan(w * T, n * T), evalTargets.AsSpan(w * T, n * T), n);
    }
    return total / evalWindows;
}

// A new text: from a newline, each character drawn (temperature t) from Step's distribution and fed back, O(1) per character.
string Sample(int length, double temperature)
{
    net.ResetState();
    var sb = new System.Text.StringBuilder();
    int token = vocabulary.IdOf('\n');
    for (int k = 0; k < length; k++)
    {
        net.Step(token, probabilities);
        token = Sampler.FromProbabilities<float>(probabilities, temperature, topK: 0, ref sampling, scratch);
        sb.Append(vocabulary[token]);
    }
    return sb.ToString();
}

double Argument(string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Embedding of the 65 characters, one LSTM over T = 64 steps returning every step, and a softmax over the next character at each step.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, ClipNorm = 1f, Seed = 7)]
[Input(64)]
[Embedding(65, 64)]
[Lstm(256, ReturnSequences = true)]
[Dense(65, Activation.Softmax)]
public partial class ShakespeareModel;

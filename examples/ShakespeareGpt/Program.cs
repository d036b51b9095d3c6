// nanoGPT's documented CPU configuration on tiny Shakespeare (data/sequences/tinyshakespeare/input.txt, the
// char-rnn text, 1,115,394 characters, 65 distinct): a character-level GPT of 4 causal Transformer blocks, 4 heads,
// width 128, context 64, trained 2,000 iterations on random batches of 12 windows with AdamW (lr 1e-3, warm-up 100
// steps, cosine to 1e-4 at 2,000, β₂ 0.99, weight decay 0.1 on matrices only), gradient clipping at 1.0, dropout 0.
// It prints the training loss, the validation loss (first 90% of the text trains, the last 10% validates) averaged
// over many held-out batches, the wall time, and a sample generated one character at a time with Step (cached keys
// and values) and the seeded Sampler. nanoGPT reports validation loss 1.88 after about 3 minutes on a laptop CPU.
//
//   dotnet run -c Release --project examples/ShakespeareGpt -- [--iterations 2000] [--eval-batches 200] [--sample 500] [--threads N]
using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using NetGen;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Sequences;
using NetGen.Training;

int iterations = Argument("--iterations", 2000), evalBatches = Argument("--eval-batches", 200), sampleLength = Argument("--sample", 500);
int threads = Argument("--threads", 0);
if (threads > 0) Parallelism.MaxThreads = threads;
const int Batch = 12, Context = ShakespeareGpt.InputSize, EvalInterval = 250, EvalIntervalBatches = 20;

// Characters → ids (the 65 distinct characters, sorted, as nanoGPT's prepare.py); the first 90% trains.
string text = System.IO.File.ReadAllText(RepoData.Path("sequences/tinyshakespeare/input.txt"));
CharacterVocabulary vocabulary = CharacterVocabulary.Build(text);
if (vocabulary.Count != ShakespeareGpt.StepOutputSize) throw new InvalidOperationException($"The text has {vocabulary.Count} characters; the network declares {ShakespeareGpt.StepOutputSize}.");
int[] ids = vocabulary.Encode(text);
int split = (int)(ids.Length * 0.9);
int[] train = ids[..split], validation = ids[split..];
Console.WriteLine($"tiny Shakespeare: {ids.Length:N0} characters, vocabulary {vocabulary.Count}; train {train.Length:N0}, validation {validation.Length:N0}");
Console.WriteLine($"threads {Parallelism.MaxThreads}, load average {LoadAverage()}");

var net = new ShakespeareGpt();
Console.WriteLine(ShakespeareGpt.Summary);

// nanoGPT's get_lr: linear warm-up over 100 steps to 1e-3, then cosine down to 1e-4 at step 2,000 (the full run's length).
var schedule = new WarmupCosineSchedule(warmupSteps: 100, decaySteps: 2000, maximumRate: 1e-3, minimumRate: 1e-4);
var batchRandom = SplitMix64.FromSeed(1337);
int[] inputs = new int[Batch * Context], targets = new int[Batch * Context];
var clock = Stopwatch.StartNew();
double recent = 0;
for (int step = 0; step < iterations; step++)
{
    if (step % EvalInterval == 0 && step > 0)
        Console.WriteLine($"  step {step}: validation loss {ValidationLoss(EvalIntervalBatches, seed: step):F4} over {EvalIntervalBatches} batches, {clock.Elapsed.TotalSeconds:F0} s");
    // One AdamW step on 12 random windows of 64 characters, each target the next character.
    net.LearningRate = schedule.RateAt(step);
    SampleBatch(train, ref batchRandom);
    recent += net.TrainStep(inputs, targets, Batch);
    if ((step + 1) % 100 == 0)
    {
        Console.WriteLine($"step {step + 1}: train loss {recent / 100:F4} (mean of the last 100), lr {net.LearningRate:E2}, {clock.Elapsed.TotalSeconds:F0} s");
        recent = 0;
    }
}
double trainSeconds = clock.Elapsed.TotalSeconds;
double validationLoss = ValidationLoss(evalBatches, seed: 2024);
double trainLoss = MeanLoss(train, evalBatches, seed: 2025);
Console.WriteLine();
Console.WriteLine($"after {iterations} iterations: train loss {trainLoss:F4}, validation loss {validationLoss:F4} (each the mean over {evalBatches} random batches of {Batch}×{Context}; nanoGPT: 1.88)");
Console.WriteLine($"training {trainSeconds:F0} s, with the final evaluation {clock.Elapsed.TotalSeconds:F0} s; load average {LoadAverage()}");

// A sample: from a newline, each next character drawn from Step's distribution (temperature 0.8, top 200: nanoGPT's
// sample.py). Step holds 64 positions; when they are used up the last 32 characters are fed again from position 0
// (nanoGPT crops its context to the block size and recomputes it; a learned position table cannot slide).
var sampleClock = Stopwatch.StartNew();
var sampling = SplitMix64.FromSeed(42);
float[] probabilities = new float[ShakespeareGpt.StepOutputSize];
double[] scratch = new double[Sampler.ScratchLength(vocabulary.Count)];
var sample = new StringBuilder("\n");
int stepsTaken = 0, position = 0; // Steps in all; positions used since ResetState
net.ResetState();
StepOne(vocabulary.IdOf('\n'));
while (sample.Length <= sampleLength)
{
    int next = Sampler.FromProbabilities<float>(probabilities, temperature: 0.8, topK: 200, ref sampling, scratch);
    sample.Append(vocabulary[next]);
    if (position == ShakespeareGpt.MaxSteps)
    {
        // The cache is full: start again from position 0 with the last 31 characters before this one.
        net.ResetState();
        position = 0;
        foreach (char c in sample.ToString(sample.Length - Context / 2, Context / 2 - 1)) StepOne(vocabulary.IdOf(c));
    }
    StepOne(next);
}
double sampleSeconds = sampleClock.Elapsed.TotalSeconds;
Console.WriteLine($"sample ({sampleLength} characters, {stepsTaken} Steps in {sampleSeconds * 1000:F0} ms, {sampleSeconds * 1e6 / stepsTaken:F0} µs per Step):");
Console.WriteLine(sample.ToString());

// One Step: the distribution of the character after `token` given the cached positions before it.
void StepOne(int token)
{
    net.Step(token, probabilities);
    stepsTaken++;
    position++;
}

// Fills `inputs` and `targets` with 12 random windows of `data` (nanoGPT's get_batch: uniform start positions).
void SampleBatch(int[] data, ref SplitMix64 random)
{
    for (int b = 0; b < Batch; b++)
    {
        int start = (int)(random.NextUInt64() % (ulong)(data.Length - Context));
        data.AsSpan(start, Context).CopyTo(inputs.AsSpan(b * Context));
        data.AsSpan(start + 1, Context).CopyTo(targets.AsSpan(b * Context));
    }
}

// The mean cross entropy (nats per character) over `batches` random batches of `data`, seeded so that it is repeatable.
double MeanLoss(int[] data, int batches, int seed)
{
    var random = SplitMix64.FromSeed(seed);
    double sum = 0;
    for (int i = 0; i < batches; i++)
    {
        SampleBatch(data, ref random);
        sum += net.ComputeLoss(inputs, targets, Batch);
    }
    return sum / batches;
}

double ValidationLoss(int batches, int seed) => MeanLoss(validation, batches, seed);

static string LoadAverage()
    => System.IO.File.Exists("/proc/loadavg") ? string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

int Argument(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// nanoGPT's train_shakespeare_char at its documented CPU size: token and position embeddings (wte, wpe), 4 causal
/// pre-norm blocks (4 heads of 32, feed-forward 512, GELU), a final LayerNorm and the softmax over 65 characters.
/// Differences from nanoGPT: Linear and LayerNorm layers have biases (nanoGPT's train.py sets bias=False) and lm_head
/// is not tied to wte; AdamW decays every tensor of rank ≥ 2 (the embeddings included), as nanoGPT's grouping does.
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 1e-3f, Beta2 = 0.99f, WeightDecay = 0.1f, ClipNorm = 1f, Seed = 1337)]
[Input(64)]
[Embedding(65, 128, Name = "wte")]
[PositionalEmbedding(64, Name = "wpe")]
[TransformerBlock(4, 512, Causal = true, Name = "h.0")]
[TransformerBlock(4, 512, Causal = true, Name = "h.1")]
[TransformerBlock(4, 512, Causal = true, Name = "h.2")]
[TransformerBlock(4, 512, Causal = true, Name = "h.3")]
[LayerNorm(Name = "ln_f")]
[Dense(65, Activation.Softmax, Name = "lm_head")]
public partial class ShakespeareGpt;

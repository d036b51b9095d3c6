// A character-level GRU over makemore's names (data/sequences/names/names.txt, 32,033 names from ssa.gov,
// MIT licence in data/sequences/names/LICENSE): trained to predict each next character, it reports the test
// loss in nats per character (makemore's figures: bigram 2.48, MLP 2.17) and generates new names one
// character at a time with Step (O(1) per character) and the seeded Sampler.
using System;
using System.Diagnostics;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Sequences;

const int Epochs = 12, BatchSize = 32, TestNames = 1000;
var clock = Stopwatch.StartNew();

// '.' marks the start and the end of a name (makemore's convention): ids '.' = 0, 'a'..'z' = 1..26.
string[] names = SequenceDatasets.LoadLines(RepoData.Path("sequences/names/names.txt")).Where(n => n.Length > 0).ToArray();
CharacterVocabulary vocabulary = CharacterVocabulary.Build("." + string.Concat(names));
int dot = vocabulary.IdOf('.');

// makemore's split: a seeded shuffle, 1000 names held out for the test loss.
var rng = SplitMix64.FromSeed(1234);
for (int i = names.Length - 1; i > 0; i--)
{
    int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
    (names[i], names[j]) = (names[j], names[i]);
}
string[] test = names[..TestNames], train = names[TestNames..];

// One sequence per name: inputs ".emma" and targets "emma." padded with '.' to T = NameModel.InputSize steps.
const int T = NameModel.InputSize;
(int[] Inputs, int[] Labels) Encode(string[] set)
{
    int[] inputs = new int[set.Length * T], labels = new int[set.Length * T];
    Array.Fill(inputs, dot);
    Array.Fill(labels, dot);
    for (int s = 0; s < set.Length; s++)
        for (int k = 0; k < set[s].Length; k++)
        {
            inputs[s * T + k + 1] = vocabulary.IdOf(set[s][k]);
            labels[s * T + k] = vocabulary.IdOf(set[s][k]);
        }
    return (inputs, labels);
}
var (trainInputs, trainLabels) = Encode(train);
Console.WriteLine($"{names.Length} names ({train.Length} train, {test.Length} test), {vocabulary.Count} characters, {T} steps per name");

var net = new NameModel();
Console.WriteLine(NameModel.Summary);
int[] order = Enumerable.Range(0, train.Length).ToArray();
int[] batchInputs = new int[BatchSize * T], batchLabels = new int[BatchSize * T];
float[] probabilities = new float[NameModel.StepOutputSize];
for (int epoch = 1; epoch <= Epochs; epoch++)
{
    // Shuffle the names, then one Adam step per batch of 32 names (the loss averages over batch × time).
    for (int i = order.Length - 1; i > 0; i--)
    {
        int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
        (order[i], order[j]) = (order[j], order[i]);
    }
    // The last third of the epochs at a third of the learning rate.
    if (epoch == 2 * Epochs / 3 + 1) net.LearningRate /= 3;
    double sum = 0;
    int batches = order.Length / BatchSize;
    for (int b = 0; b < batches; b++)
    {
        for (int s = 0; s < BatchSize; s++)
        {
            trainInputs.AsSpan(order[b * BatchSize + s] * T, T).CopyTo(batchInputs.AsSpan(s * T));
            trainLabels.AsSpan(order[b * BatchSize + s] * T, T).CopyTo(batchLabels.AsSpan(s * T));
        }
        sum += net.TrainStep(batchInputs, batchLabels, BatchSize);
    }
    Console.WriteLine($"epoch {epoch}: train loss {sum / batches:F4} (padding included), test loss {TestLoss():F4} nats/char, {clock.Elapsed.TotalSeconds:F0} s");
}

double loss = TestLoss();
Console.WriteLine();
Console.WriteLine($"test loss {loss:F4} nats per character over {test.Length} held-out names (makemore: bigram 2.48, MLP 2.17); {clock.Elapsed.TotalSeconds:F0} s in all");

// New names: from '.', draw each character from Step's distribution until the model writes '.'.
Console.WriteLine("generated:");
var sampling = SplitMix64.FromSeed(42);
double[] scratch = new double[Sampler.ScratchLength(vocabulary.Count)];
for (int s = 0; s < 12; s++)
{
    net.ResetState();
    var name = new System.Text.StringBuilder();
    int token = dot;
    while (name.Length < 30)
    {
        net.Step(token, probabilities);
        token = Sampler.FromProbabilities<float>(probabilities, temperature: 1.0, topK: 0, ref sampling, scratch);
        if (token == dot) break;
        name.Append(vocabulary[token]);
    }
    Console.WriteLine("  " + name);
}

// Mean −log p(next character) over every character of every test name and its end mark, each name stepped
// from a fresh state with Step: exactly makemore's per-character loss (no padding counted).
double TestLoss()
{
    double total = 0;
    long count = 0;
    foreach (string name in test)
    {
        net.ResetState();
        int previous = dot;
        for (int k = 0; k <= name.Length; k++)
        {
            net.Step(previous, probabilities);
            int next = k < name.Length ? vocabulary.IdOf(name[k]) : dot;
            total -= Math.Log(Math.Max(probabilities[next], 1e-30f));
            count++;
            previous = next;
        }
    }
    return total / count;
}

/// <summary>Embedding of the 27 characters, a GRU over the 16 steps of ".name" (padded with '.'), and a softmax over the next character at every step.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 5e-3f, Seed = 7)]
[Input(16)]
[Embedding(27, 24)]
[Gru(96, ReturnSequences = true)]
[Dense(27, Activation.Softmax)]
public partial class NameModel;

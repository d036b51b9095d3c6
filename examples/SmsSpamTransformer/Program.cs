// A small BERT-style encoder classifying the UCI SMS Spam Collection (data/sequences/sms_spam, 5,574 messages,
// 747 spam): words → Embedding + PositionalEmbedding → 2 Transformer blocks (not causal: every word sees the whole
// message) → GlobalAveragePooling1D → Dense(2, Softmax). The split is the one the recurrent SMS example uses:
// message i (0-based, file order) is a test message when i % 5 == 4, else a training message. It prints test
// accuracy, spam precision, recall, F1 and the Matthews correlation coefficient (computed here from the confusion matrix).
//
//   dotnet run -c Release --project examples/SmsSpamTransformer -- [--epochs 6] [--threads N]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Numerics;

int epochs = Argument("--epochs", 6), threads = Argument("--threads", 0);
if (threads > 0) Parallelism.MaxThreads = threads;
const int Batch = 32, Length = SpamEncoder.InputSize, Pad = 0, Unknown = 1, Vocabulary = 4000;

LabelledTexts sms = SequenceDatasets.LoadSmsSpam(RepoData.Path("sequences/sms_spam/SMSSpamCollection"));
int[] trainIndex = Enumerable.Range(0, sms.Texts.Length).Where(i => i % 5 != 4).ToArray();
int[] testIndex = Enumerable.Range(0, sms.Texts.Length).Where(i => i % 5 == 4).ToArray();

// Words: lower-case runs of letters, digits and '£$€' (prices and phone numbers matter for spam). The vocabulary
// is the training messages' most frequent words (at least twice, at most 3,998 of them); id 0 pads, id 1 is unknown.
string[][] words = sms.Texts.Select(t => Regex.Matches(t.ToLowerInvariant(), @"[a-z0-9£$€]+").Select(m => m.Value).ToArray()).ToArray();
Dictionary<string, int> ids = trainIndex.SelectMany(i => words[i]).GroupBy(w => w).Where(g => g.Count() >= 2)
    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Vocabulary - 2)
    .Select((g, k) => (g.Key, Id: k + 2)).ToDictionary(p => p.Key, p => p.Id);
// Each message as Length ids: the first words, padded at the end.
int[] Encode(int[] index) => SequencePadding.PadOrTruncate(
    index.Select(i => words[i].Select(w => ids.TryGetValue(w, out int id) ? id : Unknown).ToArray()).ToArray(), Length, Pad);
int[] trainIds = Encode(trainIndex), testIds = Encode(testIndex);
int[] trainLabels = trainIndex.Select(i => sms.Labels[i]).ToArray(), testLabels = testIndex.Select(i => sms.Labels[i]).ToArray();
Console.WriteLine($"SMS Spam Collection: {sms.Texts.Length} messages; train {trainIndex.Length} ({trainLabels.Sum()} spam), test {testIndex.Length} ({testLabels.Sum()} spam)");
Console.WriteLine($"vocabulary {ids.Count + 2} words; {Length} words per message ({trainIndex.Count(i => words[i].Length > Length)} training messages cut); threads {Parallelism.MaxThreads}, load average {LoadAverage()}");

var net = new SpamEncoder();
Console.WriteLine(SpamEncoder.Summary);
var clock = Stopwatch.StartNew();
var rng = SplitMix64.FromSeed(5);
int[] order = Enumerable.Range(0, trainIndex.Length).ToArray();
int[] batchIds = new int[Batch * Length], batchLabels = new int[Batch];
for (int epoch = 1; epoch <= epochs; epoch++)
{
    // Shuffle, then one AdamW step per batch of 32 messages (the rate halves for the last third of the epochs).
    for (int i = order.Length - 1; i > 0; i--)
    {
        int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
        (order[i], order[j]) = (order[j], order[i]);
    }
    if (epoch == 2 * epochs / 3 + 1) net.LearningRate /= 2;
    double sum = 0;
    int batches = order.Length / Batch;
    for (int b = 0; b < batches; b++)
    {
        for (int s = 0; s < Batch; s++)
        {
            trainIds.AsSpan(order[b * Batch + s] * Length, Length).CopyTo(batchIds.AsSpan(s * Length));
            batchLabels[s] = trainLabels[order[b * Batch + s]];
        }
        sum += net.TrainStep(batchIds, batchLabels, Batch);
    }
    Console.WriteLine($"epoch {epoch}: train loss {sum / batches:F4}, test accuracy {Confusion().Accuracy:P2}, {clock.Elapsed.TotalSeconds:F0} s");
}

ConfusionMatrix m = Confusion();
const int Spam = 1;
Console.WriteLine();
Console.WriteLine(m);
Console.WriteLine($"test accuracy {m.Accuracy:P2}; spam precision {m.Precision(Spam):F4}, recall {m.Recall(Spam):F4}, F1 {m.F1(Spam):F4}; MCC {Mcc(m):F4}");
Console.WriteLine($"{epochs} epochs in {clock.Elapsed.TotalSeconds:F0} s; load average {LoadAverage()}");

// The test messages' predicted classes (the larger probability) against their labels.
ConfusionMatrix Confusion()
{
    float[] probabilities = new float[testIndex.Length * 2];
    net.Predict(testIds, probabilities, testIndex.Length);
    int[] predicted = Enumerable.Range(0, testIndex.Length).Select(i => probabilities[2 * i + 1] > probabilities[2 * i] ? 1 : 0).ToArray();
    return ConfusionMatrix.From(testLabels, predicted, 2, sms.ClassNames);
}

// MCC = (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN)), 0 when a factor is 0 (scikit-learn's convention).
static double Mcc(ConfusionMatrix m)
{
    double tp = m[1, 1], tn = m[0, 0], fp = m[0, 1], fn = m[1, 0];
    double denominator = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    return denominator == 0 ? 0 : (tp * tn - fp * fn) / denominator;
}

static string LoadAverage()
    => System.IO.File.Exists("/proc/loadavg") ? string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

int Argument(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// Word ids (4,000 words, 48 per message) → 64-wide embeddings plus learned positions → two pre-norm encoder blocks
/// (4 heads of 16, feed-forward 128, GELU, every position attending to every other) → the mean over the 48 positions
/// → ham/spam probabilities.
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 1e-3f, WeightDecay = 0.01f, ClipNorm = 1f, Seed = 11)]
[Input(48)]
[Embedding(4000, 64)]
[PositionalEmbedding(48)]
[TransformerBlock(4, 128)]
[TransformerBlock(4, 128)]
[GlobalAveragePooling1D]
[Dense(2, Activation.Softmax)]
public partial class SpamEncoder;

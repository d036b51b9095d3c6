// An Embedding + LSTM classifier of the UCI SMS Spam Collection (data/sequences/sms_spam, 5,574 messages, 13.4%
// spam; licence in its readme). Split shared with the Transformer example: message i (0-based, file order) is a
// test message when i % 5 == 4, else a training one. Words come from the training messages only. Prints accuracy
// (beside always-ham's), the spam class's precision, recall and F1, and the Matthews correlation coefficient.
//
//   dotnet run -c Release --project examples/SmsSpam -- [--epochs 8] [--batch 32]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Training;

int epochs = (int)Argument("--epochs", 8);
int batchSize = (int)Argument("--batch", 32);
const int T = SpamModel.InputSize, Vocabulary = 4000, Pad = 0, Unknown = 1;
var clock = Stopwatch.StartNew();

// The split: every fifth message (i % 5 == 4) is held out.
LabelledTexts sms = SequenceDatasets.LoadSmsSpam(RepoData.Path("sequences/sms_spam/SMSSpamCollection"));
int[] trainIndices = Enumerable.Range(0, sms.Texts.Length).Where(i => i % 5 != 4).ToArray();
int[] testIndices = Enumerable.Range(0, sms.Texts.Length).Where(i => i % 5 == 4).ToArray();

// Words: lower-case runs of letters and digits, and each other non-space character on its own ("£", "!").
// The 3,998 most frequent training words get ids 2.. (ties broken by ordinal order); 0 pads, 1 is any other word.
var counts = new Dictionary<string, int>();
foreach (int i in trainIndices)
    foreach (string word in Words(sms.Texts[i]))
        counts[word] = counts.GetValueOrDefault(word) + 1;
var ids = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(Vocabulary - 2)
    .Select((p, k) => (p.Key, Id: k + 2)).ToDictionary(p => p.Key, p => p.Id);

// Each message as T word ids: padded in front (so the LSTM's last step reads the message's end), long ones cut after T words.
TokenDataset Encode(int[] indices)
{
    int[][] sequences = indices.Select(i => Words(sms.Texts[i]).Select(w => ids.GetValueOrDefault(w, Unknown)).ToArray()).ToArray();
    int[] tokens = SequencePadding.PadOrTruncate(sequences, T, Pad, padAt: SequenceEnd.Start, truncateAt: SequenceEnd.End);
    return new TokenDataset(tokens, T, indices.Select(i => sms.Labels[i]).ToArray(), labelsPerSample: 1, sms.ClassNames);
}
TokenDataset train = Encode(trainIndices), test = Encode(testIndices);
int longer = trainIndices.Concat(testIndices).Count(i => Words(sms.Texts[i]).Count() > T);
Console.WriteLine($"{sms.Texts.Length} messages: {train.Count} train, {test.Count} test ({test.Labels!.Count(l => l == 1)} spam); " +
                  $"{counts.Count} distinct training words, {Vocabulary} ids kept; {T} words per message ({longer} messages cut)");
Console.WriteLine(SpamModel.Summary);

// Adam on shuffled batches of 32 messages, cross-entropy against the class id, the global gradient norm clipped at 1.
var net = new SpamModel();
History history = Trainer.Fit(net, train, new TrainingOptions { Epochs = epochs, BatchSize = batchSize, Seed = 1 });
foreach (EpochSummary e in history.Epochs)
    Console.WriteLine($"epoch {e.Epoch}: train loss {e.Loss:F4} ({e.Elapsed.TotalSeconds:F1} s)");

// The held-out fifth: argmax of the two softmax outputs against the label.
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
ConfusionMatrix m = report.Confusion;
const int Spam = 1;
Console.WriteLine();
Console.Write(m);
Console.WriteLine($"accuracy {m.Accuracy:P2} (always ham: {(double)m.Support(0) / m.Total:P2})");
Console.WriteLine($"spam precision {m.Precision(Spam):F4}, recall {m.Recall(Spam):F4}, F1 {m.F1(Spam):F4}");
Console.WriteLine($"MCC {m.MatthewsCorrelation:F4}");
Console.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s in all");

static IEnumerable<string> Words(string text)
{
    int k = 0;
    while (k < text.Length)
    {
        if (char.IsWhiteSpace(text[k])) { k++; continue; }
        if (!char.IsLetterOrDigit(text[k])) { yield return text[k++].ToString(); continue; }
        int start = k;
        while (k < text.Length && char.IsLetterOrDigit(text[k])) k++;
        yield return text[start..k].ToLowerInvariant();
    }
}

double Argument(string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Embedding of 4,000 word ids into 32 dimensions, an LSTM of 48 units over the 48 words whose last state feeds a ham/spam softmax.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, ClipNorm = 1f, Seed = 3)]
[Input(48)]
[Embedding(4000, 32)]
[Lstm(48)]
[Dense(2, Activation.Softmax)]
public partial class SpamModel;

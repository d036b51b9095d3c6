// The vanishing-gradient lesson on the adding problem (Hochreiter & Schmidhuber 1997): each sequence is T = 100
// pairs (value ~ U(0, 1), marker ∈ {0, 1}); exactly two markers are 1, one in the first half and one in the
// second, and the target is the sum of the two marked values. Predicting 1.0 always scores MSE = Var(U + U)
// = 1/6 ≈ 0.167. A SimpleRnn and an Lstm of the same width, trained the same way (same data, order, optimizer,
// clipping), print their learning curves side by side, and both test curves go into a PNG.
//
//   dotnet run -c Release --project examples/VanishingGradient -- [--epochs 30] [--train 10000] [--plot vanishing-gradient.png]
using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Numerics;
using NetGen.Plots;
using NetGen.Training;

int epochs = (int)Argument("--epochs", 30);
int trainCount = (int)Argument("--train", 10000);
string plotPath = StringArgument("--plot", "vanishing-gradient.png");
const int T = 100, TestCount = 2000;
var clock = Stopwatch.StartNew();

var rng = SplitMix64.FromSeed(2024);
Dataset train = AddingProblem(trainCount), test = AddingProblem(TestCount);

// The constant predictor 1.0 (the mean of the target) on the test set: Σ(1 − target)² / n.
double baseline = test.Targets.Select(t => (1.0 - t) * (1.0 - t)).Average();
Console.WriteLine($"adding problem, T = {T}: {trainCount} training and {TestCount} test sequences; always-1.0 test MSE {baseline:F4}");

// Both networks: Adam 1e-3, batches of 32 in the same shuffled order (Seed 1), the test MSE after every epoch.
var options = new TrainingOptions { Epochs = epochs, BatchSize = 32, Seed = 1, ValidationData = test };
var rnn = new RnnModel();
History rnnHistory = Trainer.Fit(rnn, train, options);
double rnnSeconds = clock.Elapsed.TotalSeconds;
var lstm = new LstmModel();
History lstmHistory = Trainer.Fit(lstm, train, options);
double lstmSeconds = clock.Elapsed.TotalSeconds - rnnSeconds;

Console.WriteLine();
Console.WriteLine("         SimpleRnn(32)         Lstm(32)");
Console.WriteLine("epoch   train MSE  test MSE   train MSE  test MSE");
for (int e = 0; e < epochs; e++)
    Console.WriteLine($"{e + 1,5}   {rnnHistory.Epochs[e].Loss,9:F4} {rnnHistory.Epochs[e].ValidationLoss,9:F4}   {lstmHistory.Epochs[e].Loss,9:F4} {lstmHistory.Epochs[e].ValidationLoss,9:F4}");

// The final test MSE of each, from Predict over the whole test set.
double rnnMse = TestMse(rnn), lstmMse = TestMse(lstm);
Console.WriteLine();
Console.WriteLine($"final test MSE: SimpleRnn {rnnMse:F4} ({rnnSeconds:F0} s), Lstm {lstmMse:F4} ({lstmSeconds:F0} s); always 1.0: {baseline:F4}");

double[] rnnCurve = rnnHistory["val_loss"].ToArray(), lstmCurve = lstmHistory["val_loss"].ToArray();
LossPlot.WritePng(plotPath, rnnCurve, lstmCurve, "SimpleRnn(32)", "Lstm(32)",
    $"Adding problem, T = {T}: test MSE (always 1.0: {baseline:F3})", "epoch");
Console.WriteLine($"learning curves written to {System.IO.Path.GetFullPath(plotPath)}");

// count sequences of T (value, marker) pairs, row-major [count, T, 2], target = the sum of the two marked values.
Dataset AddingProblem(int count)
{
    float[] features = new float[count * T * 2], targets = new float[count];
    for (int s = 0; s < count; s++)
    {
        int first = (int)(rng.NextUInt64() % (T / 2)), second = T / 2 + (int)(rng.NextUInt64() % (T - T / 2));
        for (int t = 0; t < T; t++)
        {
            float value = (float)((rng.NextUInt64() >> 11) * (1.0 / (1UL << 53)));
            features[(s * T + t) * 2] = value;
            if (t == first || t == second)
            {
                features[(s * T + t) * 2 + 1] = 1;
                targets[s] += value;
            }
        }
    }
    return new Dataset(features, targets, count, T * 2, 1);
}

double TestMse(INetwork<float> net)
{
    float[] outputs = new float[TestCount];
    net.Predict(test.Features, outputs, TestCount);
    double sum = 0;
    for (int s = 0; s < TestCount; s++) sum += Math.Pow(outputs[s] - test.Targets[s], 2);
    return sum / TestCount;
}

double Argument(string name, double fallback) => double.Parse(StringArgument(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string StringArgument(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>A tanh recurrence of 32 units over the 100 (value, marker) pairs, its last state → the sum.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f, Seed = 5)]
[Input(100, 2)]
[SimpleRnn(32)]
[Dense(1)]
public partial class RnnModel;

/// <summary>An LSTM of 32 units over the same pairs, its last state → the sum.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, ClipNorm = 1f, Seed = 5)]
[Input(100, 2)]
[Lstm(32)]
[Dense(1)]
public partial class LstmModel;

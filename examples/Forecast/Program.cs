// Monthly airline passengers 1949–1960 (data/sequences/airline-passengers.csv, Box & Jenkins, in thousands):
// an LSTM regressor over sliding windows of the scaled series, trained on the first 120 months and judged on
// the last 24 by one-step-ahead forecasts (each month predicted from the actual months before it), RMSE in
// passengers (thousands, unscaled) against the seasonal-naive forecast (the value 12 months earlier).
// Two framings of the same LSTM, each trained from several seeds:
//   level:      window of 12 scaled log values → the next scaled log value;
//   seasonal Δ: window of 12 scaled year-over-year log changes d_t = log y_t − log y_{t−12} → the next one,
//               forecast y_t = y_{t−12}·exp(d̂_t) (d̂ = 0 is exactly the seasonal-naive forecast).
//
//   dotnet run -c Release --project examples/Forecast -- [--epochs 300] [--seeds 5]
using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Training;

int epochs = (int)Argument("--epochs", 300);
int seeds = (int)Argument("--seeds", 5);
const int Window = 12, Test = 24, Season = 12;
var clock = Stopwatch.StartNew();

DatedSeries series = SequenceDatasets.LoadSeriesCsv(RepoData.Path("sequences/airline-passengers.csv"));
float[] y = series.Values;
int n = y.Length, trainEnd = n - Test;
Console.WriteLine($"{n} months {series.Dates[0]}..{series.Dates[^1]}; train {series.Dates[0]}..{series.Dates[trainEnd - 1]}, test {series.Dates[trainEnd]}..{series.Dates[^1]} (one-step-ahead)");

// Seasonal naive: ŷ_t = y_{t−12} over the test months.
double[] naive = Enumerable.Range(trainEnd, Test).Select(t => (double)y[t - Season]).ToArray();
double naiveRmse = Rmse(naive);

// Level framing: log y, scaled to [0, 1] by the training months' range.
float[] logY = y.Select(v => MathF.Log(v)).ToArray();
var levelScaler = SeriesScaler.Fit(logY.AsSpan(0, trainEnd), SeriesScaling.MinMax);
float[] level = levelScaler.Transform(logY);
double[] levelRmse = new double[seeds];
for (int seed = 0; seed < seeds; seed++)
{
    var net = new LevelModel(seed + 1);
    Train(net, level.AsSpan(0, trainEnd), seed);
    double[] forecast = Enumerable.Range(trainEnd, Test).Select(t =>
    {
        // Window y_{t−12..t−1} (actual values) → scaled log ŷ_t → passengers.
        float[] output = new float[1];
        net.Predict(level.AsSpan(t - Window, Window), output);
        return Math.Exp(output[0] * levelScaler.Scale + levelScaler.Offset);
    }).ToArray();
    levelRmse[seed] = Rmse(forecast);
}

// Seasonal-difference framing: d_t = log y_t − log y_{t−12} for t ≥ 12, standardised on the training months.
float[] d = Enumerable.Range(Season, n - Season).Select(t => logY[t] - logY[t - Season]).ToArray();
int dTrainEnd = trainEnd - Season;
var deltaScaler = SeriesScaler.Fit(d.AsSpan(0, dTrainEnd), SeriesScaling.Standard);
float[] dScaled = deltaScaler.Transform(d);
double[] deltaRmse = new double[seeds];
for (int seed = 0; seed < seeds; seed++)
{
    var net = new DeltaModel(seed + 1);
    Train(net, dScaled.AsSpan(0, dTrainEnd), seed);
    double[] forecast = Enumerable.Range(trainEnd, Test).Select(t =>
    {
        // Window d_{t−12..t−1} → d̂_t → ŷ_t = y_{t−12}·exp(d̂_t).
        float[] output = new float[1];
        net.Predict(dScaled.AsSpan(t - Season - Window, Window), output);
        return y[t - Season] * Math.Exp(output[0] * deltaScaler.Scale + deltaScaler.Offset);
    }).ToArray();
    deltaRmse[seed] = Rmse(forecast);
}

Console.WriteLine();
Console.WriteLine($"RMSE over the last {Test} months, thousands of passengers ({seeds} seeds each, {epochs} epochs):");
Console.WriteLine($"  seasonal naive (y[t-12])       {naiveRmse,7:F2}");
Report("LSTM, level (log, min-max)", levelRmse);
Report("LSTM, seasonal log difference", deltaRmse);
Console.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s in all");

void Report(string name, double[] rmse)
{
    double mean = rmse.Average();
    Console.WriteLine($"  {name,-30} {mean,7:F2}  ratio to naive {mean / naiveRmse:F3}  (seeds: {string.Join(", ", rmse.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})");
}

// Sliding windows of 12 over the training part with the next value as target; Adam on shuffled batches of 16.
void Train(INetwork<float> net, ReadOnlySpan<float> part, int seed)
{
    var (inputs, targets) = SequenceWindows.Series(part, Window, horizon: 1);
    var data = new Dataset(inputs, targets, targets.Length, Window, 1);
    Trainer.Fit(net, data, new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = seed });
}

double Rmse(double[] forecast)
{
    double sum = 0;
    for (int k = 0; k < Test; k++) sum += Math.Pow(forecast[k] - y[trainEnd + k], 2);
    return Math.Sqrt(sum / Test);
}

double Argument(string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>12 scaled log values (one feature per step) → an LSTM of 32 units → the next scaled log value.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 3e-3f, Seed = 1)]
[Input(12, 1)]
[Lstm(32)]
[Dense(1)]
public partial class LevelModel;

/// <summary>12 scaled year-over-year log changes → an LSTM of 32 units → the next one.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 3e-3f, Seed = 1)]
[Input(12, 1)]
[Lstm(32)]
[Dense(1)]
public partial class DeltaModel;

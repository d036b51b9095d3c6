using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.Training;

/// <summary>
/// Prints Keras's progress lines:
/// <code>
/// Epoch 3/10
/// 1875/1875 [==============================] - 2s 1ms/step - loss: 0.1400 - accuracy: 0.9581 - val_loss: 0.1210 - val_accuracy: 0.9630
/// </code>
/// On a terminal the line is redrawn in place (carriage return) as batches finish, at most every
/// <see cref="RedrawInterval"/>; when output is redirected only the final line of each epoch is written.
/// </summary>
public sealed class ConsoleProgressReporter : IProgress<TrainingProgress>
{
    private const int BarWidth = 30;
    private readonly TextWriter _writer;
    private readonly StringBuilder _line = new();
    private long _lastDraw;
    private int _lastLength;

    /// <summary>A reporter writing to <paramref name="writer"/> (the console by default).</summary>
    /// <param name="writer">Where to write; <see cref="Console.Out"/> when null.</param>
    /// <param name="inPlace">Redraw the line in place; by default, when the console's output is not redirected.</param>
    public ConsoleProgressReporter(TextWriter? writer = null, bool? inPlace = null)
    {
        _writer = writer ?? Console.Out;
        InPlace = inPlace ?? (writer is null && !Console.IsOutputRedirected);
    }

    /// <summary>Whether the batch line is redrawn in place.</summary>
    public bool InPlace { get; }
    /// <summary>The least time between two redraws of the in-place line.</summary>
    public TimeSpan RedrawInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        switch (value.Kind)
        {
            case TrainingProgressKind.EpochBegin:
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch {value.Epoch}/{value.Epochs}"));
                _lastLength = 0;
                _lastDraw = 0;
                break;
            case TrainingProgressKind.BatchEnd when InPlace:
                if (value.Step < value.Steps && _lastDraw != 0 && Stopwatch.GetElapsedTime(_lastDraw) < RedrawInterval) return;
                _lastDraw = Stopwatch.GetTimestamp();
                BuildBatchLine(value);
                Draw(newLine: false);
                break;
            case TrainingProgressKind.EpochEnd:
                BuildEpochLine(value);
                Draw(newLine: true);
                break;
            case TrainingProgressKind.Stopped:
                if (InPlace && _lastLength > 0 && value.Summary is null) _writer.WriteLine();
                _writer.WriteLine(value.Message);
                _lastLength = 0;
                break;
        }
        _writer.Flush();
    }

    /// <summary>The line while an epoch runs: progress, bar, estimated time left, running values.</summary>
    private void BuildBatchLine(TrainingProgress p)
    {
        _line.Clear();
        AppendCounterAndBar(p.Step, p.Steps);
        double perStep = p.Step == 0 ? 0 : p.Elapsed.TotalSeconds / p.Step;
        _line.Append(CultureInfo.InvariantCulture, $" - ETA: {Math.Round(perStep * (p.Steps - p.Step)):0}s");
        AppendValue("loss", p.Loss);
        for (int m = 0; m < p.MetricNames.Count; m++) AppendValue(p.MetricNames[m], p.MetricValues.Span[m]);
    }

    /// <summary>The final line of an epoch: full bar, time, time per step, every value of the summary.</summary>
    private void BuildEpochLine(TrainingProgress p)
    {
        _line.Clear();
        AppendCounterAndBar(p.Step, p.Steps);
        double seconds = p.Elapsed.TotalSeconds;
        _line.Append(CultureInfo.InvariantCulture, $" - {Math.Round(seconds):0}s {FormatPerStep(p.Steps == 0 ? 0 : seconds / p.Steps)}");
        if (p.Summary is null) return;
        foreach ((string name, double value) in p.Summary.Values) AppendValue(name, value);
    }

    private void AppendCounterAndBar(int step, int steps)
    {
        string total = steps.ToString(CultureInfo.InvariantCulture);
        _line.Append(step.ToString(CultureInfo.InvariantCulture).PadLeft(total.Length)).Append('/').Append(total).Append(" [");
        int filled = steps == 0 ? BarWidth : (int)((long)BarWidth * step / steps);
        if (filled >= BarWidth) _line.Append('=', BarWidth);
        else _line.Append('=', Math.Max(filled - 1, 0)).Append('>').Append('.', BarWidth - Math.Max(filled, 1));
        _line.Append(']');
    }

    private void AppendValue(string name, double value)
    {
        // Keras's 4 decimals, scientific below 1e-3 and from 1e6 up (never a 39-digit float), "nan" and "inf" as NumPy prints them.
        string text = double.IsNaN(value) ? "nan"
            : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
            : value != 0 && (Math.Abs(value) < 1e-3 || Math.Abs(value) >= 1e6)
            ? value.ToString("0.0000e+00", CultureInfo.InvariantCulture)
            : value.ToString("F4", CultureInfo.InvariantCulture);
        _line.Append(" - ").Append(name).Append(": ").Append(text);
    }

    /// <summary>Keras's time per step: "1s/step", "12ms/step" or "850us/step".</summary>
    internal static string FormatPerStep(double seconds) =>
        seconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(seconds):0}s/step")
        : seconds >= 1e-3 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(seconds * 1e3):0}ms/step")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(seconds * 1e6):0}us/step");

    private void Draw(bool newLine)
    {
        if (InPlace)
        {
            int length = _line.Length;
            if (length < _lastLength) _line.Append(' ', _lastLength - length); // wipe what the longer line left
            _writer.Write('\r');
            _writer.Write(_line);
            _lastLength = newLine ? 0 : length;
        }
        else
        {
            _writer.Write(_line);
        }
        if (newLine) _writer.WriteLine();
    }
}

using System;
using System.Globalization;
using System.Text;

namespace NetGen.Metrics;

/// <summary>
/// Counts of (actual, predicted) label pairs, and the precision, recall and F1 derived from them. A class
/// that is never predicted has precision 0 and a class with no samples has recall 0 (scikit-learn's
/// <c>zero_division=0</c>), so no metric is ever NaN.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for labels 0 .. <paramref name="classCount"/> − 1.</summary>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="classNames">Names to print instead of the label numbers (optional).</param>
    public ConfusionMatrix(int classCount, string[]? classNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (classNames is not null && classNames.Length != classCount)
            throw new ArgumentException($"Expected {classCount} class names, got {classNames.Length}.", nameof(classNames));
        ClassCount = classCount;
        ClassNames = classNames;
        _counts = new long[classCount * classCount];
    }

    /// <summary>A matrix filled from paired label spans.</summary>
    public static ConfusionMatrix From(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, string[]? classNames = null)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} actual labels but {predicted.Length} predicted.", nameof(predicted));
        var m = new ConfusionMatrix(classCount, classNames);
        for (int i = 0; i < actual.Length; i++) m.Add(actual[i], predicted[i]);
        return m;
    }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }
    /// <summary>The class names, if given.</summary>
    public string[]? ClassNames { get; }
    /// <summary>The number of samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[Index(actual) * ClassCount + Index(predicted)];

    /// <summary>Counts one sample.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0 .. ClassCount − 1.</exception>
    public void Add(int actual, int predicted)
    {
        _counts[Index(actual) * ClassCount + Index(predicted)]++;
        Total++;
    }

    /// <summary>Correct predictions of class <paramref name="c"/>.</summary>
    public long TruePositives(int c) => this[c, c];
    /// <summary>Samples predicted as <paramref name="c"/> that are not.</summary>
    public long FalsePositives(int c) { long s = 0; for (int a = 0; a < ClassCount; a++) if (a != c) s += this[a, c]; return s; }
    /// <summary>Samples of class <paramref name="c"/> predicted as something else.</summary>
    public long FalseNegatives(int c) { long s = 0; for (int p = 0; p < ClassCount; p++) if (p != c) s += this[c, p]; return s; }
    /// <summary>The number of samples whose actual class is <paramref name="c"/>.</summary>
    public long Support(int c) => TruePositives(c) + FalseNegatives(c);

    /// <summary>The fraction of samples predicted correctly (0 when empty).</summary>
    public double Accuracy
    {
        get { long correct = 0; for (int c = 0; c < ClassCount; c++) correct += this[c, c]; return Ratio(correct, Total); }
    }

    /// <summary>tp / (tp + fp) of class <paramref name="c"/>; 0 when it was never predicted.</summary>
    public double Precision(int c) => Ratio(TruePositives(c), TruePositives(c) + FalsePositives(c));
    /// <summary>tp / (tp + fn) of class <paramref name="c"/>; 0 when it has no samples.</summary>
    public double Recall(int c) => Ratio(TruePositives(c), Support(c));
    /// <summary>The harmonic mean of precision and recall of class <paramref name="c"/>, 2tp / (2tp + fp + fn); 0 when both are 0.</summary>
    public double F1(int c) => Ratio(2 * TruePositives(c), 2 * TruePositives(c) + FalsePositives(c) + FalseNegatives(c));

    /// <summary>
    /// The Matthews correlation coefficient (scikit-learn's <c>matthews_corrcoef</c>, its multiclass form):
    /// (c·s − Σₖ pₖtₖ) / √((s² − Σₖ pₖ²)(s² − Σₖ tₖ²)) with c the correct predictions, s the samples, tₖ how many
    /// are of class k and pₖ how many were predicted as k. With two classes it is
    /// (tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn)). 1 is perfect, 0 no better than chance, −1 always wrong;
    /// 0 when a factor of the denominator is 0 (one class only, actual or predicted) or the matrix is empty.
    /// </summary>
    public double MatthewsCorrelation
    {
        get
        {
            // Counts as doubles, so that s² cannot overflow a long.
            double s = Total, correct = 0, sumPT = 0, sumP2 = 0, sumT2 = 0;
            for (int k = 0; k < ClassCount; k++)
            {
                double t = Support(k), p = TruePositives(k) + FalsePositives(k);
                correct += TruePositives(k);
                sumPT += p * t;
                sumP2 += p * p;
                sumT2 += t * t;
            }
            double denominator = Math.Sqrt((s * s - sumP2) * (s * s - sumT2));
            return denominator == 0 ? 0 : (correct * s - sumPT) / denominator;
        }
    }

    /// <summary>Precision averaged as <paramref name="averaging"/> says.</summary>
    public double Precision(Averaging averaging) => Average(averaging, Precision);
    /// <summary>Recall averaged as <paramref name="averaging"/> says.</summary>
    public double Recall(Averaging averaging) => Average(averaging, Recall);
    /// <summary>F1 averaged as <paramref name="averaging"/> says.</summary>
    public double F1(Averaging averaging) => Average(averaging, F1);

    private double Average(Averaging averaging, Func<int, double> perClass)
    {
        switch (averaging)
        {
            case Averaging.Binary:
                if (ClassCount != 2) throw new InvalidOperationException($"Binary averaging needs 2 classes; this matrix has {ClassCount}. Use Macro, Micro or Weighted.");
                return perClass(1);
            case Averaging.Micro:
                // Single-label: Σtp / (Σtp + Σfp) = Σtp / (Σtp + Σfn) = accuracy, and so is their harmonic mean.
                return Accuracy;
            case Averaging.Macro:
            {
                double sum = 0; int present = 0;
                for (int c = 0; c < ClassCount; c++)
                {
                    if (Support(c) == 0 && TruePositives(c) + FalsePositives(c) == 0) continue; // absent from both: not a label here
                    sum += perClass(c); present++;
                }
                return present == 0 ? 0 : sum / present;
            }
            case Averaging.Weighted:
            {
                double sum = 0;
                for (int c = 0; c < ClassCount; c++) sum += perClass(c) * Support(c);
                return Total == 0 ? 0 : sum / Total;
            }
            default: throw new ArgumentOutOfRangeException(nameof(averaging), averaging, null);
        }
    }

    /// <summary>The matrix as a table: rows are actual classes, columns predicted ones.</summary>
    public override string ToString()
    {
        var names = new string[ClassCount];
        for (int c = 0; c < ClassCount; c++) names[c] = ClassNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);
        int labelWidth = Math.Max("actual \\ predicted".Length, MaxLength(names));
        int cellWidth = Math.Max(MaxLength(names), Total.ToString(CultureInfo.InvariantCulture).Length) + 1;
        var sb = new StringBuilder();
        sb.Append("actual \\ predicted".PadRight(labelWidth));
        foreach (string n in names) sb.Append(n.PadLeft(cellWidth));
        sb.AppendLine();
        for (int a = 0; a < ClassCount; a++)
        {
            sb.Append(names[a].PadRight(labelWidth));
            for (int p = 0; p < ClassCount; p++) sb.Append(this[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(cellWidth));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static int MaxLength(string[] names) { int m = 0; foreach (string n in names) m = Math.Max(m, n.Length); return m; }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private int Index(int label)
    {
        if ((uint)label >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels must be in 0..{ClassCount - 1}.");
        return label;
    }
}

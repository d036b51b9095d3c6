using System;
using System.Globalization;
using System.Text;

namespace NetGen.Metrics;

/// <summary>What <see cref="Evaluation"/> found over a dataset: common to classification and regression.</summary>
public abstract class EvaluationReport
{
    private protected EvaluationReport(int sampleCount, double loss) { SampleCount = sampleCount; Loss = loss; }

    /// <summary>The number of samples evaluated.</summary>
    public int SampleCount { get; }
    /// <summary>The network's own loss over the dataset (mean over samples, no dropout).</summary>
    public double Loss { get; }
}

/// <summary>A classifier's results: the confusion matrix and everything derived from it.</summary>
public sealed class ClassificationReport : EvaluationReport
{
    internal ClassificationReport(int sampleCount, double loss, ConfusionMatrix confusion) : base(sampleCount, loss) => Confusion = confusion;

    /// <summary>Counts of (actual, predicted) pairs.</summary>
    public ConfusionMatrix Confusion { get; }
    /// <summary>The fraction of samples classified correctly.</summary>
    public double Accuracy => Confusion.Accuracy;
    /// <summary>Precision, averaged as asked (macro by default).</summary>
    public double Precision(Averaging averaging = Averaging.Macro) => Confusion.Precision(averaging);
    /// <summary>Recall, averaged as asked (macro by default).</summary>
    public double Recall(Averaging averaging = Averaging.Macro) => Confusion.Recall(averaging);
    /// <summary>F1, averaged as asked (macro by default).</summary>
    public double F1(Averaging averaging = Averaging.Macro) => Confusion.F1(averaging);

    /// <summary>A table like scikit-learn's <c>classification_report</c>, then the confusion matrix.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        int width = 12;
        for (int c = 0; c < Confusion.ClassCount; c++) width = Math.Max(width, Name(c).Length);
        var sb = new StringBuilder();
        sb.Append(' ', width).AppendLine("  precision     recall   f1-score    support").AppendLine();
        for (int c = 0; c < Confusion.ClassCount; c++)
            sb.AppendLine(inv, $"{Name(c).PadLeft(width)} {Confusion.Precision(c),10:F4} {Confusion.Recall(c),10:F4} {Confusion.F1(c),10:F4} {Confusion.Support(c),10}");
        sb.AppendLine();
        sb.AppendLine(inv, $"{"accuracy".PadLeft(width)} {"",10} {"",10} {Accuracy,10:F4} {Confusion.Total,10}");
        sb.AppendLine(inv, $"{"macro avg".PadLeft(width)} {Precision(Averaging.Macro),10:F4} {Recall(Averaging.Macro),10:F4} {F1(Averaging.Macro),10:F4} {Confusion.Total,10}");
        sb.AppendLine(inv, $"{"weighted avg".PadLeft(width)} {Precision(Averaging.Weighted),10:F4} {Recall(Averaging.Weighted),10:F4} {F1(Averaging.Weighted),10:F4} {Confusion.Total,10}");
        sb.AppendLine(inv, $"loss: {Loss:F4}").AppendLine();
        sb.Append(Confusion);
        return sb.ToString();
    }

    private string Name(int c) => Confusion.ClassNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A regressor's results.</summary>
public sealed class RegressionReport : EvaluationReport
{
    internal RegressionReport(int sampleCount, double loss, double meanSquaredError, double meanAbsoluteError, double r2) : base(sampleCount, loss)
    {
        MeanSquaredError = meanSquaredError;
        MeanAbsoluteError = meanAbsoluteError;
        R2 = r2;
    }

    /// <summary>Mean squared error over every output.</summary>
    public double MeanSquaredError { get; }
    /// <summary>Mean absolute error over every output.</summary>
    public double MeanAbsoluteError { get; }
    /// <summary>R², averaged uniformly over the outputs (scikit-learn's default).</summary>
    public double R2 { get; }

    /// <summary>One line: loss, MSE, MAE, R².</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"loss: {Loss:F4} - mse: {MeanSquaredError:F4} - mae: {MeanAbsoluteError:F4} - r2: {R2:F4} ({SampleCount} samples)");
}

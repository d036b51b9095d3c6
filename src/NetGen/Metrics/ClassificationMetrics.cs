using System;

namespace NetGen.Metrics;

/// <summary>Classification metrics over paired label spans, with scikit-learn's definitions (zero_division = 0).</summary>
public static class ClassificationMetrics
{
    /// <summary>The fraction of positions where the labels agree (0 for empty spans).</summary>
    public static double Accuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} actual labels but {predicted.Length} predicted.", nameof(predicted));
        int correct = 0;
        for (int i = 0; i < actual.Length; i++) if (actual[i] == predicted[i]) correct++;
        return actual.Length == 0 ? 0 : (double)correct / actual.Length;
    }

    /// <summary>Precision over labels 0 .. <paramref name="classCount"/> − 1, averaged as <paramref name="averaging"/> says.</summary>
    public static double Precision(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, Averaging averaging = Averaging.Macro)
        => ConfusionMatrix.From(actual, predicted, classCount).Precision(averaging);

    /// <summary>Recall over labels 0 .. <paramref name="classCount"/> − 1, averaged as <paramref name="averaging"/> says.</summary>
    public static double Recall(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, Averaging averaging = Averaging.Macro)
        => ConfusionMatrix.From(actual, predicted, classCount).Recall(averaging);

    /// <summary>F1 over labels 0 .. <paramref name="classCount"/> − 1, averaged as <paramref name="averaging"/> says.</summary>
    public static double F1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, Averaging averaging = Averaging.Macro)
        => ConfusionMatrix.From(actual, predicted, classCount).F1(averaging);

    /// <summary>The Matthews correlation coefficient over labels 0 .. <paramref name="classCount"/> − 1 (see <see cref="ConfusionMatrix.MatthewsCorrelation"/>).</summary>
    public static double MatthewsCorrelation(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
        => ConfusionMatrix.From(actual, predicted, classCount).MatthewsCorrelation;

    /// <summary>
    /// The label a network's output row stands for: the index of the largest output when there are several
    /// (softmax), else 1 when the single output is at least <paramref name="threshold"/> (sigmoid), else 0.
    /// </summary>
    public static int PredictedLabel(ReadOnlySpan<float> outputs, float threshold = 0.5f)
    {
        if (outputs.Length == 1) return outputs[0] >= threshold ? 1 : 0;
        int best = 0;
        for (int i = 1; i < outputs.Length; i++) if (outputs[i] > outputs[best]) best = i;
        return best;
    }
}

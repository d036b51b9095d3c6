using System;
using System.Numerics;
using NetGen.Data;
using NetGen.Training;

namespace NetGen.Metrics;

/// <summary>
/// Runs a network over a dataset in batches (<c>Predict</c> and <c>ComputeLoss</c>, no dropout) and reports
/// classification or regression metrics.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Evaluates as a classifier when the targets are class labels or 0/1 values (one-hot rows, binary labels),
    /// else as a regressor.
    /// </summary>
    public static EvaluationReport Evaluate<TNetwork, T>(TNetwork network, Dataset data, int batchSize = 256)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
        => LooksLikeClassification(data, network.OutputSize)
            ? EvaluateClassifier<TNetwork, T>(network, data, batchSize)
            : EvaluateRegressor<TNetwork, T>(network, data, batchSize);

    /// <inheritdoc cref="Evaluate{TNetwork, T}"/>
    public static EvaluationReport Evaluate<TNetwork>(TNetwork network, Dataset data, int batchSize = 256) where TNetwork : INetwork<float>
        => Evaluate<TNetwork, float>(network, data, batchSize);

    /// <summary>Evaluates a double network; see <see cref="Evaluate{TNetwork, T}"/>. Lets the call compile without type arguments.</summary>
    public static EvaluationReport Evaluate(INetwork<double> network, Dataset data, int batchSize = 256)
        => Evaluate<INetwork<double>, double>(network, data, batchSize);

    /// <summary>
    /// Classifies every sample: the predicted label is the arg-max output (or output ≥ 0.5 for a single
    /// output); the actual label is the target (one label per sample) or the arg-max of a one-hot row.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset's rows do not fit the network.</exception>
    public static ClassificationReport EvaluateClassifier<TNetwork, T>(TNetwork network, Dataset data, int batchSize = 256)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Class ids one per time step (a sequence of distributions): every step is one prediction in the matrix.
        int labels = TrainingLoop<TNetwork, T>.LabelsPerSample(network);
        int groups = labels > 1 && data.TargetCount == labels ? labels : 1;
        int width = network.OutputSize / groups;
        int classes = Math.Max(2, width);
        string[]? names = data.ClassNames is { } n && n.Length == classes ? n : null;
        var confusion = new ConfusionMatrix(classes, names);
        float[] outputRow = new float[width];
        double loss = Run<TNetwork, T>(network, data, batchSize, (outputs, start, count) =>
        {
            for (int i = 0; i < count; i++)
                for (int g = 0; g < groups; g++)
                {
                    for (int j = 0; j < width; j++) outputRow[j] = float.CreateTruncating(outputs[(i * groups + g) * width + j]);
                    int predicted = ClassificationMetrics.PredictedLabel(outputRow);
                    int actual = data.TargetCount == groups ? (int)MathF.Round(data.Targets[(start + i) * groups + g]) : data.Label(start + i);
                    confusion.Add(actual, predicted);
                }
        });
        return new ClassificationReport(data.Count, loss, confusion);
    }

    /// <inheritdoc cref="EvaluateClassifier{TNetwork, T}"/>
    public static ClassificationReport EvaluateClassifier<TNetwork>(TNetwork network, Dataset data, int batchSize = 256) where TNetwork : INetwork<float>
        => EvaluateClassifier<TNetwork, float>(network, data, batchSize);

    /// <summary>Evaluates a double network as a classifier; see <see cref="EvaluateClassifier{TNetwork, T}"/>.</summary>
    public static ClassificationReport EvaluateClassifier(INetwork<double> network, Dataset data, int batchSize = 256)
        => EvaluateClassifier<INetwork<double>, double>(network, data, batchSize);

    /// <summary>Compares every output with its target: MSE, MAE and R² (averaged over outputs).</summary>
    /// <exception cref="ArgumentException">The dataset's rows do not fit the network.</exception>
    public static RegressionReport EvaluateRegressor<TNetwork, T>(TNetwork network, Dataset data, int batchSize = 256)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = network.OutputSize;
        if (data.TargetCount != outputs)
            throw new ArgumentException($"The dataset has {data.TargetCount} targets per sample; the network has OutputSize = {outputs}.", nameof(data));
        var predicted = new float[data.Count * outputs];
        double loss = Run<TNetwork, T>(network, data, batchSize, (batch, start, count) =>
        {
            for (int i = 0; i < count * outputs; i++) predicted[start * outputs + i] = float.CreateTruncating(batch[i]);
        });
        double r2 = 0;
        var actualColumn = new float[data.Count];
        var predictedColumn = new float[data.Count];
        for (int j = 0; j < outputs; j++)
        {
            for (int i = 0; i < data.Count; i++) { actualColumn[i] = data.Targets[i * outputs + j]; predictedColumn[i] = predicted[i * outputs + j]; }
            r2 += RegressionMetrics.R2(actualColumn, predictedColumn);
        }
        return new RegressionReport(data.Count, loss,
            RegressionMetrics.MeanSquaredError(data.Targets, predicted),
            RegressionMetrics.MeanAbsoluteError(data.Targets, predicted),
            outputs == 0 ? 0 : r2 / outputs);
    }

    /// <inheritdoc cref="EvaluateRegressor{TNetwork, T}"/>
    public static RegressionReport EvaluateRegressor<TNetwork>(TNetwork network, Dataset data, int batchSize = 256) where TNetwork : INetwork<float>
        => EvaluateRegressor<TNetwork, float>(network, data, batchSize);

    /// <summary>Evaluates a double network as a regressor; see <see cref="EvaluateRegressor{TNetwork, T}"/>.</summary>
    public static RegressionReport EvaluateRegressor(INetwork<double> network, Dataset data, int batchSize = 256)
        => EvaluateRegressor<INetwork<double>, double>(network, data, batchSize);

    /// <summary>Evaluates a float token-input network on token ids; see <see cref="Evaluate{TNetwork, T}"/>.</summary>
    public static EvaluationReport Evaluate<TNetwork>(TNetwork network, TokenDataset data, int batchSize = 256) where TNetwork : ITokenNetwork<float>
        => Evaluate<TokenInputAdapter<TNetwork, float>, float>(new TokenInputAdapter<TNetwork, float>(network), data.AsDataset(), batchSize);

    /// <summary>
    /// Classifies every sample of token ids (or every time step, with one class id per step): see
    /// <see cref="EvaluateClassifier{TNetwork, T}"/>.
    /// </summary>
    public static ClassificationReport EvaluateClassifier<TNetwork>(TNetwork network, TokenDataset data, int batchSize = 256) where TNetwork : ITokenNetwork<float>
        => EvaluateClassifier<TokenInputAdapter<TNetwork, float>, float>(new TokenInputAdapter<TNetwork, float>(network), data.AsDataset(), batchSize);

    /// <summary>Evaluates a double token-input network as a classifier; see <see cref="EvaluateClassifier{TNetwork, T}"/>.</summary>
    public static ClassificationReport EvaluateClassifier(ITokenNetwork<double> network, TokenDataset data, int batchSize = 256)
        => EvaluateClassifier<TokenInputAdapter<ITokenNetwork<double>, double>, double>(new TokenInputAdapter<ITokenNetwork<double>, double>(network), data.AsDataset(), batchSize);

    /// <summary>Compares every output of a float token-input network with its target; see <see cref="EvaluateRegressor{TNetwork, T}"/>.</summary>
    public static RegressionReport EvaluateRegressor<TNetwork>(TNetwork network, TokenDataset data, int batchSize = 256) where TNetwork : ITokenNetwork<float>
        => EvaluateRegressor<TokenInputAdapter<TNetwork, float>, float>(new TokenInputAdapter<TNetwork, float>(network), data.AsDataset(), batchSize);

    private delegate void BatchOutputs<T>(ReadOnlySpan<T> outputs, int start, int count);

    /// <summary>Predicts each batch, hands its outputs to <paramref name="consume"/>, and returns the mean loss.</summary>
    private static double Run<TNetwork, T>(TNetwork network, Dataset data, int batchSize, BatchOutputs<T> consume)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int capacity = Math.Max(1, Math.Min(batchSize, data.Count));
        var buffer = new BatchBuffer<T>(data, network.InputSize, network.OutputSize, capacity, "dataset", TrainingLoop<TNetwork, T>.LabelsPerSample(network));
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            buffer.GatherRange(data, start, count);
            Span<T> outputs = buffer.Outputs.AsSpan(0, count * network.OutputSize);
            network.Predict(buffer.Inputs(count), outputs, count);
            lossSum += double.CreateTruncating(network.ComputeLoss(buffer.Inputs(count), buffer.Targets(count), count)) * count;
            consume(outputs, start, count);
        }
        return data.Count == 0 ? 0 : lossSum / data.Count;
    }

    private static bool LooksLikeClassification(Dataset data, int outputSize)
    {
        if (data.TargetCount == 1 && outputSize > 1) return true;
        foreach (float t in data.Targets) if (t != 0f && t != 1f) return false;
        return data.Count > 0;
    }
}

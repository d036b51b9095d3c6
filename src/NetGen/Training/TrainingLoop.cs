using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using NetGen.Data;
using NetGen.Numerics;

namespace NetGen.Training;

/// <summary>
/// The totals of one training epoch (the metric values are in <see cref="TrainingLoop{TNetwork, T}.MetricValues"/>):
/// the mean loss and count of the steps that completed with a finite loss, and what stopped it early, if anything.
/// </summary>
internal readonly record struct EpochTotals(double Loss, int Steps, TrainingDivergence? Divergence);

/// <summary>
/// The per-step work of <see cref="Trainer"/>: every buffer is allocated in the constructor, so after the
/// network's own warm-up (its first call with each batch size) an epoch allocates nothing. Shuffling moves
/// indices; each step gathers its rows into the batch buffer and calls <c>TrainStep</c>.
/// </summary>
internal sealed class TrainingLoop<TNetwork, T>
    where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TNetwork _network;
    private readonly DatasetRange _train;
    private readonly DatasetRange? _validation;
    private readonly int[] _order;
    private readonly int _batchSize;
    private readonly bool _shuffle;
    private readonly BatchBuffer<T> _trainBatch;
    private readonly BatchBuffer<T>? _validationBatch;
    private readonly TrainingMetric[] _metrics;
    private readonly double[] _metricSums;
    private readonly StepGuard<TNetwork, T> _guard;
    /// <summary>Labels per sample the accuracy compares (one per time step for a sequence of distributions), else 1.</summary>
    private readonly int _accuracyGroups;

    /// <summary>
    /// Steps between two copies of the training state. A failing step is undone by restoring the last copy and
    /// replaying the steps since (training is deterministic), so the copy costs 1/<see cref="GuardInterval"/> of a
    /// parameter copy per step instead of a whole one.
    /// </summary>
    internal const int GuardInterval = 128;
    private SplitMix64 _rng;
    /// <summary>Whether the network keeps its training outputs (<see cref="INetwork{T}.TrainingOutputs"/>): learned at the first step.</summary>
    private bool _metricsFromTrainingOutputs;
    private int _firstEpoch = -1;
    private readonly LearningRateSchedule? _stepSchedule;
    private readonly int _evaluationInterval;
    private readonly double[] _evaluationMetrics;

    /// <summary>η_max for a step schedule other than <see cref="WarmupCosineSchedule"/> (the rate training began with).</summary>
    public double InitialLearningRate { get; set; }

    /// <summary>Where the evaluations every <see cref="TrainingOptions.EvaluationInterval"/> steps go.</summary>
    public List<StepEvaluation>? Evaluations { get; set; }

    public TrainingLoop(TNetwork network, DatasetRange train, DatasetRange? validation, TrainingOptions options)
    {
        _network = network;
        _train = train;
        _validation = validation;
        _batchSize = Math.Max(1, Math.Min(options.BatchSize, train.Count));
        _shuffle = options.Shuffle;
        _rng = SplitMix64.FromSeed(options.Seed);
        _order = new int[train.Count];
        // Row numbers of the dataset the training range is taken from: gathering reads the caller's rows in place.
        for (int i = 0; i < _order.Length; i++) _order[i] = train.Start + i;
        int labels = LabelsPerSample(network);
        _accuracyGroups = network.OutputSize % labels == 0 ? labels : 1;
        _trainBatch = new BatchBuffer<T>(train.Data, train.Start, train.Count, network.InputSize, network.OutputSize, _batchSize, "training data", labels);
        if (validation is { Count: > 0 } held)
            _validationBatch = new BatchBuffer<T>(held.Data, held.Start, held.Count, network.InputSize, network.OutputSize, Math.Min(Math.Max(_batchSize, 256), held.Count), "validation data", labels);
        _metrics = [.. options.Metrics];
        _metricSums = new double[_metrics.Length];
        MetricValues = new double[_metrics.Length];
        MetricNames = new string[_metrics.Length];
        for (int m = 0; m < _metrics.Length; m++) MetricNames[m] = Name(_metrics[m]);
        _guard = new StepGuard<TNetwork, T>(network);
        _stepSchedule = options.StepSchedule;
        _evaluationInterval = options.EvaluationInterval;
        _evaluationMetrics = new double[_metrics.Length];
    }

    /// <summary>Step t over the whole run: the steps of the earlier epochs, then this epoch's.</summary>
    private long GlobalStep(int epoch, int step) => (long)(epoch - 1) * StepsPerEpoch + step;

    /// <summary>Sets the network's rate for global step t from the step schedule, if there is one.</summary>
    private void ApplyStepSchedule(int epoch, int step)
    {
        if (_stepSchedule is null) return;
        int t = (int)Math.Min(int.MaxValue, GlobalStep(epoch, step));
        _network.LearningRate = _stepSchedule is WarmupCosineSchedule cosine ? cosine.RateAt(t) : _stepSchedule.RateAt(t, InitialLearningRate);
    }

    /// <summary>After step t (0-based) completes: every EvaluationInterval steps, the held-out loss goes into <see cref="Evaluations"/>.</summary>
    private void EvaluateIfDue(int epoch, int step)
    {
        long taken = GlobalStep(epoch, step) + 1;
        if (_evaluationInterval <= 0 || taken % _evaluationInterval != 0) return;
        double loss = Validate(_evaluationMetrics);
        Evaluations?.Add(new StepEvaluation(taken, epoch, _network.LearningRate, loss));
    }

    /// <summary>
    /// Replays the shuffles of epochs 1 .. <paramref name="epochs"/> without training, so that resuming at epoch
    /// <paramref name="epochs"/> + 1 draws the same batches as an uninterrupted run.
    /// </summary>
    public void SkipEpochs(int epochs)
    {
        if (!_shuffle) return;
        for (int e = 0; e < epochs; e++) DatasetTransforms.Shuffle(_order, ref _rng);
    }

    /// <summary>Batches per epoch.</summary>
    public int StepsPerEpoch => (_train.Count + _batchSize - 1) / _batchSize;
    /// <summary>The tracked metrics' names.</summary>
    public string[] MetricNames { get; }
    /// <summary>The running (then final) metric values of the current epoch.</summary>
    public double[] MetricValues { get; }
    /// <summary>True when validation data was given.</summary>
    public bool HasValidation => _validationBatch is not null;

    /// <summary>
    /// Trains one epoch. With <paramref name="stopOnNonFinite"/>, the first step whose loss is NaN or infinite ends
    /// the epoch: it is diagnosed, then undone (the state copied at the last multiple of <see cref="GuardInterval"/>
    /// steps is restored and the steps since are replayed, which gives the same bits).
    /// </summary>
    public EpochTotals RunEpoch(int epoch, int epochs, bool stopOnNonFinite, IProgress<TrainingProgress>? progress)
    {
        long started = Stopwatch.GetTimestamp();
        if (_firstEpoch < 0) _firstEpoch = epoch;
        if (_shuffle) DatasetTransforms.Shuffle(_order, ref _rng);
        Array.Clear(_metricSums);
        Array.Clear(MetricValues);
        double lossSum = 0;
        int samples = 0, steps = StepsPerEpoch, guardedStep = 0;
        for (int step = 0; step < steps; step++)
        {
            int start = step * _batchSize;
            int count = Math.Min(_batchSize, _train.Count - start);
            _trainBatch.Gather(_train.Data, _order.AsSpan(start, count));
            ReadOnlySpan<T> inputs = _trainBatch.Inputs(count), targets = _trainBatch.Targets(count);
            bool predicted = false;
            if (_metrics.Length > 0 && !_metricsFromTrainingOutputs)
            {
                // A network that does not keep its training outputs: a forward pass of its own, dropout off.
                Span<T> outputs = _trainBatch.Outputs.AsSpan(0, count * _network.OutputSize);
                _network.Predict(inputs, outputs, count);
                AccumulateMetrics(outputs, targets, count, _metricSums);
                predicted = true;
            }
            if (stopOnNonFinite && step % GuardInterval == 0) { _guard.Capture(); guardedStep = step; }
            ApplyStepSchedule(epoch, step);
            double loss = double.CreateTruncating(_network.TrainStep(inputs, targets, count));
            if (!double.IsFinite(loss) && stopOnNonFinite)
            {
                // Say why the step failed (from its batch, still in the buffer), then undo it: its update is NaN or ∞.
                string? layer = _network.FindNonFiniteLayer();
                double learningRate = _network.LearningRate;
                TrainingDivergence divergence = Diagnose(epoch, step + 1, steps, loss, inputs, targets, start, count, layer, learningRate);
                _guard.Restore();
                Replay(epoch, guardedStep, step);
                return new EpochTotals(samples == 0 ? double.NaN : lossSum / samples, step, divergence);
            }
            if (_metrics.Length > 0)
            {
                // The metrics see the outputs of the step's own forward pass (the parameters it starts from, dropout
                // on, as Keras's do), so they cost no second forward pass. The first step tells whether the network keeps them.
                ReadOnlySpan<T> trained = _network.TrainingOutputs;
                bool kept = trained.Length == count * _network.OutputSize;
                if (kept && !predicted) AccumulateMetrics(trained, targets, count, _metricSums);
                if (step == 0 && epoch == _firstEpoch) _metricsFromTrainingOutputs = kept;
            }
            lossSum += loss * count;
            samples += count;
            EvaluateIfDue(epoch, step);
            for (int m = 0; m < _metrics.Length; m++) MetricValues[m] = MetricValue(_metrics[m], _metricSums[m], samples);
            progress?.Report(new TrainingProgress(TrainingProgressKind.BatchEnd, epoch, epochs, step + 1, steps, lossSum / samples,
                MetricNames, MetricValues, Stopwatch.GetElapsedTime(started)));
        }
        return new EpochTotals(samples == 0 ? 0 : lossSum / samples, steps, Divergence: null);
    }

    /// <summary>Trains steps <paramref name="from"/> .. <paramref name="to"/> − 1 of this epoch's order again (they had finite losses).</summary>
    private void Replay(int epoch, int from, int to)
    {
        for (int step = from; step < to; step++)
        {
            ApplyStepSchedule(epoch, step);
            int start = step * _batchSize;
            int count = Math.Min(_batchSize, _train.Count - start);
            _trainBatch.Gather(_train.Data, _order.AsSpan(start, count));
            _network.TrainStep(_trainBatch.Inputs(count), _trainBatch.Targets(count), count);
        }
    }

    /// <summary>Finds the first non-finite input or target of the failing batch (naming its row of the training data), else blames the learning rate.</summary>
    private TrainingDivergence Diagnose(int epoch, int step, int steps, double loss, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        int start, int count, string? layer, double learningRate)
    {
        int inputSize = _network.InputSize, outputSize = _network.OutputSize;
        for (int i = 0; i < count; i++)
        {
            int row = _order[start + i];
            for (int j = 0; j < inputSize; j++)
                if (!T.IsFinite(inputs[i * inputSize + j]))
                    return Divergence(DivergenceCause.NonFiniteInput, row, j, double.CreateTruncating(inputs[i * inputSize + j]));
            for (int j = 0; j < outputSize; j++)
                if (!T.IsFinite(targets[i * outputSize + j]))
                    return Divergence(DivergenceCause.NonFiniteTarget, row, j, double.CreateTruncating(targets[i * outputSize + j]));
        }
        return Divergence(DivergenceCause.LossOverflow, null, null, double.NaN);

        TrainingDivergence Divergence(DivergenceCause cause, int? row, int? column, double value) => new(
            epoch, step, loss, cause, row, column, layer, learningRate,
            TrainingDivergence.Explain(epoch, step, steps, loss, cause, row, column, value, layer, learningRate));
    }

    /// <summary>The validation loss and metrics (written into <paramref name="metricValues"/>).</summary>
    public double Validate(double[] metricValues)
    {
        if (_validationBatch is null || _validation is not { } validation) return double.NaN;
        Array.Clear(metricValues);
        var sums = metricValues;
        double lossSum = 0;
        int capacity = _validationBatch.Outputs.Length / _network.OutputSize;
        for (int start = 0; start < validation.Count; start += capacity)
        {
            int count = Math.Min(capacity, validation.Count - start);
            _validationBatch.GatherRange(validation.Data, validation.Start + start, count);
            ReadOnlySpan<T> inputs = _validationBatch.Inputs(count), targets = _validationBatch.Targets(count);
            lossSum += double.CreateTruncating(_network.ComputeLoss(inputs, targets, count)) * count;
            if (_metrics.Length > 0)
            {
                // The metrics see the outputs of the loss's own forward pass; a network that does not keep them predicts again.
                ReadOnlySpan<T> evaluated = _network.EvaluationOutputs;
                if (evaluated.Length != count * _network.OutputSize)
                {
                    Span<T> outputs = _validationBatch.Outputs.AsSpan(0, count * _network.OutputSize);
                    _network.Predict(inputs, outputs, count);
                    evaluated = outputs;
                }
                AccumulateMetrics(evaluated, targets, count, sums);
            }
        }
        for (int m = 0; m < _metrics.Length; m++) metricValues[m] = MetricValue(_metrics[m], sums[m], validation.Count);
        return lossSum / validation.Count;
    }

    /// <summary>Adds one batch to the metric sums: correct predictions, Σ|e|, Σe² (per sample, averaged over outputs).</summary>
    private void AccumulateMetrics(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int count, double[] sums)
    {
        int width = _network.OutputSize;
        for (int m = 0; m < _metrics.Length; m++)
        {
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<T> o = outputs.Slice(i * width, width), t = targets.Slice(i * width, width);
                switch (_metrics[m])
                {
                    case TrainingMetric.Accuracy:
                        // The share of labels predicted right: one per sample, or one per time step of a sequence output.
                        int groups = _accuracyGroups, classes = width / groups;
                        for (int g = 0; g < groups; g++)
                            if (PredictedLabel(o.Slice(g * classes, classes)) == PredictedLabel(t.Slice(g * classes, classes))) sum += 1.0 / groups;
                        break;
                    case TrainingMetric.MeanAbsoluteError:
                        for (int j = 0; j < width; j++) sum += Math.Abs(double.CreateTruncating(o[j] - t[j])) / width;
                        break;
                    case TrainingMetric.MeanSquaredError:
                        for (int j = 0; j < width; j++) { double e = double.CreateTruncating(o[j] - t[j]); sum += e * e / width; }
                        break;
                }
            }
            sums[m] += sum;
        }
    }

    /// <summary>Class ids per sample the network takes: a token network's (through its adapter) or a CrossEntropy network's LabelsPerSample, else 1.</summary>
    internal static int LabelsPerSample(TNetwork network) => network switch
    {
        ILabelLayout adapter => adapter.LabelsPerSample,
        IClassIndexTargets<T, T> classIds => classIds.LabelsPerSample,
        _ => 1,
    };

    private static int PredictedLabel(ReadOnlySpan<T> row)
    {
        if (row.Length == 1) return row[0] >= T.CreateTruncating(0.5) ? 1 : 0;
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    private static double MetricValue(TrainingMetric metric, double sum, int samples) => samples == 0 ? 0 : sum / samples;

    internal static string Name(TrainingMetric metric) => metric switch
    {
        TrainingMetric.Accuracy => "accuracy",
        TrainingMetric.MeanAbsoluteError => "mae",
        TrainingMetric.MeanSquaredError => "mse",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}

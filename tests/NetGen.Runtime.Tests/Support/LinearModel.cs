using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Support;

/// <summary>The loss and output activation of a <see cref="LinearModel{T}"/>.</summary>
public enum LinearHead
{
    /// <summary>Identity outputs, mean squared error.</summary>
    MeanSquaredError,
    /// <summary>Softmax outputs, cross-entropy from the logits.</summary>
    SoftmaxCrossEntropy,
    /// <summary>Sigmoid outputs, binary cross-entropy.</summary>
    SigmoidBinaryCrossEntropy,
}

/// <summary>
/// A hand-written one-layer network, y = act(W·x + b), implementing <see cref="INetwork{T}"/> as a generated
/// network would (PyTorch layout, mean losses, SGD or momentum), so the runtime can be tested without the
/// generator. It grows its scratch buffers on the first call with a larger batch and never allocates again.
/// </summary>
public sealed class LinearModel<T> : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly T[] _gradients;
    private readonly T[] _state;
    private readonly ParameterTensor[] _tensors;
    private T[] _outputs = [];
    private bool _lastPassFinite = true;

    /// <summary>A model with <paramref name="inputs"/> → <paramref name="outputs"/>, initialised from <paramref name="seed"/>.</summary>
    public LinearModel(int inputs, int outputs, LinearHead head, int seed = 1, bool momentum = false, double learningRate = 0.1, string layerName = "layers.0")
    {
        InputSize = inputs;
        OutputSize = outputs;
        Head = head;
        ParameterCount = outputs * inputs + outputs;
        _parameters = new T[ParameterCount];
        _gradients = new T[ParameterCount];
        OptimizerStateSlots = momentum ? 1 : 0;
        _state = new T[OptimizerStateSlots * ParameterCount];
        _tensors = [new ParameterTensor(layerName + ".weight", 0, [outputs, inputs]), new ParameterTensor(layerName + ".bias", outputs * inputs, [outputs])];
        LearningRate = learningRate;
        InitializeParameters(seed);
    }

    public LinearHead Head { get; }
    public int InputSize { get; }
    public int OutputSize { get; }
    public int ParameterCount { get; }
    public Span<T> Parameters => _parameters;
    public ReadOnlySpan<T> Gradients => _gradients;
    public IReadOnlyList<ParameterTensor> ParameterTensors => _tensors;
    public Span<T> OptimizerState => _state;
    public int OptimizerStateSlots { get; }
    public long OptimizerStep { get; set; }
    public double LearningRate { get; set; }
    public ulong RandomState { get; set; }
    /// <summary>Counts TrainStep calls (tests check the number of steps).</summary>
    public int TrainStepCalls { get; private set; }

    public void InitializeParameters(int seed)
    {
        var rng = SplitMix64.FromSeed(seed);
        Initializers.GlorotUniform(_parameters.AsSpan(0, OutputSize * InputSize), InputSize, OutputSize, ref rng);
        _parameters.AsSpan(OutputSize * InputSize).Clear();
        Array.Clear(_state);
        OptimizerStep = 0;
        RandomState = rng.State;
    }

    public void Predict(ReadOnlySpan<T> input, Span<T> output) => Predict(input, output, 1);

    public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize)
    {
        CheckSizes(inputs.Length, batchSize);
        Forward(inputs, batchSize);
        _outputs.AsSpan(0, batchSize * OutputSize).CopyTo(outputs);
    }

    public T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize)
    {
        CheckSizes(inputs.Length, batchSize);
        Forward(inputs, batchSize);
        return Loss(targets, batchSize);
    }

    public T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize)
    {
        T loss = ComputeLoss(inputs, targets, batchSize);
        Array.Clear(_gradients);
        // dL/dz: (p − t)/B for softmax+CE; (p − t)/(B·n) for sigmoid+BCE; 2(y − t)/(B·n) for MSE.
        T scale = Head switch
        {
            LinearHead.SoftmaxCrossEntropy => T.One / T.CreateTruncating(batchSize),
            LinearHead.SigmoidBinaryCrossEntropy => T.One / T.CreateTruncating(batchSize * OutputSize),
            _ => T.CreateTruncating(2) / T.CreateTruncating(batchSize * OutputSize),
        };
        int bias = OutputSize * InputSize;
        for (int b = 0; b < batchSize; b++)
            for (int o = 0; o < OutputSize; o++)
            {
                T dz = (_outputs[b * OutputSize + o] - targets[b * OutputSize + o]) * scale;
                for (int i = 0; i < InputSize; i++) _gradients[o * InputSize + i] += dz * inputs[b * InputSize + i];
                _gradients[bias + o] += dz;
            }
        return loss;
    }

    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize)
    {
        T loss = ComputeGradients(inputs, targets, batchSize);
        T lr = T.CreateTruncating(LearningRate);
        for (int i = 0; i < ParameterCount; i++)
        {
            T g = _gradients[i];
            if (OptimizerStateSlots == 1) g = _state[i] = T.CreateTruncating(0.9) * _state[i] + g;
            _parameters[i] -= lr * g;
        }
        OptimizerStep++;
        TrainStepCalls++;
        return loss;
    }

    public string? FindNonFiniteLayer() => _lastPassFinite ? null : _tensors[0].Name[..^".weight".Length];

    private void Forward(ReadOnlySpan<T> inputs, int batchSize)
    {
        if (_outputs.Length < batchSize * OutputSize) _outputs = new T[batchSize * OutputSize];
        int bias = OutputSize * InputSize;
        _lastPassFinite = true;
        for (int b = 0; b < batchSize; b++)
        {
            Span<T> z = _outputs.AsSpan(b * OutputSize, OutputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                T sum = _parameters[bias + o];
                for (int i = 0; i < InputSize; i++) sum += _parameters[o * InputSize + i] * inputs[b * InputSize + i];
                z[o] = sum;
                _lastPassFinite &= T.IsFinite(sum);
            }
            if (Head == LinearHead.SoftmaxCrossEntropy)
            {
                T max = z[0];
                foreach (T v in z) max = T.Max(max, v);
                T total = T.Zero;
                for (int o = 0; o < z.Length; o++) total += z[o] = T.Exp(z[o] - max);
                for (int o = 0; o < z.Length; o++) z[o] /= total;
            }
            else if (Head == LinearHead.SigmoidBinaryCrossEntropy)
            {
                for (int o = 0; o < z.Length; o++) z[o] = T.One / (T.One + T.Exp(-z[o]));
            }
        }
    }

    private T Loss(ReadOnlySpan<T> targets, int batchSize)
    {
        T sum = T.Zero;
        T tiny = T.CreateTruncating(1e-12);
        for (int k = 0; k < batchSize * OutputSize; k++)
        {
            T y = _outputs[k], t = targets[k];
            T term = Head switch
            {
                LinearHead.SoftmaxCrossEntropy => -t * T.Log(y + tiny),
                LinearHead.SigmoidBinaryCrossEntropy => -(t * T.Log(y + tiny) + (T.One - t) * T.Log(T.One - y + tiny)),
                _ => (y - t) * (y - t),
            };
            _lastPassFinite &= T.IsFinite(term); // the layer's output overflowed the loss
            sum += term;
        }
        return Head == LinearHead.SoftmaxCrossEntropy ? sum / T.CreateTruncating(batchSize) : sum / T.CreateTruncating(batchSize * OutputSize);
    }

    private void CheckSizes(int inputLength, int batchSize)
    {
        if (inputLength != batchSize * InputSize)
            throw new ArgumentException($"Expected {batchSize} × {InputSize} inputs, got {inputLength}.");
    }
}

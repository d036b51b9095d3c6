using System;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.NetGenRows;

/// <summary>The generated 784-128-10 network on the shared weights and data, called as its users call it.</summary>
public sealed class NetGenMlp
{
    private readonly Mlp784Net _net = new();
    private readonly ClassificationBatch _data;
    private int _batch = 1;

    public float[] Outputs { get; } = new float[Mlp784.MaxBatch * Mlp784.Outputs];

    public NetGenMlp(Mlp784.Weights weights, ClassificationBatch data)
    {
        if (Mlp784Net.ParameterCount != weights.Count) throw new InvalidOperationException($"Mlp784Net has {Mlp784Net.ParameterCount} parameters, the workload {weights.Count}.");
        weights.CopyTo(_net.Parameters);
        _data = data;
    }

    /// <summary>Sets the batch size and makes the first call at it, which sizes the network's buffers (untimed).</summary>
    public void Prepare(int batch)
    {
        _batch = batch;
        Predict();
    }

    public void Predict() => _net.Predict(
        _data.Inputs.AsSpan(0, _batch * Mlp784.Inputs), Outputs.AsSpan(0, _batch * Mlp784.Outputs), _batch);

    public float TrainStep() => _net.TrainStep(
        _data.Inputs.AsSpan(0, _batch * Mlp784.Inputs), _data.OneHot.AsSpan(0, _batch * Mlp784.Outputs), _batch);

    public float[] FlatParameters() => _net.Parameters.ToArray();

    public float Loss() => _net.ComputeLoss(
        _data.Inputs.AsSpan(0, _batch * Mlp784.Inputs), _data.OneHot.AsSpan(0, _batch * Mlp784.Outputs), _batch);
}

/// <summary>The generated 4-32-16-4 network: an epoch is a train step per batch over the 10,000 samples in order.</summary>
public sealed class NetGenSimpleChains
{
    private readonly SimpleChainsNet _net = new();
    private readonly SimpleChains.DataSet _data;
    private int _batch = 1, _samples = SimpleChains.Samples;

    public NetGenSimpleChains(SimpleChains.Weights weights, SimpleChains.DataSet data)
    {
        weights.CopyTo(_net.Parameters);
        _data = data;
    }

    /// <summary>Sets the batch size and the samples an epoch covers (the first <paramref name="samples"/>), and sizes the buffers with one untimed call (no update).</summary>
    public void Prepare(int batch, int samples = SimpleChains.Samples)
    {
        _batch = batch;
        _samples = samples;
        _net.ComputeGradients(_data.Inputs.AsSpan(0, batch * SimpleChains.Inputs), _data.Targets.AsSpan(0, batch * SimpleChains.Outputs), batch);
    }

    public void Epoch()
    {
        ReadOnlySpan<float> x = _data.Inputs, y = _data.Targets;
        for (int start = 0; start < _samples; start += _batch)
        {
            int n = Math.Min(_batch, _samples - start);
            _net.TrainStep(x.Slice(start * SimpleChains.Inputs, n * SimpleChains.Inputs), y.Slice(start * SimpleChains.Outputs, n * SimpleChains.Outputs), n);
        }
    }

    public float Loss() => _net.ComputeLoss(_data.Inputs, _data.Targets, SimpleChains.Samples);
}

/// <summary>The generated LeNet-5 on the shared weights and images.</summary>
public sealed class NetGenLeNet5
{
    private readonly LeNet5Net _net = new();
    private readonly ClassificationBatch _data;
    private int _batch = 1;

    public float[] Outputs { get; } = new float[LeNet5.MaxBatch * LeNet5.Outputs];

    public NetGenLeNet5(float[][] weights, ClassificationBatch data)
    {
        LeNet5.CopyTo(weights, _net.Parameters);
        _data = data;
    }

    /// <summary>Sets the batch size and sizes the buffers with one untimed call.</summary>
    public void Prepare(int batch)
    {
        _batch = batch;
        Predict();
        _net.ComputeGradients(Inputs, Targets, _batch);
    }

    private ReadOnlySpan<float> Inputs => _data.Inputs.AsSpan(0, _batch * LeNet5.Inputs);
    private ReadOnlySpan<float> Targets => _data.OneHot.AsSpan(0, _batch * LeNet5.Outputs);

    public void Predict() => _net.Predict(Inputs, Outputs.AsSpan(0, _batch * LeNet5.Outputs), _batch);

    public float TrainStep() => _net.TrainStep(Inputs, Targets, _batch);

    public float[] FlatParameters() => _net.Parameters.ToArray();
}

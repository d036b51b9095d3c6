using System;
using System.Collections.Generic;
using NetGen.Benchmarks.Workloads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The SimpleChains 4-32-16-4 Tanh MLP in TorchSharp: <c>nn.Sequential</c>, <c>mse_loss</c>, <c>optim.Adam</c>.
/// The epoch's batches are sliced into tensors once per batch size (untimed), so an epoch is only train steps.
/// </summary>
public sealed class TorchSimpleChains : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly SimpleChains.DataSet _data;
    private readonly List<(Tensor X, Tensor Y)> _batches = [];

    public TorchSimpleChains(SimpleChains.Weights weights, SimpleChains.DataSet data, int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _data = data;
        Linear l0 = nn.Linear(SimpleChains.Inputs, SimpleChains.Hidden1);
        Linear l1 = nn.Linear(SimpleChains.Hidden1, SimpleChains.Hidden2);
        Linear l2 = nn.Linear(SimpleChains.Hidden2, SimpleChains.Outputs);
        _model = nn.Sequential(("layers.0", l0), ("tanh0", nn.Tanh()), ("layers.1", l1), ("tanh1", nn.Tanh()), ("layers.2", l2));
        using (torch.no_grad())
        {
            l0.weight!.copy_(torch.tensor(weights.W1, [SimpleChains.Hidden1, SimpleChains.Inputs]));
            l0.bias!.copy_(torch.tensor(weights.B1));
            l1.weight!.copy_(torch.tensor(weights.W2, [SimpleChains.Hidden2, SimpleChains.Hidden1]));
            l1.bias!.copy_(torch.tensor(weights.B2));
            l2.weight!.copy_(torch.tensor(weights.W3, [SimpleChains.Outputs, SimpleChains.Hidden2]));
            l2.bias!.copy_(torch.tensor(weights.B3));
        }
        _optimizer = optim.Adam(_model.parameters(), SimpleChains.LearningRate);
    }

    /// <summary>Cuts the first <paramref name="samples"/> samples into batches of <paramref name="batch"/> (the last may be smaller).</summary>
    public void Prepare(int batch, int samples = SimpleChains.Samples)
    {
        DisposeBatches();
        for (int start = 0; start < samples; start += batch)
        {
            int n = Math.Min(batch, samples - start);
            _batches.Add((
                torch.tensor(_data.Inputs.AsSpan(start * SimpleChains.Inputs, n * SimpleChains.Inputs).ToArray(), [n, SimpleChains.Inputs]),
                torch.tensor(_data.Targets.AsSpan(start * SimpleChains.Outputs, n * SimpleChains.Outputs).ToArray(), [n, SimpleChains.Outputs])));
        }
    }

    /// <summary>One pass over the prepared samples: a train step per batch.</summary>
    public void Epoch()
    {
        foreach ((Tensor x, Tensor y) in _batches)
        {
            using var scope = torch.NewDisposeScope();
            _optimizer.zero_grad();
            Tensor loss = nn.functional.mse_loss(_model.forward(x), y);
            loss.backward();
            _optimizer.step();
        }
    }

    /// <summary>Mean squared error over the whole data set, without autograd.</summary>
    public float Loss()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.tensor(_data.Inputs, [SimpleChains.Samples, SimpleChains.Inputs]);
        Tensor y = torch.tensor(_data.Targets, [SimpleChains.Samples, SimpleChains.Outputs]);
        return nn.functional.mse_loss(_model.forward(x), y).item<float>();
    }

    private void DisposeBatches()
    {
        foreach ((Tensor x, Tensor y) in _batches) { x.Dispose(); y.Dispose(); }
        _batches.Clear();
    }

    public void Dispose()
    {
        DisposeBatches();
        _model.Dispose();
    }
}

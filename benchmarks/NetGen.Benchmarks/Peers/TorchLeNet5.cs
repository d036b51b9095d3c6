using System;
using System.Linq;
using NetGen.Benchmarks.Workloads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// LeNet-5 in TorchSharp: <c>nn.Sequential</c> of Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten and three
/// Linear layers; <c>cross_entropy</c> on the logits, <c>optim.Adam</c>. Called as <see cref="TorchMlp"/> is: tensors
/// made once per batch size, <c>forward</c>, predictions copied back into a managed array.
/// </summary>
public sealed class TorchLeNet5 : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly ClassificationBatch _data;
    private Tensor? _inputs, _labels;

    /// <summary>The last prediction, <c>batch × 10</c> probabilities.</summary>
    public float[] Outputs { get; } = new float[LeNet5.MaxBatch * LeNet5.Outputs];

    public TorchLeNet5(float[][] weights, ClassificationBatch data, int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _data = data;
        _model = nn.Sequential(
            ("layers.0", nn.Conv2d(1, 6, 5, padding: 2)), ("relu0", nn.ReLU()), ("layers.1", nn.MaxPool2d(2)),
            ("layers.2", nn.Conv2d(6, 16, 5)), ("relu2", nn.ReLU()), ("layers.3", nn.MaxPool2d(2)),
            ("layers.4", nn.Flatten()),
            ("layers.5", nn.Linear(400, 120)), ("relu5", nn.ReLU()),
            ("layers.6", nn.Linear(120, 84)), ("relu6", nn.ReLU()),
            ("layers.7", nn.Linear(84, 10)));
        using (torch.no_grad())
        {
            int i = 0;
            foreach (Parameter p in _model.parameters()) p.copy_(torch.tensor(weights[i++], p.shape));
        }
        _optimizer = optim.Adam(_model.parameters(), LeNet5.LearningRate);
        Prepare(1);
    }

    public void Prepare(int batch)
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _inputs = torch.tensor(_data.Inputs.AsSpan(0, batch * LeNet5.Inputs).ToArray(), [batch, LeNet5.Channels, LeNet5.Side, LeNet5.Side]);
        _labels = torch.tensor(_data.Labels.AsSpan(0, batch).ToArray(), [batch]);
    }

    public void Predict()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        nn.functional.softmax(_model.forward(_inputs!), 1).data<float>().CopyTo(Outputs, 0);
    }

    public void TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(_model.forward(_inputs!), _labels!);
        loss.backward();
        _optimizer.step();
    }

    public float[] FlatParameters()
    {
        using var scope = torch.NewDisposeScope();
        return torch.cat(_model.parameters().Select(p => p.detach().flatten()).ToArray(), 0).data<float>().ToArray();
    }

    public void Dispose()
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _model.Dispose();
    }
}

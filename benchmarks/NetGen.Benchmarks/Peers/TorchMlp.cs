using System;
using System.Linq;
using NetGen.Benchmarks.Workloads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The 784-128-10 MLP in TorchSharp (libtorch CPU), written as a PyTorch user would: <c>nn.Sequential</c> of
/// Linear–ReLU–Linear, <c>cross_entropy</c> on the logits (log-softmax inside), <c>optim.SGD</c>. Inputs and labels
/// are tensors made once per batch size, so the timed calls measure the library, not data conversion; outputs are
/// copied back into a managed array, as NetGen and ONNX Runtime write theirs.
/// </summary>
public sealed class TorchMlp : IDisposable
{
    private readonly Linear _layer0, _layer1;
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly ClassificationBatch _data;
    private Tensor? _inputs, _labels;

    /// <summary>The last prediction, <c>batch × 10</c> probabilities.</summary>
    public float[] Outputs { get; } = new float[Mlp784.MaxBatch * Mlp784.Outputs];

    /// <param name="threads">libtorch's intra-op threads (<c>torch.set_num_threads</c>); the setting is process-wide.</param>
    public TorchMlp(Mlp784.Weights weights, ClassificationBatch data, int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _data = data;
        _layer0 = nn.Linear(Mlp784.Inputs, Mlp784.Hidden);
        _layer1 = nn.Linear(Mlp784.Hidden, Mlp784.Outputs);
        _model = nn.Sequential(("layers.0", _layer0), ("relu", nn.ReLU()), ("layers.1", _layer1));
        using (torch.no_grad())
        {
            _layer0.weight!.copy_(torch.tensor(weights.W1, [Mlp784.Hidden, Mlp784.Inputs]));
            _layer0.bias!.copy_(torch.tensor(weights.B1));
            _layer1.weight!.copy_(torch.tensor(weights.W2, [Mlp784.Outputs, Mlp784.Hidden]));
            _layer1.bias!.copy_(torch.tensor(weights.B2));
        }
        _optimizer = optim.SGD(_model.parameters(), Mlp784.LearningRate);
        Prepare(1);
    }

    /// <summary>Makes the input and label tensors for <paramref name="batch"/> samples (untimed).</summary>
    public void Prepare(int batch)
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _inputs = torch.tensor(_data.Inputs.AsSpan(0, batch * Mlp784.Inputs).ToArray(), [batch, Mlp784.Inputs]);
        _labels = torch.tensor(_data.Labels.AsSpan(0, batch).ToArray(), [batch]);
    }

    /// <summary>softmax(model(x)) without autograd, copied into <see cref="Outputs"/>.</summary>
    public void Predict()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor probabilities = nn.functional.softmax(_model.forward(_inputs!), 1);
        probabilities.data<float>().CopyTo(Outputs, 0);
    }

    /// <summary>zero_grad; loss = cross_entropy(model(x), y); backward; step.</summary>
    public void TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(_model.forward(_inputs!), _labels!);
        loss.backward();
        _optimizer.step();
    }

    /// <summary>The parameters, flattened in declaration order (for the equivalence check).</summary>
    public float[] FlatParameters()
    {
        using var scope = torch.NewDisposeScope();
        return torch.cat(_model.parameters().Select(p => p.detach().flatten()).ToArray(), 0).data<float>().ToArray();
    }

    /// <summary>The loss on the current batch, without autograd.</summary>
    public float Loss()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return nn.functional.cross_entropy(_model.forward(_inputs!), _labels!).item<float>();
    }

    public void Dispose()
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _model.Dispose();
    }
}

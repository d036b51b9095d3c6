using System;
using NetGen.Benchmarks.Workloads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The character LSTM/GRU of issue 11 in TorchSharp, as a PyTorch user writes it: <c>nn.Embedding</c>, <c>nn.LSTM</c> or
/// <c>nn.GRU</c> (batch_first; libtorch's CPU path), <c>nn.Linear</c>, <c>cross_entropy</c> over batch × time,
/// <c>optim.Adam</c>. Generation: <c>nn.LSTMCell</c>/<c>nn.GRUCell</c> in a loop (with the layer's weights), softmax
/// copied out per token. Weights are PyTorch's own initialisation (timing only; shapes and FLOPs equal NetGen's).
/// </summary>
public sealed class TorchCharRnn : IDisposable
{
    private readonly bool _lstm;
    private readonly Embedding _embedding;
    private readonly LSTM? _lstmLayer;
    private readonly GRU? _gruLayer;
    private readonly LSTMCell? _lstmCell;
    private readonly GRUCell? _gruCell;
    private readonly Linear _head;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _ids, _labels;
    private readonly float[] _probabilities = new float[CharModels.Vocabulary];
    private Tensor? _h, _c;

    public TorchCharRnn(bool lstm, int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _lstm = lstm;
        int e = CharModels.RnnEmbedding, h = CharModels.RnnHidden;
        _embedding = nn.Embedding(CharModels.Vocabulary, e);
        _head = nn.Linear(h, CharModels.Vocabulary);
        var parameters = new System.Collections.Generic.List<Parameter>();
        parameters.AddRange(_embedding.parameters());
        if (lstm)
        {
            _lstmLayer = nn.LSTM(e, h, batchFirst: true);
            _lstmCell = nn.LSTMCell(e, h);
            parameters.AddRange(_lstmLayer.parameters());
        }
        else
        {
            _gruLayer = nn.GRU(e, h, batchFirst: true);
            _gruCell = nn.GRUCell(e, h);
            parameters.AddRange(_gruLayer.parameters());
        }
        parameters.AddRange(_head.parameters());
        // The cell used for generation carries the trained layer's weights (same names: weight_ih, weight_hh, bias_ih, bias_hh).
        using (torch.no_grad())
        {
            nn.Module layer = lstm ? _lstmLayer! : _gruLayer!, cell = lstm ? _lstmCell! : _gruCell!;
            var source = new System.Collections.Generic.Dictionary<string, Parameter>();
            foreach ((string name, Parameter p) in layer.named_parameters()) source[name] = p;
            foreach ((string name, Parameter p) in cell.named_parameters()) p.copy_(source[name + "_l0"]);
        }
        _optimizer = optim.Adam(parameters, 2e-3);
        var (ids, next) = CharModels.CreateData(CharModels.RnnBatch * CharModels.RnnTime);
        _ids = torch.tensor(Array.ConvertAll(ids, i => (long)i), [CharModels.RnnBatch, CharModels.RnnTime]);
        _labels = torch.tensor(Array.ConvertAll(next, i => (long)i), [CharModels.RnnBatch * CharModels.RnnTime]);
    }

    /// <summary>zero_grad; loss = cross_entropy(head(rnn(embedding(x))) over batch × time, y); backward; step.</summary>
    public void TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        Tensor x = _embedding.forward(_ids);
        Tensor y = _lstm ? _lstmLayer!.forward(x).Item1 : _gruLayer!.forward(x).Item1;
        Tensor logits = _head.forward(y).reshape(-1, CharModels.Vocabulary);
        nn.functional.cross_entropy(logits, _labels).backward();
        _optimizer.step();
    }

    /// <summary>From a zero state, 64 tokens one at a time (argmax fed back), without autograd.</summary>
    public void Generate()
    {
        using var noGrad = torch.no_grad();
        _h?.Dispose(); _c?.Dispose();
        _h = torch.zeros(1, CharModels.RnnHidden).DetachFromDisposeScope();
        _c = _lstm ? torch.zeros(1, CharModels.RnnHidden).DetachFromDisposeScope() : null;
        long token = 0;
        for (int i = 0; i < 64; i++)
        {
            using var scope = torch.NewDisposeScope();
            using Tensor id = torch.tensor(new[] { token });
            Tensor x = _embedding.forward(id);
            Tensor h, c = null!;
            if (_lstm) (h, c) = _lstmCell!.forward(x, (_h, _c!));
            else h = _gruCell!.forward(x, _h);
            nn.functional.softmax(_head.forward(h), 1).data<float>().CopyTo(_probabilities, 0);
            _h.Dispose(); _h = h.DetachFromDisposeScope();
            if (_lstm) { _c!.Dispose(); _c = c.DetachFromDisposeScope(); }
            token = NetGen.Sequences.Sampler.ArgMax<float>(_probabilities);
        }
    }

    public void Dispose()
    {
        _ids.Dispose(); _labels.Dispose(); _h?.Dispose(); _c?.Dispose();
        _embedding.Dispose(); _head.Dispose(); _lstmLayer?.Dispose(); _gruLayer?.Dispose(); _lstmCell?.Dispose(); _gruCell?.Dispose();
    }
}

using System;
using System.Linq;
using NetGen.Benchmarks.Workloads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Issue 12's ShakespeareGpt in TorchSharp, written as nanoGPT writes it: token and position embeddings, 4 pre-norm
/// blocks (LayerNorm → fused Q/K/V Linear → <c>scaled_dot_product_attention</c> causal → output Linear, residual;
/// LayerNorm → Linear(128, 512) → GELU → Linear(512, 128), residual), a final LayerNorm and Linear head,
/// <c>cross_entropy</c>, <c>optim.AdamW</c> (lr 1e-3, β₂ 0.99, weight decay 0.1) after <c>clip_grad_norm_</c>(1.0).
/// TorchSharp's TransformerEncoderLayer has no norm_first, hence the block by hand.
/// Weights are PyTorch's own initialisation (timing only; shapes and FLOPs equal NetGen's).
/// </summary>
public sealed class TorchCharGpt : IDisposable
{
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm ln1, ln2;
        private readonly Linear qkv, proj, fc1, fc2;

        public Block() : base("block")
        {
            int e = CharModels.GptWidth;
            ln1 = nn.LayerNorm(e); ln2 = nn.LayerNorm(e);
            qkv = nn.Linear(e, 3 * e); proj = nn.Linear(e, e);
            fc1 = nn.Linear(e, CharModels.GptFeedForward); fc2 = nn.Linear(CharModels.GptFeedForward, e);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            long b = x.shape[0], t = x.shape[1];
            int e = CharModels.GptWidth, heads = CharModels.GptHeads;
            // q, k, v [B, heads, T, E/heads] from one product.
            Tensor[] parts = qkv.forward(ln1.forward(x)).view(b, t, 3, heads, e / heads).permute(2, 0, 3, 1, 4).unbind(0);
            Tensor a = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], is_casual: true);
            x = x + proj.forward(a.transpose(1, 2).reshape(b, t, e));
            return x + fc2.forward(nn.functional.gelu(fc1.forward(ln2.forward(x))));
        }
    }

    private sealed class Gpt : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding tokens;
        private readonly Parameter positions;
        private readonly ModuleList<Block> blocks;
        private readonly LayerNorm lnF;
        private readonly Linear head;

        public Gpt() : base("gpt")
        {
            tokens = nn.Embedding(CharModels.Vocabulary, CharModels.GptWidth);
            positions = nn.Parameter(torch.randn(CharModels.GptTime, CharModels.GptWidth) * 0.02);
            blocks = nn.ModuleList(Enumerable.Range(0, CharModels.GptBlocks).Select(_ => new Block()).ToArray());
            lnF = nn.LayerNorm(CharModels.GptWidth);
            head = nn.Linear(CharModels.GptWidth, CharModels.Vocabulary);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            long t = ids.shape[1];
            Tensor x = tokens.forward(ids) + positions.narrow(0, 0, t);
            foreach (Block block in blocks) x = block.forward(x);
            return head.forward(lnF.forward(x));
        }
    }

    private readonly Gpt _model = new();
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _ids, _labels;

    public TorchCharGpt(int threads)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _optimizer = optim.AdamW(_model.parameters(), 1e-3, beta2: 0.99, weight_decay: 0.1);
        var (ids, next) = CharModels.CreateData(CharModels.GptBatch * CharModels.GptTime);
        _ids = torch.tensor(Array.ConvertAll(ids, i => (long)i), [CharModels.GptBatch, CharModels.GptTime]);
        _labels = torch.tensor(Array.ConvertAll(next, i => (long)i), [CharModels.GptBatch * CharModels.GptTime]);
    }

    /// <summary>zero_grad; loss; backward; clip_grad_norm_(1.0); step.</summary>
    public void TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        Tensor logits = _model.forward(_ids).reshape(-1, CharModels.Vocabulary);
        nn.functional.cross_entropy(logits, _labels).backward();
        nn.utils.clip_grad_norm_(_model.parameters(), 1.0);
        _optimizer.step();
    }

    private readonly long[] _prefix = new long[CharModels.GptTime];
    private readonly float[] _probabilities = new float[CharModels.Vocabulary];

    /// <summary>
    /// 64 generated tokens at batch 1 from an empty context, as nanoGPT's <c>generate</c> does it: each token runs the
    /// model over the whole prefix (no key/value cache) in eval mode without gradients, takes the last position's
    /// logits, softmax, and feeds the argmax back (the same greedy choice as NetGen's row).
    /// </summary>
    public void Generate()
    {
        using var noGrad = torch.no_grad();
        _model.eval();
        long token = 0;
        for (int i = 0; i < CharModels.GptTime; i++)
        {
            using var scope = torch.NewDisposeScope();
            _prefix[i] = token;
            Tensor ids = torch.tensor(_prefix.AsSpan(0, i + 1).ToArray(), [1, i + 1]);
            Tensor last = _model.forward(ids).select(1, i);
            nn.functional.softmax(last, 1).data<float>().CopyTo(_probabilities, 0);
            token = NetGen.Sequences.Sampler.ArgMax<float>(_probabilities);
        }
        _model.train();
    }

    public void Dispose() { _ids.Dispose(); _labels.Dispose(); _model.Dispose(); }
}

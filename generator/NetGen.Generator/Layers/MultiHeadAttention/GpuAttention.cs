using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;

namespace NetGen.Generator.Layers;

/// <summary>
/// Self-attention's kernels on the GPU, shared by MultiHeadAttention and TransformerBlock (nn.MultiheadAttention's
/// layout, as the CPU's <c>MultiHeadAttention</c>): [q|k|v] = x·in_projᵀ + b as ONE product over batch × time rows;
/// per (sample, head, query row) one thread for the score row q·kᵀ/√d, its softmax (row maximum subtracted; a causal row
/// stops at its own position and leaves exact zeros above the diagonal) and the context row P·v; then out_proj as a
/// second product. Backward as the CPU's hand-derived pass: d out_proj = dyᵀ·context, dContext = dy·out_proj; per query
/// row dS = P ⊙ (dP − rowsum(P ⊙ dP))/√d with dP = dContext·vᵀ, and dq = dS·k; per key row dk = dSᵀ·q and dv = Pᵀ·dContext
/// (a gather over the query rows, so no two threads write one value: deterministic, no atomics); then
/// d in_proj = d[q|k|v]ᵀ·x and dx = d[q|k|v]·in_proj. With attention dropout p (training only) the mask M [b, h, t, s] is
/// draw i of the CPU class's SplitMix64 stream, the CPU's very mask: the context is P̃·v, P̃ = P ⊙ M; dP is multiplied by M
/// and dv = P̃ᵀ·dContext, as the CPU's dropout pass.
/// </summary>
internal sealed class GpuAttention
{
    private readonly GpuContext _ctx;
    private readonly string _name;
    private readonly int _i;
    private readonly double _dropout;

    /// <param name="ctx">The runner's context.</param>
    /// <param name="name">The kernels' name prefix (<c>L3</c>, or <c>L3Attention</c> inside a block).</param>
    /// <param name="index">The layer's index: the buffers' suffix.</param>
    /// <param name="steps">T.</param>
    /// <param name="width">E.</param>
    /// <param name="heads">H.</param>
    /// <param name="causal">Whether keys after the query are masked.</param>
    /// <param name="inWeight">Offset of in_proj_weight [3E, E].</param>
    /// <param name="inBias">Offset of in_proj_bias [3E].</param>
    /// <param name="outWeight">Offset of out_proj.weight [E, E].</param>
    /// <param name="outBias">Offset of out_proj.bias [E].</param>
    /// <param name="dropout">The attention dropout rate p (training passes only; 0: none).</param>
    public GpuAttention(GpuContext ctx, string name, int index, int steps, int width, int heads, bool causal, int inWeight, int inBias, int outWeight, int outBias, double dropout = 0)
    {
        _ctx = ctx; _name = name; _i = index; _dropout = dropout;
        Steps = steps; Width = width; Heads = heads; Causal = causal;
        InWeight = inWeight; InBias = inBias; OutWeight = outWeight; OutBias = outBias;
    }

    public int Steps { get; }
    public int Width { get; }
    public int Heads { get; }
    public bool Causal { get; }
    private int InWeight { get; }
    private int InBias { get; }
    private int OutWeight { get; }
    private int OutBias { get; }
    private int D => Width / Heads;
    private string Rows => $"n * {Steps}";
    private string Qkv => $"_qkv{_i}.View";
    private string P => $"_attention{_i}.View";
    private string Context => $"_context{_i}.View";
    private string DContext => $"_dcontext{_i}.View";
    private string DQkv => $"_dqkv{_i}.View";
    private string DS => $"_dscores{_i}.View";
    private string Mask => $"_attentionMask{_i}.View";
    private bool Drops => _dropout > 0;
    private string Rate => _dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The dropout mask's kernel parameter, when there is one.</summary>
    private IEnumerable<KernelParam> MaskParams(bool withSwitch)
    {
        if (!Drops) yield break;
        yield return KernelParam.Floats("mask", Mask);
        if (withSwitch) yield return new KernelParam("int", "drop", "training ? 1 : 0");
    }

    /// <summary>The caches kept from forward for backward, and backward's own buffers (values per sample).</summary>
    public IEnumerable<DeviceBuffer> Buffers(string layer)
    {
        yield return new DeviceBuffer($"_qkv{_i}", Steps * 3 * Width, "float", $"{layer} q | k | v of every position");
        yield return new DeviceBuffer($"_attention{_i}", Heads * Steps * Steps, "float", $"{layer} attention weights P per head (masked entries 0)");
        yield return new DeviceBuffer($"_context{_i}", Steps * Width, "float", $"{layer} P·v, heads side by side");
        yield return new DeviceBuffer($"_dcontext{_i}", Steps * Width, "float", $"d(loss)/d({layer} context)");
        yield return new DeviceBuffer($"_dqkv{_i}", Steps * 3 * Width, "float", $"d(loss)/d({layer} q | k | v)");
        yield return new DeviceBuffer($"_dscores{_i}", Heads * Steps * Steps, "float", $"{layer} dS = d(loss)/d(scores), 1/√d folded in");
        if (Drops) yield return new DeviceBuffer($"_attentionMask{_i}", Heads * Steps * Steps, "float", $"{layer} dropout mask of the attention weights: 0 or 1/(1 − {Rate})");
    }

    /// <summary>
    /// y = Attn(x) (+ <paramref name="residual"/> when given, added in out_proj's epilogue; in training the attention's output
    /// is first multiplied by <paramref name="branchMask"/> when given, a TransformerBlock's Drop₁, values [0, n·T·E) of it).
    /// </summary>
    public void EmitForward(SourceWriter w, string x, string y, string? residual, string? branchMask = null)
    {
        int e = Width, t = Steps, h = Heads, d = D;
        w.Line($"// [q|k|v] = a·in_projᵀ + b: one product over the n·{t} rows ({3 * e}×{e})");
        _ctx.Launch(w, GpuRowProducts.Linear($"{_name}InProjection", "[q|k|v] = x·in_projᵀ + b over batch × time rows.", x, e, 3 * e, InWeight, InBias, Rows,
            new[] { KernelParam.Floats("qkv", Qkv) }, ew => ew.Line("qkv[o] = v;")));
        if (Drops)
        {
            w.Open("if (training)");
            w.Line($"// M = the dropout mask of every attention weight [b, h, t, s], draw i of the CPU class's SplitMix64 stream (0 with probability {Rate}, else 1/(1 − {Rate}))");
            _ctx.Launch(w, new ElementKernel($"{_name}AttentionMask", "M[i] = draw i of SplitMix64(state) < rate ? 0 : 1/(1 − rate), in the CPU's [b, h, t, s] order.",
                new[] { KernelParam.Floats("mask", Mask), new KernelParam("ulong", "state", "_randomState"),
                        new KernelParam("ulong", "threshold", $"Kernels.DropoutMask.Threshold({Rate})"), new KernelParam("float", "keep", $"Kernels.DropoutMask.KeepScale<float>({Rate})") },
                $"n * {h * t * t}",
                k => k.Line("mask[i] = Kernels.DropoutMask.Drops(Kernels.DropoutMask.Draw(state, (ulong)i), threshold) ? 0f : keep;")));
            w.Line($"_randomState = unchecked(_randomState + (ulong)(n * {h * t * t}) * Golden);");
            w.Close();
        }
        w.Line($"// per (sample, head, query row): P = softmax(q·kᵀ/√{d}){(Causal ? " over keys 0..t (the upper triangle skipped, left 0)" : "")}, row maximum subtracted; context = P·v");
        _ctx.Launch(w, new ElementKernel($"{_name}Heads", "One query row of one head: scores, softmax (max-subtracted), context row" + (Drops ? " from P̃ = P ⊙ M in training." : "."),
            new[] { KernelParam.Floats("qkv", Qkv), KernelParam.Floats("probabilities", P), KernelParam.Floats("context", Context) }.Concat(MaskParams(withSwitch: true)).ToArray(),
            $"n * {h * t}",
            k =>
            {
                k.Line($"int t = i % {t}, head = i / {t} % {h}, b = i / {h * t};");
                k.Line($"int keys = {(Causal ? "t + 1" : t.ToString())}; // the live keys of this row");
                k.Line($"int query = (b * {t} + t) * {3 * e} + head * {d}, sample = b * {t} * {3 * e}, row = i * {t};");
                k.Line($"float scale = 1f / global::System.MathF.Sqrt({d}f);");
                k.Line("// score[t, s] = Σⱼ (q[t, j]/√d)·k[s, j] over the live keys s, and the row's maximum");
                k.Line("float max = float.NegativeInfinity;");
                k.Open("for (int s = 0; s < keys; s++)");
                k.Line($"int key = sample + s * {3 * e} + {e} + head * {d};");
                k.Line("float score = 0f;");
                k.Line($"for (int j = 0; j < {d}; j++) score += qkv[query + j] * scale * qkv[key + j];");
                k.Line("probabilities[row + s] = score;");
                k.Line("max = global::System.MathF.Max(max, score);");
                k.Close();
                k.Line("// P[t, s] = e^(score[t, s] − max) / Σ_s' e^(score[t, s'] − max) over the live keys; masked entries exactly 0");
                k.Line("float sum = 0f;");
                k.Line("for (int s = 0; s < keys; s++) { float p = global::System.MathF.Exp(probabilities[row + s] - max); probabilities[row + s] = p; sum += p; }");
                k.Line("float inverse = 1f / sum;");
                k.Line("for (int s = 0; s < keys; s++) probabilities[row + s] *= inverse;");
                if (Causal) k.Line($"for (int s = keys; s < {t}; s++) probabilities[row + s] = 0f;");
                k.Line(Drops ? "// context[t, head] = Σ_s P̃[t, s]·v[s, head], P̃ = P ⊙ M in training (P itself is kept)" : "// context[t, head] = Σ_s P[t, s]·v[s, head]");
                k.Open($"for (int j = 0; j < {d}; j++)");
                k.Line("float c = 0f;");
                string weight = Drops ? "probabilities[row + s] * (drop != 0 ? mask[row + s] : 1f)" : "probabilities[row + s]";
                k.Line($"for (int s = 0; s < keys; s++) c += {weight} * qkv[sample + s * {3 * e} + {2 * e} + head * {d} + j];");
                k.Line($"context[(b * {t} + t) * {e} + head * {d} + j] = c;");
                k.Close();
            }));
        w.Line(residual is null ? "// y = context·out_projᵀ + b"
            : branchMask is null ? "// r = x + (context·out_projᵀ + b): the residual added in the product's epilogue"
            : "// r = x + Drop₁(context·out_projᵀ + b): the branch's mask (training only) and the residual in the product's epilogue");
        var outputs = new List<KernelParam> { KernelParam.Floats("y", y) };
        if (residual is not null) outputs.Add(KernelParam.Floats("residual", residual));
        if (branchMask is not null)
        {
            outputs.Add(KernelParam.Floats("branchMask", branchMask));
            outputs.Add(new KernelParam("int", "drop", "training ? 1 : 0"));
        }
        string result = residual is null ? "y[o] = v;" : branchMask is null ? "y[o] = v + residual[o];" : "y[o] = (drop != 0 ? v * branchMask[o] : v) + residual[o];";
        _ctx.Launch(w, GpuRowProducts.Linear($"{_name}OutProjection", residual is null ? "y = context·out_projᵀ + b." : branchMask is null ? "y = residual + context·out_projᵀ + b." : "y = residual + Drop(context·out_projᵀ + b).",
            Context, e, e, OutWeight, OutBias, Rows, outputs, ew => ew.Line(result)));
    }

    /// <summary>Parameter gradients of the attention given dy; dx = d[q|k|v]·in_proj when <paramref name="dx"/> is given.</summary>
    public void EmitBackward(SourceWriter w, string dy, string x, string? dx)
    {
        int e = Width, t = Steps, h = Heads, d = D;
        w.Line("// d out_proj = dyᵀ·context, d out_bias = Σ dy (one product, split over the batch when large); dContext = dy·out_proj");
        _ctx.Launch(w, GpuRowProducts.WeightGradient($"{_name}OutProjectionWeightGradient", dy, Context, t, e, e, OutWeight, OutBias));
        _ctx.Launch(w, GpuRowProducts.InputGradient($"{_name}ContextGradient", "dContext = dy·out_proj.", dy, e, e, OutWeight, Rows,
            new[] { KernelParam.Floats("dcontext", DContext) }, ew => ew.Line("dcontext[o] = s;")));
        w.Line($"// per query row: dP = dContext·vᵀ; dS = P ⊙ (dP − Σ P ⊙ dP)/√{d}; dq = dS·k");
        _ctx.Launch(w, new ElementKernel($"{_name}QueryGradient", "One query row of one head: dS (kept) and dq.",
            new[] { KernelParam.Floats("qkv", Qkv), KernelParam.Floats("probabilities", P), KernelParam.Floats("dcontext", DContext), KernelParam.Floats("dscores", DS), KernelParam.Floats("dqkv", DQkv) }.Concat(MaskParams(withSwitch: false)).ToArray(),
            $"n * {h * t}",
            k =>
            {
                k.Line($"int t = i % {t}, head = i / {t} % {h}, b = i / {h * t};");
                k.Line($"int keys = {(Causal ? "t + 1" : t.ToString())};");
                k.Line($"int sample = b * {t} * {3 * e}, row = i * {t}, dc = (b * {t} + t) * {e} + head * {d};");
                k.Line($"float scale = 1f / global::System.MathF.Sqrt({d}f);");
                k.Line(Drops ? "// dP[t, s] = (Σⱼ dContext[t, j]·v[s, j])·M[t, s] (the context saw P̃ = P ⊙ M), and Σ_s P·dP" : "// dP[t, s] = Σⱼ dContext[t, j]·v[s, j], and Σ_s P·dP");
                k.Line("float dot = 0f;");
                k.Open("for (int s = 0; s < keys; s++)");
                k.Line("float dp = 0f;");
                k.Line($"for (int j = 0; j < {d}; j++) dp += dcontext[dc + j] * qkv[sample + s * {3 * e} + {2 * e} + head * {d} + j];");
                if (Drops) k.Line("dp *= mask[row + s];");
                k.Line("dscores[row + s] = dp;");
                k.Line("dot += probabilities[row + s] * dp;");
                k.Close();
                k.Line("// dS[t, s] = P[t, s]·(dP[t, s] − dot)/√d (0 above the diagonal when causal)");
                k.Line("for (int s = 0; s < keys; s++) dscores[row + s] = probabilities[row + s] * (dscores[row + s] - dot) * scale;");
                if (Causal) k.Line($"for (int s = keys; s < {t}; s++) dscores[row + s] = 0f;");
                k.Line("// dq[t, j] = Σ_s dS[t, s]·k[s, j]");
                k.Open($"for (int j = 0; j < {d}; j++)");
                k.Line("float dq = 0f;");
                k.Line($"for (int s = 0; s < keys; s++) dq += dscores[row + s] * qkv[sample + s * {3 * e} + {e} + head * {d} + j];");
                k.Line($"dqkv[sample + t * {3 * e} + head * {d} + j] = dq;");
                k.Close();
            }));
        w.Line("// per key row: dk = dSᵀ·q and dv = Pᵀ·dContext, gathered over the query rows that see the key (no atomics)");
        _ctx.Launch(w, new ElementKernel($"{_name}KeyValueGradient", "One key row of one head: dk = Σ_t dS[t, s]·q[t], dv = Σ_t P[t, s]·dContext[t].",
            new[] { KernelParam.Floats("qkv", Qkv), KernelParam.Floats("probabilities", P), KernelParam.Floats("dcontext", DContext), KernelParam.Floats("dscores", DS), KernelParam.Floats("dqkv", DQkv) }.Concat(MaskParams(withSwitch: false)).ToArray(),
            $"n * {h * t}",
            k =>
            {
                k.Line($"int s = i % {t}, head = i / {t} % {h}, b = i / {h * t};");
                k.Line($"int first = {(Causal ? "s" : "0")}; // the first query row that sees key s");
                k.Line($"int sample = b * {t} * {3 * e}, plane = (b * {h} + head) * {t * t};");
                k.Open($"for (int j = 0; j < {d}; j++)");
                k.Line("float dk = 0f, dv = 0f;");
                k.Open($"for (int t = first; t < {t}; t++)");
                k.Line($"dk += dscores[plane + t * {t} + s] * qkv[sample + t * {3 * e} + head * {d} + j];");
                string weight = Drops ? $"probabilities[plane + t * {t} + s] * mask[plane + t * {t} + s]" : $"probabilities[plane + t * {t} + s]";
                k.Line($"dv += {weight} * dcontext[(b * {t} + t) * {e} + head * {d} + j]; // {(Drops ? "P̃ = P ⊙ M" : "P")}");
                k.Close();
                k.Line($"dqkv[sample + s * {3 * e} + {e} + head * {d} + j] = dk;");
                k.Line($"dqkv[sample + s * {3 * e} + {2 * e} + head * {d} + j] = dv;");
                k.Close();
            }));
        w.Line("// d in_proj = d[q|k|v]ᵀ·x, d in_bias = Σ d[q|k|v]" + (dx is null ? "" : "; dx = d[q|k|v]·in_proj"));
        _ctx.Launch(w, GpuRowProducts.WeightGradient($"{_name}InProjectionWeightGradient", DQkv, x, t, e, 3 * e, InWeight, InBias));
        if (dx is null) return;
        _ctx.Launch(w, GpuRowProducts.InputGradient($"{_name}InputGradient", "dx = d[q|k|v]·in_proj.", DQkv, 3 * e, e, InWeight, Rows,
            new[] { KernelParam.Floats("dx", dx) }, ew => ew.Line("dx[o] = s;")));
    }
}

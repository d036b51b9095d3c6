using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks;

/// <summary>Issue 11: one Adam train step of Embedding(65→64) + LSTM(128) + per-step Dense(65) on 32 sequences of 64.</summary>
[Workload("Char LSTM 64x128 train step (Adam)")]
public class CharLstmTrainStep : CharRnnTrainStep
{
    public CharLstmTrainStep() : base(lstm: true) { }
    public static double Flops(string method, int batch) => CharModels.RnnTrainFlops(4, batch);
}

/// <summary>The same with a GRU.</summary>
[Workload("Char GRU 64x128 train step (Adam)")]
public class CharGruTrainStep : CharRnnTrainStep
{
    public CharGruTrainStep() : base(lstm: false) { }
    public static double Flops(string method, int batch) => CharModels.RnnTrainFlops(3, batch);
}

/// <summary>The recurrent train-step rows, NetGen on one and two threads beside TorchSharp's nn.LSTM / nn.GRU.</summary>
public abstract class CharRnnTrainStep(bool lstm)
{
    [Params(CharModels.RnnBatch)] public int Batch;

    private NetGenCharModel? _netgen;
    private TorchCharRnn? _torch;

    private NetGenCharModel Create() => lstm ? NetGenCharModel.Lstm() : NetGenCharModel.Gru();

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = Create(); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = Create(); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() => _torch = new TorchCharRnn(lstm, threads: 1);

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() => _torch = new TorchCharRnn(lstm, threads: 2);

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public float NetGen() => _netgen!.TrainStep();
    [Benchmark, Threads(2)] public float NetGen_2T() => _netgen!.TrainStep();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.TrainStep();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.TrainStep();
}

/// <summary>Issue 11: generation at batch 1, 64 tokens per call from a reset state (NetGen Step vs TorchSharp's LSTMCell/GRUCell loop).</summary>
[Workload("Char RNN generation, 64 tokens")]
public class CharRnnGeneration
{
    [Params(1)] public int Batch;

    public static double Flops(string method, int batch) => NetGenCharModel.TokensPerGeneration * CharModels.RnnTokenFlops(method.Contains("Gru") ? 3 : 4);

    private NetGenCharModel? _lstm, _gru;
    private TorchCharRnn? _torchLstm, _torchGru;

    [GlobalSetup]
    public void Setup()
    {
        global::NetGen.Numerics.Parallelism.MaxThreads = 1;
        _lstm = NetGenCharModel.Lstm(); _gru = NetGenCharModel.Gru();
        _torchLstm = new TorchCharRnn(lstm: true, threads: 1); _torchGru = new TorchCharRnn(lstm: false, threads: 1);
    }

    [GlobalCleanup]
    public void Cleanup() { _torchLstm?.Dispose(); _torchGru?.Dispose(); }

    [Benchmark(Baseline = true), Threads(1)] public void NetGen_Lstm() => _lstm!.Generate();
    [Benchmark, Threads(1)] public void TorchSharp_LstmCell_1T() => _torchLstm!.Generate();
    [Benchmark, Threads(1)] public void NetGen_Gru() => _gru!.Generate();
    [Benchmark, Threads(1)] public void TorchSharp_GruCell_1T() => _torchGru!.Generate();
}

/// <summary>Issue 12: one AdamW iteration (clip 1.0) of the 4-block, 4-head, 128-wide character GPT on 12 × 64 tokens.</summary>
[Workload("Char GPT 4x128 train iter (AdamW)")]
public class CharGptTrainIteration
{
    [Params(CharModels.GptBatch)] public int Batch;

    public static double Flops(string method, int batch) => CharModels.GptTrainFlops(batch);

    private NetGenCharModel? _netgen;
    private TorchCharGpt? _torch;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = NetGenCharModel.Gpt(); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = NetGenCharModel.Gpt(); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() => _torch = new TorchCharGpt(threads: 1);

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() => _torch = new TorchCharGpt(threads: 2);

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public float NetGen() => _netgen!.TrainStep();
    [Benchmark, Threads(2)] public float NetGen_2T() => _netgen!.TrainStep();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.TrainStep();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.TrainStep();
}

/// <summary>
/// Issue 12: generation at batch 1, 64 tokens per call from an empty context: NetGen's Step (key/value cache) vs
/// TorchSharp running the model over the whole prefix per token, as nanoGPT's generate does.
/// </summary>
[Workload("Char GPT generation, 64 tokens")]
public class CharGptGeneration
{
    [Params(1)] public int Batch;

    public static double Flops(string method, int batch) => NetGenCharModel.TokensPerGeneration * CharModels.GptTokenFlops();

    private NetGenCharModel? _netgen;
    private TorchCharGpt? _torch;

    [GlobalSetup]
    public void Setup()
    {
        global::NetGen.Numerics.Parallelism.MaxThreads = 1;
        _netgen = NetGenCharModel.Gpt();
        _torch = new TorchCharGpt(threads: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public void NetGen() => _netgen!.Generate();
    [Benchmark, Threads(1)] public void TorchSharp_Prefix_1T() => _torch!.Generate();
}

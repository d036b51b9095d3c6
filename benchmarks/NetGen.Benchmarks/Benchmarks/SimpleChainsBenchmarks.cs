using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks;

/// <summary>
/// One Adam epoch over the SimpleChains.jl problem (10,000 samples, 4-32-16-4 Tanh): per sample (batch 1),
/// mini-batches of 32 (the last one 16), and the whole set as one batch (SimpleChains' <c>train_unbatched!</c>:
/// one step per epoch).
/// </summary>
/// <remarks>An operation lasts from milliseconds to seconds (per sample, TorchSharp), so the iteration counts are capped.</remarks>
[Workload("SimpleChains 4-32-16-4 Adam epoch")]
[MinWarmupCount(2), MaxWarmupCount(5), MinIterationCount(5), MaxIterationCount(15)]
public class SimpleChainsEpoch
{
    [Params(1, 32, 10_000)] public int Batch;

    public static double Flops(string method, int batch) => SimpleChains.EpochFlops();

    private readonly SimpleChains.Weights _weights = SimpleChains.CreateWeights();
    private readonly SimpleChains.DataSet _data = SimpleChains.CreateData();
    private NetGenSimpleChains? _netgen;
    private TorchSimpleChains? _torch;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = new NetGenSimpleChains(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = new NetGenSimpleChains(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() { _torch = new TorchSimpleChains(_weights, _data, threads: 1); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() { _torch = new TorchSimpleChains(_weights, _data, threads: 2); _torch.Prepare(Batch); }

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public void NetGen() => _netgen!.Epoch();
    [Benchmark, Threads(2)] public void NetGen_2T() => _netgen!.Epoch();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.Epoch();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.Epoch();
}

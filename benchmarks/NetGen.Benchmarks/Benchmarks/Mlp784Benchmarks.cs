using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks;

/// <summary>One forward pass of the 784-128-10 MLP with Softmax output, batch 1 and 64.</summary>
[Workload("MLP 784-128-10 inference")]
public class Mlp784Inference
{
    [Params(1, 64)] public int Batch;

    public static double Flops(string method, int batch) => Mlp784.InferenceFlops(batch);

    private readonly Mlp784.Weights _weights = Mlp784.CreateWeights();
    private readonly ClassificationBatch _data = Mlp784.CreateData();
    private NetGenMlp? _netgen;
    private TorchMlp? _torch;
    private OnnxPredictor? _onnx;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = new NetGenMlp(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = new NetGenMlp(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() { _torch = new TorchMlp(_weights, _data, threads: 1); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() { _torch = new TorchMlp(_weights, _data, threads: 2); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(OnnxRuntime_1T))]
    public void SetupOnnx() { _onnx = OnnxModels.Mlp784(_weights, _data, threads: 1); _onnx.Prepare(Batch); }

    [GlobalCleanup]
    public void Cleanup() { _torch?.Dispose(); _onnx?.Dispose(); }

    [Benchmark(Baseline = true), Threads(1)] public void NetGen() => _netgen!.Predict();
    [Benchmark, Threads(2)] public void NetGen_2T() => _netgen!.Predict();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.Predict();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.Predict();
    [Benchmark, Threads(1)] public void OnnxRuntime_1T() => _onnx!.Predict();
}

/// <summary>One SGD train step (forward, CrossEntropy, backward, update) of the 784-128-10 MLP, batch 1, 32 and 64.</summary>
[Workload("MLP 784-128-10 train step (SGD)")]
public class Mlp784TrainStep
{
    [Params(1, 32, 64)] public int Batch;

    public static double Flops(string method, int batch) => Mlp784.TrainFlops(batch);

    private readonly Mlp784.Weights _weights = Mlp784.CreateWeights();
    private readonly ClassificationBatch _data = Mlp784.CreateData();
    private NetGenMlp? _netgen;
    private TorchMlp? _torch;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = new NetGenMlp(_weights, _data); _netgen.Prepare(Batch); _netgen.TrainStep(); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = new NetGenMlp(_weights, _data); _netgen.Prepare(Batch); _netgen.TrainStep(); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() { _torch = new TorchMlp(_weights, _data, threads: 1); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() { _torch = new TorchMlp(_weights, _data, threads: 2); _torch.Prepare(Batch); }

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public float NetGen() => _netgen!.TrainStep();
    [Benchmark, Threads(2)] public float NetGen_2T() => _netgen!.TrainStep();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.TrainStep();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.TrainStep();
}

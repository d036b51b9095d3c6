using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks;

/// <summary>One forward pass of LeNet-5 (1×28×28 images), batch 1 and 64.</summary>
[Workload("LeNet-5 inference")]
public class LeNet5Inference
{
    [Params(1, 64)] public int Batch;

    public static double Flops(string method, int batch) => LeNet5.InferenceFlops(batch);

    private readonly float[][] _weights = LeNet5.CreateWeights();
    private readonly ClassificationBatch _data = LeNet5.CreateData();
    private NetGenLeNet5? _netgen;
    private TorchLeNet5? _torch;
    private OnnxPredictor? _onnx;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = new NetGenLeNet5(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = new NetGenLeNet5(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() { _torch = new TorchLeNet5(_weights, _data, threads: 1); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() { _torch = new TorchLeNet5(_weights, _data, threads: 2); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(OnnxRuntime_1T))]
    public void SetupOnnx() { _onnx = OnnxModels.LeNet5(_weights, _data, threads: 1); _onnx.Prepare(Batch); }

    [GlobalCleanup]
    public void Cleanup() { _torch?.Dispose(); _onnx?.Dispose(); }

    [Benchmark(Baseline = true), Threads(1)] public void NetGen() => _netgen!.Predict();
    [Benchmark, Threads(2)] public void NetGen_2T() => _netgen!.Predict();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.Predict();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.Predict();
    [Benchmark, Threads(1)] public void OnnxRuntime_1T() => _onnx!.Predict();
}

/// <summary>One Adam train step of LeNet-5 (forward, CrossEntropy, backward, update), batch 1 and 64.</summary>
[Workload("LeNet-5 train step (Adam)")]
public class LeNet5TrainStep
{
    [Params(1, 64)] public int Batch;

    public static double Flops(string method, int batch) => LeNet5.TrainFlops(batch);

    private readonly float[][] _weights = LeNet5.CreateWeights();
    private readonly ClassificationBatch _data = LeNet5.CreateData();
    private NetGenLeNet5? _netgen;
    private TorchLeNet5? _torch;

    [GlobalSetup(Target = nameof(NetGen))]
    public void SetupNetGen() { global::NetGen.Numerics.Parallelism.MaxThreads = 1; _netgen = new NetGenLeNet5(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(NetGen_2T))]
    public void SetupNetGen2() { global::NetGen.Numerics.Parallelism.MaxThreads = 2; _netgen = new NetGenLeNet5(_weights, _data); _netgen.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_1T))]
    public void SetupTorch1() { _torch = new TorchLeNet5(_weights, _data, threads: 1); _torch.Prepare(Batch); }

    [GlobalSetup(Target = nameof(TorchSharp_2T))]
    public void SetupTorch2() { _torch = new TorchLeNet5(_weights, _data, threads: 2); _torch.Prepare(Batch); }

    [GlobalCleanup]
    public void Cleanup() => _torch?.Dispose();

    [Benchmark(Baseline = true), Threads(1)] public float NetGen() => _netgen!.TrainStep();
    [Benchmark, Threads(2)] public float NetGen_2T() => _netgen!.TrainStep();
    [Benchmark, Threads(1)] public void TorchSharp_1T() => _torch!.TrainStep();
    [Benchmark, Threads(2)] public void TorchSharp_2T() => _torch!.TrainStep();
}

// GPU throughput of the generated runners, samples per second with the data resident on the device:
// training steps (forward, loss, backward, Adam) and Predict (the fused small-MLP kernel and the layered
// kernels) for the Fashion-MNIST MLP 784-128-10, a five-layer MLP 64 wide (tiny-cuda-nn's benchmark
// shape) at batch 2^14 to 2^18, and LeNet-5.
// Usage: GpuThroughput [--cpu] [--log2 14-18] [--steps N] [--tiled|--direct]   (run.sh publishes and runs it)
// On ILGPU's CPU accelerator every line says so: those figures are not GPU speed.
using System;
using System.Diagnostics;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using NetGen;
using NetGen.Gpu;

bool cpu = args.Contains("--cpu");
(int low, int high) = Range("--log2", cpu ? (10, 10) : (14, 18));
int steps = Option("--steps", cpu ? 2 : 20);
ProductKernels products = args.Contains("--tiled") ? ProductKernels.Tiled : args.Contains("--direct") ? ProductKernels.Direct : ProductKernels.Auto;

GpuDevice device;
try { device = AcceleratorChoice.Open(cpu ? AcceleratorPreference.Cpu : AcceleratorPreference.Cuda); }
catch (GpuUnavailableException e)
{
    Console.Error.WriteLine($"{e.Message}\nRun with --cpu to exercise ILGPU's CPU accelerator instead (not GPU speed).");
    return 2;
}
using (device)
{
    string where = device.IsCuda ? "GPU" : "CPU accelerator, NOT GPU speed";
    Console.WriteLine($"Accelerator: {device.Description}");
    if (!device.IsCuda) Console.WriteLine("WARNING: ILGPU's CPU accelerator — these figures are NOT GPU throughput.");
    Console.WriteLine($"Batches 2^{low}..2^{high}, {steps} timed steps per row after one warm-up step; samples/s = batch × steps / seconds.");
    Console.WriteLine();
    Console.WriteLine($"{"network",-24} {"operation",-16} {"batch",9} {"samples/s",16} {"ms/step",10}  path");
    for (int log2 = low; log2 <= high; log2++)
    {
        int batch = 1 << log2;
        using (var mlp = new Wide64x5Gpu(device, products))
        {
            Train("MLP 64×5 (tcnn shape)", mlp, Wide64x5.InputSize, Wide64x5.OutputSize, batch, where);
            Infer("MLP 64×5 (tcnn shape)", mlp, Wide64x5.InputSize, Wide64x5.OutputSize, batch, where, fused => mlp.UseFusedPredict = fused);
        }
        if (log2 <= Math.Max(low, 16))
            using (var mnist = new MnistMlpGpu(device, products))
            {
                Train("MLP 784-128-10", mnist, MnistMlp.InputSize, MnistMlp.OutputSize, batch, where);
                Infer("MLP 784-128-10", mnist, MnistMlp.InputSize, MnistMlp.OutputSize, batch, where, fused => mnist.UseFusedPredict = fused);
            }
        if (log2 <= Math.Max(low, 16))
            using (var lenet = new LeNet5Gpu(device, products))
            {
                Train("LeNet-5", lenet, LeNet5.InputSize, LeNet5.OutputSize, batch, where);
                Infer("LeNet-5", lenet, LeNet5.InputSize, LeNet5.OutputSize, batch, where, null);
            }
    }
    if (device.IsCuda)
        Console.WriteLine("\nReference: tiny-cuda-nn's fully fused 64-wide MLP trains 1.2–2.0·10⁸ samples/s on an RTX 3090 (published); the bar is ≥ 50% of that.");
}
return 0;

// One training step per call on device-resident data; the loss is the only read-back, at the end.
void Train(string name, IGpuNetwork network, int inputSize, int outputSize, int batch, string where)
    => Time(name, "train step", network, inputSize, outputSize, batch, where,
        (x, t) => network.EnqueueTrainStep(x, t, batch), () => _ = network.LastLoss,
        $"{(network.UsesTiledProducts ? "tiled" : "direct")} products");

// Predict on device-resident data: the fused kernel (when the generator emitted one) and the layered kernels.
void Infer(string name, IGpuNetwork network, int inputSize, int outputSize, int batch, string where, Action<bool>? useFused)
{
    using MemoryBuffer1D<float, Stride1D.Dense> outputs = network.Accelerator.Allocate1D<float>((long)batch * outputSize);
    foreach (bool fused in useFused is null ? new[] { false } : new[] { true, false })
    {
        useFused?.Invoke(fused);
        Time(name, "predict", network, inputSize, outputSize, batch, where,
            (x, _) => network.Predict(x, outputs.View, batch), network.Synchronize,
            fused ? "fused MLP kernel" : $"layered, {(network.UsesTiledProducts ? "tiled" : "direct")} products");
    }
    useFused?.Invoke(true);
}

void Time(string name, string operation, IGpuNetwork network, int inputSize, int outputSize, int batch, string where,
    Action<ArrayView<float>, ArrayView<float>> step, Action wait, string path)
{
    Accelerator accelerator = network.Accelerator;
    try
    {
        using var inputs = accelerator.Allocate1D<float>((long)batch * inputSize);
        using var targets = accelerator.Allocate1D<float>((long)batch * outputSize);
        var random = new Random(1);
        var host = new float[(long)batch * inputSize];
        for (long i = 0; i < host.LongLength; i++) host[i] = (float)random.NextDouble();
        inputs.CopyFromCPU(host);
        var labels = new float[(long)batch * outputSize];
        for (long i = 0; i < labels.LongLength; i++) labels[i] = i % outputSize == (i / outputSize) % outputSize ? 1f : 0f;
        targets.CopyFromCPU(labels);
        step(inputs.View, targets.View); // warm-up: kernels compiled, buffers grown
        wait();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step(inputs.View, targets.View);
        wait();
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{name,-24} {operation,-16} {batch,9} {batch * (double)steps / seconds,16:N0} {seconds / steps * 1e3,10:F2}  {path} ({where})");
    }
    catch (Exception e) when (e is InvalidOperationException or AcceleratorException or OutOfMemoryException)
    {
        Console.WriteLine($"{name,-24} {operation,-16} {batch,9} {"-",16} {"-",10}  skipped: {e.Message.Split('\n')[0]}");
    }
}

int Option(string flag, int fallback)
{
    int i = Array.IndexOf(args, flag);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

(int, int) Range(string flag, (int, int) fallback)
{
    int i = Array.IndexOf(args, flag);
    if (i < 0 || i + 1 >= args.Length) return fallback;
    string[] parts = args[i + 1].Split('-');
    return (int.Parse(parts[0]), int.Parse(parts[^1]));
}

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class MnistMlp;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3f)]
[Input(64)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(64)]
public partial class Wide64x5;

/// <summary>LeNet-5 as examples/LeNet5 declares it: 61,706 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 5)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5;

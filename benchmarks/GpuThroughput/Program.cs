// GPU training throughput of the generated runners (samples per second, data resident on the device):
// the Fashion-MNIST MLP 784-128-10 and a five-layer MLP 64 wide, at batch 2^14 and above.
// Usage: GpuThroughput [--cpu] [--batch N] [--steps N] [--tiled|--direct]
// On ILGPU's CPU accelerator the numbers are labelled as such: they are not GPU speed.
using System;
using System.Diagnostics;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using NetGen;
using NetGen.Gpu;

bool cpu = args.Contains("--cpu");
int batch = Option("--batch", cpu ? 1024 : 1 << 14);
int steps = Option("--steps", cpu ? 2 : 50);
ProductKernels products = args.Contains("--tiled") ? ProductKernels.Tiled : args.Contains("--direct") ? ProductKernels.Direct : ProductKernels.Auto;

GpuDevice device;
try { device = AcceleratorChoice.Open(cpu ? AcceleratorPreference.Cpu : AcceleratorPreference.Cuda); }
catch (GpuUnavailableException e)
{
    Console.Error.WriteLine($"{e.Message}\nRun with --cpu to measure ILGPU's CPU accelerator instead (not GPU speed).");
    return 2;
}
using (device)
{
    Console.WriteLine($"Accelerator: {device.Description}");
    if (!device.IsCuda) Console.WriteLine("WARNING: ILGPU's CPU accelerator — these figures are NOT GPU throughput.");
    Measure("MLP 784-128-10 (ReLU, softmax + CE, Adam)", new MnistMlpGpu(device, products), MnistMlp.InputSize, MnistMlp.OutputSize, MnistMlpGpu.KernelLaunchesPerTrainStep);
    Measure("MLP 64×5 (ReLU, MSE, Adam)", new Wide64x5Gpu(device, products), Wide64x5.InputSize, Wide64x5.OutputSize, Wide64x5Gpu.KernelLaunchesPerTrainStep);
}
return 0;

void Measure(string name, IGpuNetwork network, int inputSize, int outputSize, int launches)
{
    using (network)
    {
        Accelerator accelerator = network.Accelerator;
        using var inputs = accelerator.Allocate1D<float>((long)batch * inputSize);
        using var targets = accelerator.Allocate1D<float>((long)batch * outputSize);
        var random = new Random(1);
        inputs.CopyFromCPU(Enumerable.Range(0, batch * inputSize).Select(_ => (float)random.NextDouble()).ToArray());
        targets.CopyFromCPU(Enumerable.Range(0, batch * outputSize).Select(i => i % outputSize == 0 ? 1f : 0f).ToArray());
        network.TrainStep(inputs.View, targets.View, batch); // warm-up: kernels compiled, buffers grown
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) network.EnqueueTrainStep(inputs.View, targets.View, batch);
        float loss = network.LastLoss; // waits for the device
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: batch {batch}, {steps} steps, {launches} launches/step, {(network.UsesTiledProducts ? "tiled" : "direct")} products: " +
                          $"{batch * (double)steps / seconds:N0} samples/s ({seconds / steps * 1e3:F2} ms/step, final loss {loss:F4})");
    }
}

int Option(string flag, int fallback)
{
    int i = Array.IndexOf(args, flag);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
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

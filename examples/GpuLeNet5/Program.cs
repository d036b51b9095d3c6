// LeNet-5 on Fashion-MNIST with the generated GPU runner: both convolution and pooling stages and the
// three dense layers run as ILGPU kernels (CUDA when present, else ILGPU's CPU accelerator, which is a
// functional stand-in and slow: there the run uses a slice of the data and says so).
// Usage: dotnet run -c Release --project examples/GpuLeNet5 -- [epochs] [training images] [--cpu] [--cpu-class]
// (--cpu-class: the same batches through the CPU class instead, as a reference)
using System;
using System.Diagnostics;
using System.Linq;
using NetGen;
using NetGen.Data;
using NetGen.Gpu;

using GpuDevice device = AcceleratorChoice.Open(args.Contains("--cpu") ? AcceleratorPreference.Cpu : AcceleratorPreference.Auto);
Console.WriteLine($"Accelerator: {device.Description}");
if (!device.IsCuda) Console.WriteLine("WARNING: ILGPU's CPU accelerator: the times below are NOT GPU speed.");

string[] numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");
// On the CPU accelerator every kernel runs as ordinary threads: a slice keeps the run to a few minutes.
int epochs = numbers.Length > 0 ? int.Parse(numbers[0]) : device.IsCuda ? 6 : 1;
int trainCount = Math.Min(train.Count, numbers.Length > 1 ? int.Parse(numbers[1]) : device.IsCuda ? train.Count : 2048);
int testCount = device.IsCuda ? test.Count : Math.Min(test.Count, 1000);
Console.WriteLine($"LeNet-5 (61,706 parameters): {epochs} epoch(s) on {trainCount:N0} training images, tested on {testCount:N0}.");

const int Batch = 64;
if (args.Contains("--cpu-class"))
{
    // The same batches through the CPU class instead (a reference for the loss and accuracy above).
    var reference = new GpuLeNet();
    var x = new float[Batch * GpuLeNet.InputSize];
    var t = new float[Batch * GpuLeNet.OutputSize];
    int[] indices = Enumerable.Range(0, trainCount).ToArray();
    var shuffle = new Random(7);
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        shuffle.Shuffle(indices);
        double sum = 0;
        int count = 0;
        for (int start = 0; start + Batch <= trainCount; start += Batch, count++)
        {
            for (int b = 0; b < Batch; b++)
            {
                train.FeatureRow(indices[start + b]).CopyTo(x.AsSpan(b * GpuLeNet.InputSize));
                train.TargetRow(indices[start + b]).CopyTo(t.AsSpan(b * GpuLeNet.OutputSize));
            }
            sum += reference.TrainStep(x, t, Batch);
        }
        Console.WriteLine($"CPU class, epoch {epoch}/{epochs}: loss {sum / count:F4}");
    }
    var predicted = new float[testCount * GpuLeNet.OutputSize];
    reference.Predict(test.Features.AsSpan(0, testCount * GpuLeNet.InputSize), predicted, testCount);
    int right = Enumerable.Range(0, testCount).Count(i => ArgMax(predicted.AsSpan(i * GpuLeNet.OutputSize, GpuLeNet.OutputSize)) == test.Label(i));
    Console.WriteLine($"CPU class test accuracy: {100.0 * right / testCount:F2}% ({right}/{testCount})");
    return;
}
using var gpu = new GpuLeNetGpu(device);
Console.WriteLine($"Predict path: {(GpuLeNetGpu.FusedPredict ? "fused" : "layered")} kernels; {GpuLeNetGpu.KernelLaunchesPerTrainStep} launches per training step.");
var inputs = new float[Batch * GpuLeNet.InputSize];
var targets = new float[Batch * GpuLeNet.OutputSize];
int[] order = Enumerable.Range(0, trainCount).ToArray();
var random = new Random(7);
for (int epoch = 1; epoch <= epochs; epoch++)
{
    random.Shuffle(order);
    var clock = Stopwatch.StartNew();
    double lossSum = 0;
    int batches = 0;
    for (int start = 0; start + Batch <= trainCount; start += Batch)
    {
        for (int b = 0; b < Batch; b++)
        {
            train.FeatureRow(order[start + b]).CopyTo(inputs.AsSpan(b * GpuLeNet.InputSize));
            train.TargetRow(order[start + b]).CopyTo(targets.AsSpan(b * GpuLeNet.OutputSize));
        }
        lossSum += gpu.TrainStep(inputs, targets, Batch);
        batches++;
    }
    double seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"epoch {epoch}/{epochs}: loss {lossSum / batches:F4} ({seconds:F1} s, {batches * Batch / seconds:N0} samples/s on {(device.IsCuda ? "the GPU" : "the CPU accelerator")})");
}

// Test accuracy on the device, then the trained parameters copied into the CPU class for the same check there.
var outputs = new float[testCount * GpuLeNet.OutputSize];
gpu.Predict(test.Features.AsSpan(0, testCount * GpuLeNet.InputSize), outputs, testCount);
int correct = Enumerable.Range(0, testCount).Count(i => ArgMax(outputs.AsSpan(i * GpuLeNet.OutputSize, GpuLeNet.OutputSize)) == test.Label(i));
var cpu = new GpuLeNet();
gpu.CopyParametersTo(cpu);
var cpuOutputs = new float[outputs.Length];
cpu.Predict(test.Features.AsSpan(0, testCount * GpuLeNet.InputSize), cpuOutputs, testCount);
float largest = 0;
for (int i = 0; i < outputs.Length; i++) largest = Math.Max(largest, Math.Abs(outputs[i] - cpuOutputs[i]));
Console.WriteLine($"test accuracy: {100.0 * correct / testCount:F2}% ({correct}/{testCount}); largest |GPU − CPU class| output difference: {largest:G3}");

static int ArgMax(ReadOnlySpan<float> row)
{
    int best = 0;
    for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
    return best;
}

/// <summary>LeNet-5 as examples/LeNet5 declares it (ReLU, max pooling, softmax + cross entropy, Adam).</summary>
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
public partial class GpuLeNet;

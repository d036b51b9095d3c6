// Trains the Fashion-MNIST MLP 784-128-10 with the generated GPU runner (CUDA when present, else
// ILGPU's CPU accelerator, on a subset: that accelerator is a functional stand-in and slow) and
// reports test accuracy.
using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using NetGen;
using NetGen.Gpu;

using GpuDevice device = AcceleratorChoice.Open();
Console.WriteLine($"Accelerator: {device.Description}");

string dataDirectory = FindData();
float[] trainImages = Idx.Images(Path.Combine(dataDirectory, "train-images-idx3-ubyte.gz"), out int trainCount);
byte[] trainLabels = Idx.Labels(Path.Combine(dataDirectory, "train-labels-idx1-ubyte.gz"));
float[] testImages = Idx.Images(Path.Combine(dataDirectory, "t10k-images-idx3-ubyte.gz"), out int testCount);
byte[] testLabels = Idx.Labels(Path.Combine(dataDirectory, "t10k-labels-idx1-ubyte.gz"));

// The CPU accelerator runs kernels as ordinary threads: train on a slice there so the example ends in a minute or two.
int epochs = device.IsCuda ? 10 : 2;
if (!device.IsCuda)
{
    trainCount = Math.Min(trainCount, 4096);
    testCount = Math.Min(testCount, 2000);
    Console.WriteLine($"No CUDA device: training on the first {trainCount} images, testing on {testCount}.");
}

const int batch = 128;
using var gpu = new FashionMlpGpu(device);
var inputs = new float[batch * FashionMlp.InputSize];
var targets = new float[batch * FashionMlp.OutputSize];
int[] order = new int[trainCount];
for (int i = 0; i < order.Length; i++) order[i] = i;
var random = new Random(7);
for (int epoch = 1; epoch <= epochs; epoch++)
{
    random.Shuffle(order);
    var clock = Stopwatch.StartNew();
    double lossSum = 0;
    int batches = 0;
    for (int start = 0; start + batch <= trainCount; start += batch)
    {
        Array.Clear(targets);
        for (int b = 0; b < batch; b++)
        {
            int s = order[start + b];
            Array.Copy(trainImages, s * FashionMlp.InputSize, inputs, b * FashionMlp.InputSize, FashionMlp.InputSize);
            targets[b * FashionMlp.OutputSize + trainLabels[s]] = 1f;
        }
        lossSum += gpu.TrainStep(inputs, targets, batch);
        batches++;
    }
    Console.WriteLine($"epoch {epoch}/{epochs}: loss {lossSum / batches:F4} ({clock.Elapsed.TotalSeconds:F1} s)");
}

var outputs = new float[testCount * FashionMlp.OutputSize];
gpu.Predict(testImages.AsSpan(0, testCount * FashionMlp.InputSize), outputs, testCount);
int correct = 0;
for (int i = 0; i < testCount; i++)
{
    int best = 0;
    for (int j = 1; j < FashionMlp.OutputSize; j++)
        if (outputs[i * FashionMlp.OutputSize + j] > outputs[i * FashionMlp.OutputSize + best]) best = j;
    if (best == testLabels[i]) correct++;
}
Console.WriteLine($"test accuracy: {100.0 * correct / testCount:F2}% ({correct}/{testCount})");

static string FindData()
{
    // data/fashion-mnist at the repository root; until the datasets land there, the shared copy beside it.
    for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        foreach (string candidate in new[] { Path.Combine(dir, "data", "fashion-mnist"), Path.Combine(dir, "..", "shared", "data", "fashion-mnist"), Path.Combine(dir, "shared", "data", "fashion-mnist") })
            if (File.Exists(Path.Combine(candidate, "train-images-idx3-ubyte.gz"))) return candidate;
    throw new DirectoryNotFoundException("Fashion-MNIST not found: put the four IDX .gz files in data/fashion-mnist at the repository root.");
}

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionMlp;

/// <summary>A minimal IDX reader (big-endian header, gzip): images scaled to [0, 1], labels as bytes.</summary>
internal static class Idx
{
    public static float[] Images(string path, out int count)
    {
        byte[] data = Read(path, 0x803);
        count = BigEndian(data, 4);
        int size = BigEndian(data, 8) * BigEndian(data, 12);
        var images = new float[count * size];
        for (int i = 0; i < images.Length; i++) images[i] = data[16 + i] / 255f;
        return images;
    }

    public static byte[] Labels(string path)
    {
        byte[] data = Read(path, 0x801);
        return data.AsSpan(8, BigEndian(data, 4)).ToArray();
    }

    private static byte[] Read(string path, int magic)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        byte[] data = memory.ToArray();
        if (BigEndian(data, 0) != magic) throw new InvalidDataException($"{path} is not an IDX file of the expected kind (magic {BigEndian(data, 0):X}).");
        return data;
    }

    private static int BigEndian(byte[] data, int offset) => data[offset] << 24 | data[offset + 1] << 16 | data[offset + 2] << 8 | data[offset + 3];
}

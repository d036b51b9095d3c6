// Classifies Fashion-MNIST images with the MLP whose trained weights are compiled into this program
// ([Network(Weights = "fashion-mlp.safetensors")]): nothing to load at start-up but the images.
//   EmbeddedClassifier [images.idx(.gz) | image.raw (784 bytes)] [labels.idx(.gz)]   classify, report accuracy
//   EmbeddedClassifier --first [image.raw]                                            classify one image (default: the first test image), exit
//   EmbeddedClassifier --latency [iterations]                                         steady-state Predict latency, batch 1
using System;
using System.Diagnostics;
using System.IO;
using NetGen;
using NetGen.Data;

string[] classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
var net = new EmbeddedFashionMlp();
Span<float> scores = stackalloc float[EmbeddedFashionMlp.OutputSize];

if (args.Length > 0 && args[0] == "--first")
{
    // Start to first prediction: read the first test image, predict, print.
    float[] image = Images(args.Length > 1 ? args[1] : RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz"), limit: 1);
    net.Predict(image, scores);
    Console.WriteLine($"first image: {classes[ArgMax(scores)]}");
    return;
}

if (args.Length > 0 && args[0] == "--latency")
{
    // Steady state at batch 1: warm up, then the median of many timed single-image predictions.
    int iterations = args.Length > 1 ? int.Parse(args[1]) : 100_000;
    float[] images = Images(RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz"), limit: 100);
    for (int i = 0; i < 10_000; i++) net.Predict(images.AsSpan(i % 100 * 784, 784), scores);
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < iterations; i++) net.Predict(images.AsSpan(i % 100 * 784, 784), scores);
    double microseconds = clock.Elapsed.TotalMilliseconds * 1000 / iterations;
    Console.WriteLine($"Predict, batch 1: {microseconds:F2} µs per image (mean of {iterations:N0} after 10,000 warm-up calls)");
    return;
}

string imagesPath = args.Length > 0 ? args[0] : RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz");
float[] pixels = Images(imagesPath, limit: int.MaxValue);
int count = pixels.Length / 784;
byte[]? labels = args.Length > 1 ? IdxLoader.Read(args[1]).Data : args.Length == 0 ? IdxLoader.Read(RepoData.Path("fashion-mnist/t10k-labels-idx1-ubyte.gz")).Data : null;
var predictions = new int[count];
float[] outputs = new float[count * EmbeddedFashionMlp.OutputSize];
var timer = Stopwatch.StartNew();
net.Predict(pixels, outputs, count);
timer.Stop();
int right = 0;
for (int i = 0; i < count; i++)
{
    predictions[i] = ArgMax(outputs.AsSpan(i * 10, 10));
    if (labels is not null && predictions[i] == labels[i]) right++;
}
for (int i = 0; i < Math.Min(count, 5); i++) Console.WriteLine($"  image {i}: {classes[predictions[i]]}" + (labels is null ? "" : $" (actual {classes[labels[i]]})"));
Console.WriteLine($"{count:N0} images classified in {timer.Elapsed.TotalMilliseconds:F1} ms" + (labels is null ? "." : $"; accuracy {(double)right / count:P2}."));

// The pixels of an IDX image file (scaled to [0, 1]), or of one raw 28×28 grey image of 784 bytes.
static float[] Images(string path, int limit)
{
    byte[] bytes = path.EndsWith(".raw", StringComparison.OrdinalIgnoreCase) || new FileInfo(path).Length == 784
        ? File.ReadAllBytes(path)
        : IdxLoader.Read(path).Data;
    int n = Math.Min(bytes.Length / 784, limit);
    var pixels = new float[n * 784];
    for (int i = 0; i < pixels.Length; i++) pixels[i] = bytes[i] / 255f;
    return pixels;
}

static int ArgMax(ReadOnlySpan<float> values)
{
    int best = 0;
    for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
    return best;
}

// The same layers as Training/Program.cs's FashionMlp, with its trained weights compiled in.
[Network(Weights = "fashion-mlp.safetensors")]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class EmbeddedFashionMlp;

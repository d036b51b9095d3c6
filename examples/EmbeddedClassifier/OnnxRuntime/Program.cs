// EmbeddedClassifier's counterpart on ONNX Runtime: the same 784-128-10 MLP with the same weights, loaded
// from fashion-mlp.onnx at start-up (written by NetGen.Onnx's exporter:
// `dotnet run -c Release --project examples/EmbeddedClassifier/Training -- --export-onnx [weights] [model.onnx]`).
// The same modes, so the figures compare side by side:
//   EmbeddedClassifier.OnnxRuntime [model.onnx]                                  classify the test set, report accuracy
//   EmbeddedClassifier.OnnxRuntime --first [image.raw] [model.onnx]              classify one image (default: the first test image), exit
//   EmbeddedClassifier.OnnxRuntime --latency [iterations] [model.onnx]           steady-state Run latency, batch 1
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Data;

string Model(int at) => args.Length > at ? args[at] : Path.Combine(AppContext.BaseDirectory, "fashion-mlp.onnx");

string[] classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
bool first = args.Length > 0 && args[0] == "--first", latency = args.Length > 0 && args[0] == "--latency";
using var options = new SessionOptions { IntraOpNumThreads = 1 };
using var session = new InferenceSession(first || latency ? Model(2) : Model(0), options);
string input = session.InputNames[0], output = session.OutputNames[0];
float[] pixels = Images(first && args.Length > 1 ? args[1] : RepoData.Path("fashion-mnist/t10k-images-idx3-ubyte.gz"), first ? 1 : latency ? 100 : int.MaxValue);

if (first)
{
    using var x = OrtValue.CreateTensorValueFromMemory(pixels, new long[] { 1, 784 });
    using var results = session.Run(new RunOptions(), new[] { input }, new[] { x }, new[] { output });
    Console.WriteLine($"first image: {classes[ArgMax(results[0].GetTensorDataAsSpan<float>())]}");
    return;
}

if (latency)
{
    // Batch 1 through pre-bound input and output buffers (IoBinding-free Run with OrtValues, no per-call tensors).
    int iterations = args.Length > 1 ? int.Parse(args[1]) : 100_000;
    float[] one = new float[784], scores = new float[10];
    using var x = OrtValue.CreateTensorValueFromMemory(one, new long[] { 1, 784 });
    using var y = OrtValue.CreateTensorValueFromMemory(scores, new long[] { 1, 10 });
    using var run = new RunOptions();
    string[] inputs = { input }, outputs = { output };
    OrtValue[] xs = { x }, ys = { y };
    for (int i = 0; i < 10_000; i++) { pixels.AsSpan(i % 100 * 784, 784).CopyTo(one); session.Run(run, inputs, xs, outputs, ys); }
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < iterations; i++) { pixels.AsSpan(i % 100 * 784, 784).CopyTo(one); session.Run(run, inputs, xs, outputs, ys); }
    Console.WriteLine($"Run, batch 1: {clock.Elapsed.TotalMilliseconds * 1000 / iterations:F2} µs per image (mean of {iterations:N0} after 10,000 warm-up calls)");
    return;
}

int count = pixels.Length / 784;
byte[] labels = IdxLoader.Read(RepoData.Path("fashion-mnist/t10k-labels-idx1-ubyte.gz")).Data;
var timer = Stopwatch.StartNew();
using var all = OrtValue.CreateTensorValueFromMemory(pixels, new long[] { count, 784 });
using var predicted = session.Run(new RunOptions(), new[] { input }, new[] { all }, new[] { output });
ReadOnlySpan<float> scoresAll = predicted[0].GetTensorDataAsSpan<float>();
timer.Stop();
int right = 0;
for (int i = 0; i < count; i++) if (ArgMax(scoresAll.Slice(i * 10, 10)) == labels[i]) right++;
Console.WriteLine($"{count:N0} images classified in {timer.Elapsed.TotalMilliseconds:F1} ms; accuracy {(double)right / count:P2}.");

static float[] Images(string path, int limit)
{
    byte[] bytes = new FileInfo(path).Length == 784 ? File.ReadAllBytes(path) : IdxLoader.Read(path).Data;
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

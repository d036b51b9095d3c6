using System;
using System.Diagnostics;
using LeNet5Example;
using NetGen;

// LeNet-5 (LeCun et al., 1998, with ReLU and max pooling) on Fashion-MNIST, compiled from the
// attributes below. Usage: dotnet run -c Release -- [data folder or -] [epochs] [batch size]
// Exits with 1 when a run of four or more epochs ends below 89% test accuracy.
string folder = FashionMnist.FindFolder(args.Length > 0 && args[0] != "-" ? args[0] : null);
int epochs = args.Length > 1 ? int.Parse(args[1]) : 6;
int batch = args.Length > 2 ? int.Parse(args[2]) : 64;

var (trainX, trainY) = FashionMnist.Load(folder, "train");
var (testX, testY) = FashionMnist.Load(folder, "t10k");
int trainCount = trainY.Length, testCount = testY.Length;
Console.WriteLine($"Fashion-MNIST from {folder}: {trainCount} training and {testCount} test images");
Console.WriteLine(LeNet5.Summary);

var net = new LeNet5();
var order = new int[trainCount];
for (int i = 0; i < order.Length; i++) order[i] = i;
var random = new Random(1);
var x = new float[batch * LeNet5.InputSize];
var t = new float[batch * LeNet5.OutputSize];
var total = Stopwatch.StartNew();
double finalAccuracy = 0;

for (int epoch = 1; epoch <= epochs; epoch++)
{
    // Adam at 1e-3 for three epochs, then halved every epoch: the late, smaller steps settle the
    // weights and are worth about a point of test accuracy.
    net.LearningRate = 1e-3 * Math.Pow(0.5, Math.Max(0, epoch - 3));
    var watch = Stopwatch.StartNew();
    TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    random.Shuffle(order);
    double lossSum = 0;
    int batches = 0;
    for (int start = 0; start + batch <= trainCount; start += batch)
    {
        Array.Clear(t);
        for (int b = 0; b < batch; b++)
        {
            int i = order[start + b];
            trainX.AsSpan(i * LeNet5.InputSize, LeNet5.InputSize).CopyTo(x.AsSpan(b * LeNet5.InputSize));
            t[b * LeNet5.OutputSize + trainY[i]] = 1f;
        }
        lossSum += net.TrainStep(x, t, batch);
        batches++;
    }
    double trainSeconds = watch.Elapsed.TotalSeconds;
    // CPU time as well as wall time: on a shared machine the wall clock also counts other people's work.
    double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    double accuracy = Accuracy(net, testX, testY);
    Console.WriteLine($"epoch {epoch,2}/{epochs}: loss {lossSum / batches:F4}, test accuracy {accuracy:P2}, " +
        $"{trainSeconds:F1} s training ({trainSeconds / batches * 1000:F2} ms per step of {batch}; CPU {cpuSeconds:F1} s, {cpuSeconds / batches * 1000:F2} ms per step), " +
        $"{total.Elapsed.TotalSeconds:F0} s in all");
    finalAccuracy = accuracy;
}

const double Target = 0.89;
Console.WriteLine($"Test accuracy {finalAccuracy:P2} after {epochs} epochs in {total.Elapsed.TotalSeconds:F0} s: the {Target:P0} target is {(finalAccuracy >= Target ? "reached" : "NOT reached")}.");
return finalAccuracy >= Target || epochs < 4 ? 0 : 1;

/// <summary>The share of images whose largest output is their label, predicted in batches of 500.</summary>
static double Accuracy(LeNet5 net, float[] images, byte[] labels)
{
    const int chunk = 500;
    var y = new float[chunk * LeNet5.OutputSize];
    int correct = 0;
    for (int start = 0; start < labels.Length; start += chunk)
    {
        int n = Math.Min(chunk, labels.Length - start);
        net.Predict(images.AsSpan(start * LeNet5.InputSize, n * LeNet5.InputSize), y.AsSpan(0, n * LeNet5.OutputSize), n);
        for (int b = 0; b < n; b++)
        {
            int best = 0;
            for (int o = 1; o < LeNet5.OutputSize; o++) if (y[b * LeNet5.OutputSize + o] > y[b * LeNet5.OutputSize + best]) best = o;
            if (best == labels[start + b]) correct++;
        }
    }
    return (double)correct / labels.Length;
}

/// <summary>LeNet-5: two convolution + pooling stages, then three fully connected layers.</summary>
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

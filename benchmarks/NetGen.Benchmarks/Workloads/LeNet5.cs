using System;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// Workload 3: LeNet-5 as the repository's example trains it on Fashion-MNIST: 1×28×28 input, Conv 6@5×5 (padding 2)
/// ReLU, MaxPool 2, Conv 16@5×5 ReLU, MaxPool 2, Flatten (400), Dense 120 ReLU, Dense 84 ReLU, Dense 10 Softmax;
/// CrossEntropy, Adam (learning rate 1e-3). Inputs uniform in [0, 1), labels uniform over the ten classes.
/// </summary>
public static class LeNet5
{
    public const int Channels = 1, Side = 28, Inputs = Channels * Side * Side, Outputs = 10;
    public const float LearningRate = 1e-3f;
    public const int MaxBatch = 64;

    /// <summary>The parameter tensors in declaration order, each weight then its bias (PyTorch's layout and order).</summary>
    public static readonly (string Name, int[] Shape, int FanIn)[] Tensors =
    [
        ("layers.0.weight", [6, 1, 5, 5], 25), ("layers.0.bias", [6], 0),
        ("layers.2.weight", [16, 6, 5, 5], 150), ("layers.2.bias", [16], 0),
        ("layers.5.weight", [120, 400], 400), ("layers.5.bias", [120], 0),
        ("layers.6.weight", [84, 120], 120), ("layers.6.bias", [84], 0),
        ("layers.7.weight", [10, 84], 84), ("layers.7.bias", [10], 0),
    ];

    /// <summary>
    /// Multiply-adds per sample of the forward products: conv1 6·28·28·(1·5·5) + conv2 16·10·10·(6·5·5)
    /// + 400·120 + 120·84 + 84·10 = 117,600 + 240,000 + 48,000 + 10,080 + 840.
    /// </summary>
    public const long MacsPerSample = 6L * 28 * 28 * 25 + 16L * 10 * 10 * 150 + 400 * 120 + 120 * 84 + 84 * 10;

    public static double InferenceFlops(int batch) => 2.0 * MacsPerSample * batch;

    /// <summary>A train step: 3× the forward products less the first convolution's input gradient (not needed) — 2.72× the forward.</summary>
    public static double TrainFlops(int batch) => 2.0 * (3 * MacsPerSample - 6L * 28 * 28 * 25) * batch;

    /// <summary>Parameters: 61,706 (the five layers' weights and biases).</summary>
    public const long ParameterCount = 6 * 25 + 6 + 16 * 150 + 16 + 400 * 120 + 120 + 120 * 84 + 84 + 84 * 10 + 10;

    /// <summary>
    /// Floats one sample keeps: z and ReLU(z) of conv1 (6×28×28 each), pool1 (6×14×14), z and ReLU(z) of conv2
    /// (16×10×10 each), pool2 (400), z and activation of the three dense layers (120, 84, 10 each).
    /// </summary>
    public const long ActivationsPerSample = 2 * 4704 + 1176 + 2 * 1600 + 400 + 2 * 120 + 2 * 84 + 2 * 10;

    /// <summary>Bytes moved and touched by one inference (the roofline model, Harness/Roofline.cs).</summary>
    public static Harness.Traffic InferenceTraffic(int batch) => Harness.Roofline.Model(false, false, ParameterCount, ActivationsPerSample, Inputs, Outputs, batch);

    /// <summary>Bytes moved and touched by one Adam train step (the roofline model, Harness/Roofline.cs).</summary>
    public static Harness.Traffic TrainTraffic(int batch) => Harness.Roofline.Model(true, true, ParameterCount, ActivationsPerSample, Inputs, Outputs, batch);

    /// <summary>He uniform (every layer but the last is ReLU; the same for the last keeps it simple), biases small but non-zero.</summary>
    public static float[][] CreateWeights(int seed = 5)
    {
        var rng = new Random(seed);
        var tensors = new float[Tensors.Length][];
        for (int i = 0; i < Tensors.Length; i++)
        {
            int count = 1;
            foreach (int d in Tensors[i].Shape) count *= d;
            tensors[i] = Data.Uniform(rng, count, Tensors[i].FanIn > 0 ? MathF.Sqrt(6f / Tensors[i].FanIn) : 0.01f);
        }
        return tensors;
    }

    /// <summary>Writes the tensors one after another (the NetGen <c>Parameters</c> layout).</summary>
    public static void CopyTo(float[][] tensors, Span<float> flat)
    {
        foreach (float[] t in tensors) { t.CopyTo(flat); flat = flat[t.Length..]; }
    }

    /// <summary><see cref="MaxBatch"/> images (NCHW, row-major), labels as class indices and as one-hot rows.</summary>
    public static ClassificationBatch CreateData(int seed = 6)
    {
        var rng = new Random(seed);
        float[] x = new float[MaxBatch * Inputs];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle();
        long[] labels = new long[MaxBatch];
        float[] oneHot = new float[MaxBatch * Outputs];
        for (int s = 0; s < MaxBatch; s++)
        {
            labels[s] = rng.Next(Outputs);
            oneHot[s * Outputs + labels[s]] = 1f;
        }
        return new ClassificationBatch(x, labels, oneHot);
    }
}

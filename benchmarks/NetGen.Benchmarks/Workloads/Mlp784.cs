using System;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// Workload 1: the MNIST-shaped MLP 784-128-10, ReLU hidden layer, Softmax output, CrossEntropy loss, plain SGD
/// (learning rate 0.01). Inputs are uniform in [0, 1) like scaled pixels; labels are uniform over the ten classes.
/// Every implementation starts from the same weights (<see cref="CreateWeights"/>), in PyTorch's layout.
/// </summary>
public static class Mlp784
{
    public const int Inputs = 784, Hidden = 128, Outputs = 10;
    public const float LearningRate = 0.01f;

    /// <summary>Largest batch any row uses; the data arrays hold this many samples.</summary>
    public const int MaxBatch = 64;

    /// <summary>Multiply-adds per sample of the forward pass: 784·128 + 128·10.</summary>
    public const long MacsPerSample = (long)Inputs * Hidden + (long)Hidden * Outputs;

    /// <summary>FLOPs of one inference of <paramref name="batch"/> samples: 2·m·n·k per matrix product.</summary>
    public static double InferenceFlops(int batch) => 2.0 * MacsPerSample * batch;

    /// <summary>
    /// FLOPs of one train step, the products actually done: forward and weight gradient of both layers, and the
    /// input gradient of the second only (nobody needs d(loss)/d(pixels); TorchSharp skips it too) — 2.01× the forward.
    /// </summary>
    public static double TrainFlops(int batch) => 2.0 * (3 * MacsPerSample - (long)Inputs * Hidden) * batch;

    /// <summary>Parameters: W₁ [128, 784], b₁, W₂ [10, 128], b₂.</summary>
    public const long ParameterCount = (long)Inputs * Hidden + Hidden + (long)Hidden * Outputs + Outputs;

    /// <summary>Floats one sample keeps: z and ReLU(z) of the hidden layer (128 each), the logits and the softmax (10 each).</summary>
    public const long ActivationsPerSample = 2 * Hidden + 2 * Outputs;

    /// <summary>Bytes moved and touched by one inference (the roofline model, Harness/Roofline.cs).</summary>
    public static Harness.Traffic InferenceTraffic(int batch) => Harness.Roofline.Model(false, false, ParameterCount, ActivationsPerSample, Inputs, Outputs, batch);

    /// <summary>Bytes moved and touched by one SGD train step (the roofline model, Harness/Roofline.cs).</summary>
    public static Harness.Traffic TrainTraffic(int batch) => Harness.Roofline.Model(true, false, ParameterCount, ActivationsPerSample, Inputs, Outputs, batch);

    /// <summary>The parameters in PyTorch's order and layout.</summary>
    public sealed record Weights(float[] W1, float[] B1, float[] W2, float[] B2)
    {
        public int Count => W1.Length + B1.Length + W2.Length + B2.Length;

        /// <summary>Writes W1, b1, W2, b2 one after another (the NetGen <c>Parameters</c> layout).</summary>
        public void CopyTo(Span<float> flat)
        {
            W1.CopyTo(flat); flat = flat[W1.Length..];
            B1.CopyTo(flat); flat = flat[B1.Length..];
            W2.CopyTo(flat); flat = flat[W2.Length..];
            B2.CopyTo(flat);
        }
    }

    /// <summary>He uniform for the ReLU layer, Glorot uniform for the Softmax layer, biases small but non-zero (so a bias bug shows).</summary>
    public static Weights CreateWeights(int seed = 1)
    {
        var rng = new Random(seed);
        return new Weights(
            Data.Uniform(rng, Hidden * Inputs, MathF.Sqrt(6f / Inputs)),
            Data.Uniform(rng, Hidden, 0.01f),
            Data.Uniform(rng, Outputs * Hidden, MathF.Sqrt(6f / (Hidden + Outputs))),
            Data.Uniform(rng, Outputs, 0.01f));
    }

    /// <summary><see cref="MaxBatch"/> samples: inputs uniform in [0, 1), labels uniform over the classes.</summary>
    public static ClassificationBatch CreateData(int seed = 2)
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

/// <summary>Samples for a classifier: inputs row-major, labels as class indices (TorchSharp) and as one-hot rows (NetGen).</summary>
public sealed record ClassificationBatch(float[] Inputs, long[] Labels, float[] OneHot);

/// <summary>Small helpers shared by the workloads.</summary>
internal static class Data
{
    public static float[] Uniform(Random rng, int count, float bound)
    {
        float[] a = new float[count];
        for (int i = 0; i < a.Length; i++) a[i] = (2f * rng.NextSingle() - 1f) * bound;
        return a;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static float Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}

using System;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// Workload 2: the problem from the SimpleChains.jl README. A 4-32-16-4 MLP (Tanh, Tanh, identity) learns the
/// matrix exponential of a 2×2 matrix: x ~ N(0, 1)⁴ read as A (column-major, as Julia reshapes it), target vec(exp A).
/// Mean squared error, Adam (learning rate 1e-3). One benchmark operation is one epoch over the 10,000 samples in
/// order, in batches of <c>batch</c> (the last batch is smaller when <c>batch</c> does not divide 10,000).
/// </summary>
public static class SimpleChains
{
    public const int Inputs = 4, Hidden1 = 32, Hidden2 = 16, Outputs = 4;
    public const int Samples = 10_000;
    public const float LearningRate = 1e-3f;

    /// <summary>Multiply-adds per sample of the forward pass: 4·32 + 32·16 + 16·4.</summary>
    public const long MacsPerSample = Inputs * Hidden1 + Hidden1 * Hidden2 + Hidden2 * Outputs;

    /// <summary>FLOPs of one epoch: 10,000 samples, each 3× the forward products less the first layer's input gradient.</summary>
    public static double EpochFlops() => 2.0 * (3 * MacsPerSample - Inputs * Hidden1) * Samples;

    /// <summary>Parameters: 756.</summary>
    public const long ParameterCount = MacsPerSample + Hidden1 + Hidden2 + Outputs;

    /// <summary>Floats one sample keeps: z and tanh(z) of both hidden layers (32, 16), the output (4).</summary>
    public const long ActivationsPerSample = 2 * Hidden1 + 2 * Hidden2 + Outputs;

    /// <summary>
    /// Bytes of one epoch in steps of <paramref name="batch"/> (the roofline model, Harness/Roofline.cs): every step
    /// passes over the parameters (Adam: 7 passes), every sample's activations once each way; the working set is one step's.
    /// </summary>
    public static Harness.Traffic EpochTraffic(int batch)
    {
        int steps = (Samples + batch - 1) / batch;
        Harness.Traffic step = Harness.Roofline.Model(true, true, ParameterCount, ActivationsPerSample, Inputs, Outputs, Math.Min(batch, Samples));
        Harness.Traffic all = Harness.Roofline.Model(true, true, 0, ActivationsPerSample, Inputs, Outputs, Samples);
        return new Harness.Traffic(all.Bytes + steps * 4.0 * 7 * ParameterCount, step.WorkingSetBytes);
    }

    /// <summary>The parameters in PyTorch's order and layout (Glorot uniform: every layer is Tanh or linear).</summary>
    public sealed record Weights(float[] W1, float[] B1, float[] W2, float[] B2, float[] W3, float[] B3)
    {
        public float[][] All => [W1, B1, W2, B2, W3, B3];

        public void CopyTo(Span<float> flat)
        {
            foreach (float[] t in All) { t.CopyTo(flat); flat = flat[t.Length..]; }
        }
    }

    public static Weights CreateWeights(int seed = 3)
    {
        var rng = new Random(seed);
        return new Weights(
            Data.Uniform(rng, Hidden1 * Inputs, MathF.Sqrt(6f / (Inputs + Hidden1))), Data.Uniform(rng, Hidden1, 0.01f),
            Data.Uniform(rng, Hidden2 * Hidden1, MathF.Sqrt(6f / (Hidden1 + Hidden2))), Data.Uniform(rng, Hidden2, 0.01f),
            Data.Uniform(rng, Outputs * Hidden2, MathF.Sqrt(6f / (Hidden2 + Outputs))), Data.Uniform(rng, Outputs, 0.01f));
    }

    /// <summary>The data set, row-major: <c>Inputs[s·4 ..]</c> is sample s, <c>Targets[s·4 ..]</c> its exp(A).</summary>
    public sealed record DataSet(float[] Inputs, float[] Targets);

    public static DataSet CreateData(int seed = 4)
    {
        var rng = new Random(seed);
        float[] x = new float[Samples * Inputs], y = new float[Samples * Outputs];
        for (int s = 0; s < Samples; s++)
        {
            Span<float> a = x.AsSpan(s * Inputs, Inputs);
            for (int i = 0; i < Inputs; i++) a[i] = Data.Normal(rng);
            Expm2x2(a, y.AsSpan(s * Outputs, Outputs));
        }
        return new DataSet(x, y);
    }

    /// <summary>
    /// exp(A) for a 2×2 matrix stored column-major (a11, a21, a12, a22). With A = s·I + B, s = tr(A)/2 and B traceless,
    /// B² = q²·I where q² = −det B, so exp(A) = eˢ·(cosh q·I + (sinh q / q)·B) (cos and sin of |q| when q² &lt; 0).
    /// </summary>
    public static void Expm2x2(ReadOnlySpan<float> a, Span<float> result)
    {
        double a11 = a[0], a21 = a[1], a12 = a[2], a22 = a[3];
        double s = (a11 + a22) / 2;
        double b11 = a11 - s, b22 = a22 - s;
        double q2 = -(b11 * b22 - a12 * a21);
        double c, sq; // cosh q and sinh q / q
        if (q2 > 1e-12) { double q = Math.Sqrt(q2); c = Math.Cosh(q); sq = Math.Sinh(q) / q; }
        else if (q2 < -1e-12) { double q = Math.Sqrt(-q2); c = Math.Cos(q); sq = Math.Sin(q) / q; }
        else { c = 1 + q2 / 2; sq = 1 + q2 / 6; }
        double e = Math.Exp(s);
        result[0] = (float)(e * (c + sq * b11));
        result[1] = (float)(e * sq * a21);
        result[2] = (float)(e * sq * a12);
        result[3] = (float)(e * (c + sq * b22));
    }
}

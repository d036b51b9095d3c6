using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>Runs an ONNX model in ONNX Runtime and compares its outputs with a network's <c>Predict</c>.</summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>The largest allowed |onnx − netgen| / max(1, |netgen|).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Every parameter U(−0.8, 0.8) (biases and slopes too), running means U(−0.5, 0.5), running variances U(0.5, 1.5).</summary>
    public static void Randomize(INetworkState<float> network, int seed)
    {
        var random = new Random(seed);
        Span<float> p = network.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = (float)(random.NextDouble() * 1.6 - 0.8);
        Span<float> b = network.Buffers;
        foreach (ParameterTensor t in network.BufferTensors)
        {
            bool variance = t.Name.EndsWith("running_var", StringComparison.Ordinal);
            for (int i = 0; i < t.Length; i++) b[t.Offset + i] = (float)(variance ? 0.5 + random.NextDouble() : random.NextDouble() - 0.5);
        }
    }

    /// <summary>Random float inputs U(−1, 1).</summary>
    public static float[] Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>ONNX Runtime's output for float inputs of shape [batch, ...sampleShape].</summary>
    public static float[] Run(byte[] model, float[] inputs, int batch, int[] sampleShape)
        => Run(model, NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<float>(inputs, new[] { batch }.Concat(sampleShape).ToArray())));

    /// <summary>ONNX Runtime's output for int64 token ids [batch, timeSteps].</summary>
    public static float[] Run(byte[] model, int[] ids, int batch)
        => Run(model, NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<long>(ids.Select(i => (long)i).ToArray(), new[] { batch, ids.Length / batch })));

    private static float[] Run(byte[] model, NamedOnnxValue input)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(new[] { input });
        return results.First().AsEnumerable<float>().ToArray();
    }

    /// <summary>Asserts equal lengths and |a − e| ≤ 1e-5·max(1, |e|) everywhere, naming the first index that differs.</summary>
    public static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (!(error <= worst)) { worst = error; worstAt = i; }
        }
        Assert.True(worst <= Tolerance, $"{what}: relative error {worst:E2} at {worstAt} (expected {(worstAt >= 0 ? expected[worstAt] : 0)}, got {(worstAt >= 0 ? actual[worstAt] : 0)})");
    }

    /// <summary>Exports a float-input network, runs both on a batch of 3 and compares.</summary>
    public static void AssertExportMatches<TNetwork>(TNetwork network, int seed = 1) where TNetwork : INetwork<float>, IDescribedNetwork
    {
        const int batch = 3;
        Randomize(network, seed);
        float[] inputs = Inputs(batch * network.InputSize, seed + 1);
        var expected = new float[batch * network.OutputSize];
        network.Predict(inputs, expected, batch);
        float[] actual = Run(OnnxExport.ToBytes(network), inputs, batch, network.Architecture.InputShape);
        AssertClose(expected, actual, network.Architecture.ClassName);
    }

    /// <summary>Exports a token-input network, runs both on a batch of 3 and compares.</summary>
    public static void AssertTokenExportMatches<TNetwork>(TNetwork network, int vocabulary, int seed = 1) where TNetwork : ITokenNetwork<float>, IDescribedNetwork
    {
        const int batch = 3;
        Randomize(network, seed);
        var random = new Random(seed + 1);
        int[] ids = Enumerable.Range(0, batch * network.InputSize).Select(_ => random.Next(vocabulary)).ToArray();
        var expected = new float[batch * network.OutputSize];
        network.Predict(ids, expected, batch);
        float[] actual = Run(OnnxExport.ToBytes(network), ids, batch);
        AssertClose(expected, actual, network.Architecture.ClassName);
    }
}

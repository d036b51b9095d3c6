using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using NetGen.Serialization;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// [Network(Weights = ...)]: the inference-only class predicts, bit for bit, what the trainable class
/// predicts with the same weights loaded from the same file, allocates nothing, and has no training members.
/// </summary>
public class EmbeddedInferenceTests
{
    private static string WeightsPath(string name) => Path.Combine(AppContext.BaseDirectory, "Weights", name);

    private static float[] Inputs(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(32)]
    [InlineData(70)] // more than ScratchBatch: run in chunks of 32, 32, 6
    public void MlpPredictionsEqualTheTrainableClassBitForBit(int batch)
    {
        var trainable = new EmbeddedMlpTrainable();
        SafeTensors.Load(trainable, WeightsPath("embedded-mlp.safetensors"));
        var embedded = new EmbeddedMlp();
        float[] x = Inputs(batch * EmbeddedMlp.InputSize, batch);
        float[] expected = new float[batch * EmbeddedMlp.OutputSize], actual = new float[expected.Length];

        // The trainable class over the same chunks the inference class runs (ScratchBatch samples at a time).
        for (int start = 0; start < batch; start += EmbeddedMlp.ScratchBatch)
        {
            int n = Math.Min(EmbeddedMlp.ScratchBatch, batch - start);
            trainable.Predict(x.AsSpan(start * EmbeddedMlp.InputSize, n * EmbeddedMlp.InputSize), expected.AsSpan(start * EmbeddedMlp.OutputSize, n * EmbeddedMlp.OutputSize), n);
        }
        embedded.Predict(x, actual, batch);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Contains(actual, v => v != 0); // the weights really are in: softmax outputs, not zeros
    }

    [Fact]
    public void SingleSamplePredictEqualsTheTrainableClassBitForBit()
    {
        var trainable = new EmbeddedMlpTrainable();
        SafeTensors.Load(trainable, WeightsPath("embedded-mlp.safetensors"));
        var embedded = new EmbeddedMlp();
        float[] x = Inputs(EmbeddedMlp.InputSize, 3);
        float[] expected = new float[3], actual = new float[3];
        trainable.Predict(x, expected);
        embedded.Predict(x, actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(1f, actual.Sum(), 5);
    }

    [Fact]
    public void ConvolutionalPredictionsEqualTheTrainableClassBitForBit()
    {
        var trainable = new EmbeddedConvTrainable();
        SafeTensors.Load(trainable, WeightsPath("embedded-conv.safetensors"));
        var embedded = new EmbeddedConv();
        const int batch = 7;
        float[] x = Inputs(batch * EmbeddedConv.InputSize, 11);
        float[] expected = new float[batch * EmbeddedConv.OutputSize], actual = new float[expected.Length];
        trainable.Predict(x, expected, batch);
        embedded.Predict(x, actual, batch);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.Length, actual.Count(v => v > 0 && v < 1)); // sigmoid outputs from real weights
    }

    [Fact]
    public void DoublePrecisionFromF64TensorsEqualsTheTrainableClassBitForBit()
    {
        var trainable = new EmbeddedDoubleTrainable();
        SafeTensors.Load(trainable, WeightsPath("embedded-mlp64.safetensors"));
        var embedded = new EmbeddedDouble();
        double[] x = { 0.3, -1.7, 2.9, 1, 1, 1 };
        double[] expected = new double[2], actual = new double[2];
        trainable.Predict(x, expected, 2);
        embedded.Predict(x, actual, 2);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        Assert.NotEqual(0, actual[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void PredictAllocatesNothingAfterConstruction()
    {
        var embedded = new EmbeddedMlp();
        float[] x = Inputs(70 * EmbeddedMlp.InputSize, 5), y = new float[70 * EmbeddedMlp.OutputSize];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            embedded.Predict(x, y, 70);
            embedded.Predict(x.AsSpan(0, EmbeddedMlp.InputSize), y.AsSpan(0, EmbeddedMlp.OutputSize));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheInferenceClassHasNoTrainingMembersAndNoParameterArrays()
    {
        var members = typeof(EmbeddedMlp).GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name).ToHashSet();
        foreach (string training in new[] { "TrainStep", "ComputeGradients", "ComputeLoss", "Backward", "Gradients", "OptimizerState", "_parameters", "_gradients", "InitializeParameters" })
            Assert.DoesNotContain(training, members);
        Assert.Contains("Predict", members);
        Assert.False(typeof(INetwork).IsAssignableFrom(typeof(EmbeddedMlp)));
        // Only scratch lives in instance fields: the weights are static constant data.
        long instanceFloats = typeof(EmbeddedMlp).GetFields(BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(f => f.FieldType == typeof(float[])).Sum(f => ((float[])f.GetValue(new EmbeddedMlp())!).Length);
        Assert.True(instanceFloats < EmbeddedMlp.ParameterCount + 2 * EmbeddedMlp.ScratchBatch * (9 + 9 + 9 + 3 + 3 + 3) + 1, $"{instanceFloats} floats of scratch");
    }

    [Fact]
    public void BadSizesThrowNamingTheExpectedSize()
    {
        var embedded = new EmbeddedMlp();
        var e = Assert.Throws<ArgumentException>(() => embedded.Predict(new float[16], new float[3]));
        Assert.Contains("17", e.Message);
        Assert.Throws<ArgumentException>(() => embedded.Predict(new float[34], new float[5], 2));
    }
}

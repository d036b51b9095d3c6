using System;
using System.Runtime.CompilerServices;
using NetGen.Conv.Tests.Networks;
using Xunit;

namespace NetGen.Conv.Tests;

/// <summary>Training-time behaviour: no allocation after warm-up, and learning actually happens.</summary>
public class TrainingTests
{
    /// <summary>Images of a vertical or a horizontal bar at a random place, with one-hot labels.</summary>
    private static (float[] X, float[] T) Bars(int count, int seed)
    {
        var r = new Random(seed);
        var x = new float[count * LeNet5.InputSize];
        var t = new float[count * LeNet5.OutputSize];
        for (int i = 0; i < count; i++)
        {
            bool vertical = r.Next(2) == 0;
            int at = r.Next(4, 24);
            for (int j = 0; j < 28; j++) x[i * 784 + (vertical ? j * 28 + at : at * 28 + j)] = 1f;
            for (int j = 0; j < 784; j++) x[i * 784 + j] += (float)(r.NextDouble() * 0.2);
            t[i * 10 + (vertical ? 1 : 0)] = 1f;
        }
        return (x, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [Fact]
    public void TrainStep_does_not_allocate_after_warm_up()
    {
        var net = new LeNet5();
        const int batch = 16;
        (float[] x, float[] t) = Bars(batch, 1);
        var y = new float[batch * LeNet5.OutputSize];
        net.TrainStep(x, t, batch);
        net.Predict(x, y, batch);
        net.TrainStep(x.AsSpan(0, 8 * 784), t.AsSpan(0, 80), 8); // smaller batches reuse the buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) net.TrainStep(x, t, batch);
        net.Predict(x, y, batch);
        net.ComputeLoss(x, t, batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void LeNet5_learns_to_tell_bars_apart()
    {
        var net = new LeNet5();
        (float[] x, float[] t) = Bars(256, 2);
        const int batch = 32;
        float first = net.ComputeLoss(x, t, 256);
        for (int epoch = 0; epoch < 3; epoch++)
            for (int b = 0; b < 256; b += batch)
                net.TrainStep(x.AsSpan(b * 784, batch * 784), t.AsSpan(b * 10, batch * 10), batch);
        (float[] xt, float[] tt) = Bars(100, 3);
        float last = net.ComputeLoss(xt, tt, 100);
        Assert.True(last < first / 4, $"loss {first} → {last}");
        var y = new float[100 * 10];
        net.Predict(xt, y, 100);
        int correct = 0;
        for (int i = 0; i < 100; i++) if ((y[i * 10 + 1] > y[i * 10]) == (tt[i * 10 + 1] == 1f)) correct++;
        Assert.True(correct >= 95, $"{correct}/100 correct");
        Assert.Null(net.FindNonFiniteLayer());
    }

    [Fact]
    public void Conv_weights_round_trip_through_safetensors_with_PyTorch_names_and_shapes()
    {
        var trained = new LeNet5(21);
        (float[] x, float[] t) = Bars(16, 5);
        trained.TrainStep(x, t, 16);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lenet5-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetGen.Serialization.SafeTensors.Save(trained, path);
            byte[] file = System.IO.File.ReadAllBytes(path);
            string header = System.Text.Encoding.UTF8.GetString(file, 8, (int)BitConverter.ToUInt64(file, 0));
            Assert.Contains("\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[6,1,5,5]", header.Replace(" ", ""));
            Assert.Contains("\"layers.2.weight\":{\"dtype\":\"F32\",\"shape\":[16,6,5,5]", header.Replace(" ", ""));
            var loaded = new LeNet5(99);
            NetGen.Serialization.SafeTensors.Load(loaded, path);
            Assert.True(loaded.Parameters.SequenceEqual(trained.Parameters));
            var a = new float[16 * 10];
            var b = new float[16 * 10];
            trained.Predict(x, a, 16);
            loaded.Predict(x, b, 16);
            Assert.Equal(a, b);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Same_seed_gives_bit_identical_training()
    {
        (float[] x, float[] t) = Bars(32, 4);
        var a = new LeNet5(11);
        var b = new LeNet5(11);
        for (int i = 0; i < 3; i++)
        {
            a.TrainStep(x, t, 32);
            b.TrainStep(x, t, 32);
        }
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
    }
}

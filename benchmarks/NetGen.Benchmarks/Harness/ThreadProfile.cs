using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using NetGen.Numerics;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// <c>--threads</c>: where a second thread pays and where it does not (issue 15, round four). Each product
/// kernel of the MLP and LeNet-5 rows at batch 64 is timed by wall clock with one thread and with two, the
/// calls back to back (the worker spinning); then one product is timed after an idle gap of the calling
/// thread (the serial part of a train step between two products), which shows what waking a worker costs.
/// Figures are medians of 31 samples.
/// </summary>
internal static class ThreadProfile
{
    public static int Run()
    {
        var rng = new Random(1);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() - 0.5f; return a; }
        const int b = 64;
        Console.WriteLine($"Thread profile, batch {b}, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}; median of 31 samples, wall time per call.");
        Console.WriteLine($"{"kernel",-34} {"1T",10} {"2T",10} {"speed-up",9}");
        foreach (var (inputs, units) in new[] { (784, 128), (128, 10), (400, 120), (120, 84), (84, 10) })
        {
            float[] x = R(b * inputs), w = R(units * inputs), bias = R(units), z = new float[b * units], y = new float[b * units];
            float[] dy = R(b * units), dw = new float[units * inputs], db = new float[units], dx = new float[b * inputs];
            Compare($"Dense {inputs}->{units} forward (ReLU)", () => Dense.Forward(default(ReLUOperator<float>), x, w, bias, z, y, b, inputs, units));
            Compare($"Dense {inputs}->{units} dW", () => Dense.BackwardWeights<float>(dy, x, dw, db, b, inputs, units));
            Compare($"Dense {inputs}->{units} dx", () => Dense.BackwardInput<float>(dy, w, dx, b, inputs, units));
        }
        foreach (Conv2DShape shape in new[] { new Conv2DShape(1, 28, 28, 6, 5, 1, 2), new Conv2DShape(6, 14, 14, 16, 5, 1, 0) })
        {
            float[] x = R(b * shape.InputSize), w = R(shape.Filters * shape.PatchSize), bias = R(shape.Filters), z = new float[b * shape.OutputSize];
            float[] dz = R(b * shape.OutputSize), dw = new float[w.Length], db = new float[shape.Filters], columns = new float[shape.ColumnsSize], dx = new float[b * shape.InputSize];
            string name = $"Conv {shape.Channels}x{shape.Height}x{shape.Width} -> {shape.Filters}@{shape.KernelSize}";
            Compare(name + " forward", () => Convolution.Forward<float>(x, w, bias, z, columns, b, shape));
            Compare(name + " dW", () => Convolution.BackwardWeights<float>(x, dz, dw, db, columns, b, shape));
            Compare(name + " dx", () => Convolution.BackwardInput<float>(dz, w, dx, columns, b, shape));
        }

        // The serial passes of the LeNet-5 train step between its products.
        {
            float[] z0 = R(b * 4704), y0 = R(b * 4704), d0 = R(b * 4704), dz0 = new float[b * 4704], y1 = new float[b * 1176], d1 = R(b * 1176);
            int[] argmax = new int[b * 1176];
            float[] y2 = R(b * 1600), y3 = new float[b * 400], d3 = R(b * 400), d2 = new float[b * 1600];
            var pool1 = new Pool2DShape(6, 28, 28, 2, 2);
            var pool2 = new Pool2DShape(16, 10, 10, 2, 2);
            float[] w = R(61706), g = R(61706), m = new float[61706], v = new float[61706];
            Compare("ReLU forward 64x4704", () => Activations.Forward(default(ReLUOperator<float>), z0, y0));
            Compare("ReLU backward 64x4704", () => Activations.Backward(default(ReLUOperator<float>), z0, y0, d0, dz0));
            Compare("MaxPool 6x28x28 forward", () => Pooling.MaxForward<float>(y0, y1, argmax, b, pool1));
            Compare("MaxPool 6x28x28 backward", () => Pooling.MaxBackward<float>(d1, argmax, dz0, b, pool1));
            Compare("AvgPool 16x10x10 forward", () => Pooling.AverageForward<float>(y2, y3, b, pool2));
            Compare("AvgPool 16x10x10 backward", () => Pooling.AverageBackward<float>(d3, d2, b, pool2));
            Compare("Adam, 61706 parameters", () => Optimizers.Adam<float>(w, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        }

        // Wake-up: Dense 784->128 forward on two threads, after the caller has been busy (serial work) for a gap.
        {
            float[] x = R(b * 784), w = R(128 * 784), bias = R(128), z = new float[b * 128], y = new float[b * 128];
            Action call = () => Dense.Forward(default(ReLUOperator<float>), x, w, bias, z, y, b, 784, 128);
            Console.WriteLine("Dense 784->128 forward after the caller works alone for a gap (median of 201 calls):");
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                var line = new System.Text.StringBuilder($"  {threads}T:");
                foreach (int gapUs in new[] { 0, 20, 40, 80, 160, 400, 1000, 3000 })
                {
                    var samples = new List<double>(201);
                    for (int i = 0; i < 5; i++) call();
                    for (int i = 0; i < 201; i++)
                    {
                        long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * gapUs / 1_000_000;
                        while (Stopwatch.GetTimestamp() < until) { }
                        long t0 = Stopwatch.GetTimestamp();
                        call();
                        samples.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                    }
                    samples.Sort();
                    line.Append(string.Create(CultureInfo.InvariantCulture, $"  gap {gapUs}us: {samples[100],6:F1}"));
                }
                Console.WriteLine(line);
            }
        }
        Parallelism.MaxThreads = Environment.ProcessorCount;
        return 0;
    }

    private static void Compare(string kernel, Action call)
    {
        double[] median = new double[2];
        var samples = new List<double>[] { new(31), new(31) };
        // Rounds alternate 1T and 2T, so drift in the machine's load falls on both.
        for (int round = 0; round < 31; round++)
            for (int t = 0; t < 2; t++)
            {
                Parallelism.MaxThreads = t + 1;
                for (int i = 0; i < 2; i++) call();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < 20; i++) call();
                samples[t].Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 20);
            }
        for (int t = 0; t < 2; t++) { samples[t].Sort(); median[t] = samples[t][15]; }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kernel,-34} {median[0],8:F1}us {median[1],8:F1}us {median[0] / median[1],8:F2}x"));
    }
}

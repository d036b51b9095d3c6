using System;
using System.Globalization;
using System.Reflection;
using NetGen.Numerics;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// <c>--kernels</c>: the product kernels of the MLP and LeNet-5 rows at batch 64, one thread, each timed with
/// the AVX-512 paths of issue 15 on and off (the runtime's internal switches <c>Dense.WideBlocks</c>,
/// <c>Convolution.FlatForward</c>, <c>Convolution.RowWeightGradients</c>, set by reflection: off is what a
/// machine without AVX-512 runs, at 512 bits). Operands are managed arrays, as the generated code's are
/// (so not cache-line aligned). Rounds alternate on and off; each figure is the fastest sample of the
/// calling thread's CPU time, per call.
/// </summary>
internal static class KernelProfile
{
    public static int Run()
    {
        Numerics.Parallelism.MaxThreads = 1;
        var rng = new Random(1);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() - 0.5f; return a; }
        const int b = 64;
        Console.WriteLine($"Kernel profile, batch {b}, one thread, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}; fastest of 31 samples, thread CPU time per call.");
        Console.WriteLine($"{"kernel",-34} {"switch",-20} {"off",10} {"on",10} {"on GFLOP/s",11}");

        foreach (var (inputs, units) in new[] { (784, 128), (128, 10), (400, 120), (120, 84), (84, 10) })
        {
            float[] x = R(b * inputs), w = R(units * inputs), bias = R(units), z = new float[b * units], y = new float[b * units];
            float[] dy = R(b * units), dw = new float[units * inputs], db = new float[units];
            double flop = 2.0 * b * inputs * units;
            Compare($"Dense {inputs}->{units} forward (ReLU)", "Dense.WideBlocks", typeof(Dense), "WideBlocks", flop,
                () => Dense.Forward(default(ReLUOperator<float>), x, w, bias, z, y, b, inputs, units));
            Compare($"Dense {inputs}->{units} dW", "Dense.WideBlocks", typeof(Dense), "WideBlocks", flop,
                () => Dense.BackwardWeights<float>(dy, x, dw, db, b, inputs, units));
        }
        foreach (Conv2DShape shape in new[] { new Conv2DShape(1, 28, 28, 6, 5, 1, 2), new Conv2DShape(6, 14, 14, 16, 5, 1, 0) })
        {
            float[] x = R(b * shape.InputSize), w = R(shape.Filters * shape.PatchSize), bias = R(shape.Filters), z = new float[b * shape.OutputSize];
            float[] dz = R(b * shape.OutputSize), dw = new float[w.Length], db = new float[shape.Filters], columns = new float[shape.ColumnsSize];
            double flop = 2.0 * b * shape.Filters * shape.PatchSize * shape.Positions;
            string name = $"Conv {shape.Channels}x{shape.Height}x{shape.Width} -> {shape.Filters}@{shape.KernelSize}x{shape.KernelSize}";
            Compare(name + " forward", "Conv.FlatForward", typeof(Convolution), "FlatForward", flop,
                () => Convolution.Forward<float>(x, w, bias, z, columns, b, shape));
            Compare(name + " dW", "Conv.RowWeightGrad.", typeof(Convolution), "RowWeightGradients", flop,
                () => Convolution.BackwardWeights<float>(x, dz, dw, db, columns, b, shape));
        }
        return 0;
    }

    private static void Compare(string kernel, string label, Type owner, string property, double flop, Action call)
    {
        PropertyInfo toggle = owner.GetProperty(property, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{owner.Name}.{property} not found");
        double[] best = [double.MaxValue, double.MaxValue];
        int inner = Math.Max(1, (int)(2e7 / flop));
        try
        {
            for (int round = 0; round < 3; round++)
                for (int on = 0; on < 2; on++)
                {
                    toggle.SetValue(null, on == 1);
                    for (int i = 0; i < 3; i++) call();
                    for (int s = 0; s < 31; s++)
                    {
                        double t0 = ThreadCpuTime.Seconds();
                        for (int i = 0; i < inner; i++) call();
                        best[on] = Math.Min(best[on], (ThreadCpuTime.Seconds() - t0) / inner);
                    }
                }
        }
        finally { toggle.SetValue(null, true); }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kernel,-34} {label,-20} {best[0] * 1e6,8:F1}us {best[1] * 1e6,8:F1}us {flop / best[1] / 1e9,11:F1}"));
    }
}

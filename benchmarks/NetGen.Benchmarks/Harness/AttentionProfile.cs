using System;
using System.Linq;
using NetGen.Numerics;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// <c>--attention</c>: one MultiHeadAttention layer of the GPT row (batch 12, 64 steps, width 128, 4 heads, causal),
/// forward and backward, split into its projections (the in_proj and out_proj products, timed alone with the same
/// operands) and the attention core (QKᵀ, softmax, P·V and their gradients: the rest), one thread, CPU time of this
/// thread per call, median of 9 rounds of 20 calls. The core's FLOPs count the causal products' live half only
/// (T(T+1)/2 scores per head): forward 2 products, backward 4.
/// </summary>
internal static class AttentionProfile
{
    private const int Batch = 12, Time = 64, Width = 128, Heads = 4, Rounds = 9, Calls = 20;

    public static int Run()
    {
        Parallelism.MaxThreads = 1;
        var rng = new Random(1);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = ((float)rng.NextDouble() - 0.5f) * 0.2f; return a; }
        int n = Batch * Time, d = Width / Heads;
        float[] x = R(n * Width), win = R(3 * Width * Width), bin = R(3 * Width), wout = R(Width * Width), bout = R(Width);
        float[] y = new float[n * Width], qkv = new float[n * 3 * Width], p = new float[Batch * Heads * Time * Time], context = new float[n * Width];
        float[] scratch = new float[MultiHeadAttention.HeadScratchSize(Time, Width, Heads)];
        float[] dy = R(n * Width), dx = new float[n * Width], dWin = new float[win.Length], dBin = new float[bin.Length], dWout = new float[wout.Length], dBout = new float[bout.Length];
        float[] dContext = new float[n * Width], dQkv = R(n * 3 * Width);

        void Forward() => MultiHeadAttention.Forward<float>(x, win, bin, wout, bout, y, qkv, p, context, scratch, Batch, Time, Width, Heads, causal: true);
        void Backward() => MultiHeadAttention.Backward<float>(dy, x, win, wout, qkv, p, context, dx, dWin, dBin, dWout, dBout, dContext, dQkv, scratch, Batch, Time, Width, Heads, causal: true);
        void ForwardProducts()
        {
            Dense.Forward<float>(x, win, bin, qkv, n, Width, 3 * Width);
            Dense.Forward<float>(context, wout, bout, y, n, Width, Width);
        }
        void BackwardProducts()
        {
            Dense.BackwardWeights<float>(dy, context, dWout, dBout, n, Width, Width);
            Dense.BackwardInput<float>(dy, wout, dContext, n, Width, Width);
            Dense.BackwardWeights<float>(dQkv, x, dWin, dBin, n, Width, 3 * Width);
            Dense.BackwardInput<float>(dQkv, win, dx, n, Width, 3 * Width);
        }
        Forward();
        Backward();

        (string Name, Action Run)[] parts = { ("forward, whole layer", Forward), ("  its projections alone", ForwardProducts), ("backward, whole layer", Backward), ("  its projections alone", BackwardProducts) };
        var samples = parts.Select(_ => new double[Rounds]).ToArray();
        for (int r = 0; r < Rounds; r++)
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i].Run();
                double t0 = ThreadCpuTime.Seconds();
                for (int c = 0; c < Calls; c++) parts[i].Run();
                samples[i][r] = (ThreadCpuTime.Seconds() - t0) / Calls;
            }
        double[] median = samples.Select(s => s.OrderBy(v => v).ElementAt(Rounds / 2)).ToArray();
        double projectionForwardFlop = 2.0 * n * Width * 4 * Width, projectionBackwardFlop = 2 * projectionForwardFlop;
        double coreForwardFlop = 2.0 * 2 * Batch * Heads * (Time * (Time + 1) / 2.0) * d, coreBackwardFlop = 2 * coreForwardFlop;

        Console.WriteLine($"MultiHeadAttention of the GPT row: batch {Batch}, {Time} steps, width {Width}, {Heads} heads of {d}, causal; one thread, CPU time per call, median of {Rounds} rounds of {Calls}.");
        Console.WriteLine($"{"part",-34} {"ms",8} {"MFLOP",8} {"GFLOP/s",8}");
        void Row(string name, double seconds, double flop) => Console.WriteLine($"{name,-34} {seconds * 1e3,8:F3} {flop / 1e6,8:F1} {flop / seconds / 1e9,8:F1}");
        Row(parts[0].Name, median[0], projectionForwardFlop + coreForwardFlop);
        Row(parts[1].Name, median[1], projectionForwardFlop);
        Row("  the attention core (the rest)", median[0] - median[1], coreForwardFlop);
        Row(parts[2].Name, median[2], projectionBackwardFlop + coreBackwardFlop);
        Row(parts[3].Name, median[3], projectionBackwardFlop);
        Row("  the attention core (the rest)", median[2] - median[3], coreBackwardFlop);
        Console.WriteLine($"Per GPT iteration (4 layers): attention core {4 * (median[0] - median[1] + median[2] - median[3]) * 1e3:F2} ms, projections {4 * (median[1] + median[3]) * 1e3:F2} ms.");

        // Every product of a GPT block and the head at 768 rows, alone: forward, dW, dx.
        Console.WriteLine();
        Console.WriteLine($"The GPT iteration's products at {n} rows (one block's four and the head), alone; same timing. The forward as it runs, and in the dot form alone.");
        Console.WriteLine($"{"product",-22} {"forward µs",11} {"GFLOP/s",8} {"dW µs",9} {"GFLOP/s",8} {"dx µs",9} {"GFLOP/s",8} {"dot form µs",12} {"GFLOP/s",8}");
        double perIteration = 0, flopPerIteration = 0, blockProducts = 0;
        foreach ((string name, int inputs, int units, int count) in new[] { ("in_proj 128->384", 128, 384, 4), ("out_proj 128->128", 128, 128, 4), ("linear1 128->512", 128, 512, 4), ("linear2 512->128", 512, 128, 4), ("head 128->65", 128, 65, 1) })
        {
            float[] a = R(n * inputs), w = R(units * inputs), b = R(units), o = new float[n * units], g = R(n * units), dw = new float[w.Length], db = new float[units], da = new float[a.Length];
            double flop = 2.0 * n * inputs * units;
            double f = Median(() => Dense.Forward<float>(a, w, b, o, n, inputs, units));
            // The same product in the dot form (what every shape took before the broadcast form for short reductions).
            Dense.TransposedForward = false;
            double dot = Median(() => Dense.Forward<float>(a, w, b, o, n, inputs, units));
            Dense.TransposedForward = true;
            double dW = Median(() => Dense.BackwardWeights<float>(g, a, dw, db, n, inputs, units));
            double dX = Median(() => Dense.BackwardInput<float>(g, w, da, n, inputs, units));
            Console.WriteLine($"{name,-22} {f * 1e6,11:F1} {flop / f / 1e9,8:F1} {dW * 1e6,9:F1} {flop / dW / 1e9,8:F1} {dX * 1e6,9:F1} {flop / dX / 1e9,8:F1} {dot * 1e6,12:F1} {flop / dot / 1e9,8:F1}");
            perIteration += count * (f + dW + dX);
            if (count == 4) blockProducts += count * (f + dW + dX);
            flopPerIteration += count * 3 * flop;
        }
        Console.WriteLine($"Per GPT iteration: the products {perIteration * 1e3:F2} ms for {flopPerIteration / 1e9:F2} GFLOP ({flopPerIteration / perIteration / 1e9:F1} GFLOP/s).");
        double core = 4 * (median[0] - median[1] + median[2] - median[3]);
        IterationParts(R, blockProducts, core);
        return 0;
    }

    /// <summary>
    /// The whole GPT iteration (the generated network's TrainStep) against what its parts take alone: one
    /// TransformerBlock forward and backward, the block's element-wise passes (LayerNorm, GELU, the residual sums),
    /// and what is left outside the blocks (embeddings, final LayerNorm, the head, the loss, clipping and AdamW).
    /// </summary>
    private static void IterationParts(Func<int, float[]> R, double blockProducts, double core)
    {
        const int FeedForward = 512;
        int n = Batch * Time;
        float[] parameters = new float[TransformerBlock.ParameterCount(Width, FeedForward)];
        var seed = SplitMix64.FromSeed(1);
        TransformerBlock.Initialize<float>(parameters, Width, FeedForward, ref seed);
        float[] x = R(n * Width), y = new float[n * Width], dy = R(n * Width), dx = new float[n * Width];
        float[] cache = new float[TransformerBlock.CacheSize(Batch, Time, Width, Heads, FeedForward)];
        float[] scratch = new float[TransformerBlock.ScratchSize(Batch, Time, Width, Heads, FeedForward)];
        float[] gradients = new float[parameters.Length];
        double blockForward = Median(() => TransformerBlock.Forward<float>(x, parameters, y, cache, scratch, Batch, Time, Width, Heads, FeedForward, causal: true));
        double blockBackward = Median(() => TransformerBlock.Backward<float>(dy, x, parameters, cache, dx, gradients, scratch, Batch, Time, Width, Heads, FeedForward, causal: true));

        // The block's element-wise passes, alone at its shapes.
        float[] weight = R(Width), bias = R(Width), normed = new float[n * Width], mean = new float[n], rstd = new float[n], dWeight = new float[Width], dBias = new float[Width];
        float[] hidden = R(n * FeedForward), activated = new float[n * FeedForward], dActivated = R(n * FeedForward), dHidden = new float[n * FeedForward];
        double normForward = Median(() => LayerNorm.Forward<float>(x, weight, bias, normed, mean, rstd, n, Width));
        double normBackward = Median(() => LayerNorm.Backward<float>(dy, x, weight, mean, rstd, dx, dWeight, dBias, n, Width));
        double geluForward = Median(() => Activations.Forward(default(GeluOperator<float>), hidden, activated));
        double geluBackward = Median(() => Activations.Backward(default(GeluOperator<float>), hidden, activated, dActivated, dHidden));
        double add = Median(() => AttentionRows.Add<float>(y, x));
        double elementWise = 2 * normForward + 2 * normBackward + geluForward + geluBackward + 4 * add;

        var model = NetGenRows.NetGenCharModel.Gpt();
        double iteration = Median(() => model.TrainStep());
        double blocks = 4 * (blockForward + blockBackward);

        Console.WriteLine();
        Console.WriteLine("The GPT iteration part by part (same timing; one block at the GPT shape, its element-wise passes alone).");
        void Row(string name, double seconds) => Console.WriteLine($"{name,-58} {seconds * 1e3,8:F3} ms");
        Row("TransformerBlock forward", blockForward);
        Row("TransformerBlock backward", blockBackward);
        Row("  LayerNorm forward (768 × 128), each of 2", normForward);
        Row("  LayerNorm backward, each of 2", normBackward);
        Row("  GELU forward (768 × 512; fused into linear1's pass in the block)", geluForward);
        Row("  GELU backward", geluBackward);
        Row("  residual sum (768 × 128), each of 4", add);
        Row("Whole iteration (CharGptNet.TrainStep, batch 12 × 64)", iteration);
        Row("  4 blocks forward and backward", blocks);
        Row("    of which the products (the table's four block rows, × 4)", blockProducts);
        Row("    of which the attention core", core);
        Row("    of which the element-wise passes (alone, × 4 blocks)", 4 * elementWise);
        Row("    the blocks' remainder", blocks - blockProducts - core - 4 * elementWise);
        Row("  outside the blocks: embeddings, final LayerNorm, head, loss, clipping, AdamW", iteration - blocks);
    }

    /// <summary>CPU time of this thread per call of <paramref name="action"/>: the median of <see cref="Rounds"/> rounds of <see cref="Calls"/> calls, each round after one untimed call.</summary>
    private static double Median(Action action)
    {
        var t = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
        {
            action();
            double t0 = ThreadCpuTime.Seconds();
            for (int c = 0; c < Calls; c++) action();
            t[r] = (ThreadCpuTime.Seconds() - t0) / Calls;
        }
        return t.OrderBy(v => v).ElementAt(Rounds / 2);
    }
}

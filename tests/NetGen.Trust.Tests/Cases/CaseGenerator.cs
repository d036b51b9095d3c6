using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Trust.Tests.Cases;

/// <summary>
/// Draws valid random networks from a seed. Valid means the generator must accept it: Softmax only on
/// the last layer, BinaryStep only in a single-Dense perceptron. CrossEntropy mostly gets a Softmax
/// output and BCE a Sigmoid output; the other pairs (which draw a warning) are drawn only where the
/// outputs are probabilities (CE after Sigmoid, BCE after a Softmax of two or more units).
/// </summary>
public static class CaseGenerator
{
    private static readonly int[] Sizes = { 1, 1, 2, 3, 4, 5, 7, 8, 11, 13, 16, 17, 23, 31 };
    private static readonly int[] Pieces = { 1, 2, 3, 5 };
    // Sizes past a few SIMD vectors and 4×4 blocks, and batches big enough for the parallel kernels.
    private static readonly int[] LargeSizes = { 32, 33, 47, 64, 65, 100, 129 };
    private static readonly int[] Batches = { 1, 1, 2, 3, 4, 5, 7, 8, 16 };
    private static readonly int[] LargeBatches = { 24, 32, 33 };
    private static readonly Activation[] Hidden =
    {
        Activation.Linear, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU,
        Activation.PReLU, Activation.ELU, Activation.Swish,
    };

    public static CaseSpec Generate(int seed, string className)
    {
        var r = new Random(seed);
        T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
        bool Chance(double p) => r.NextDouble() < p;
        int Size() => Chance(0.1) ? Pick(LargeSizes) : Pick(Sizes);

        int dataSeed = r.Next();
        int netSeed = Chance(0.1) ? -r.Next(1, 1000) : r.Next(0, 100000);
        bool dbl = Chance(0.5);
        int inputSize = Size();

        if (Chance(0.05))
        {
            // Rosenblatt's perceptron: one Dense(n, BinaryStep), compared on inference and the rule w += lr·(t − y)·x.
            return new CaseSpec
            {
                ClassName = className, InputSize = inputSize, Double = dbl, Seed = netSeed, DataSeed = dataSeed,
                Layers = new[] { new LayerDesc(LayerKind.Dense, Size(), Activation: Activation.BinaryStep) },
                Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = Chance(0.5) ? null : Pick(new[] { "0.1f", "0.5f", "1f" }),
                BatchSize = 1, Steps = 2,
            };
        }

        Loss loss = Pick(new[] { Loss.MeanSquaredError, Loss.BinaryCrossEntropy, Loss.CrossEntropy });
        int hidden = r.Next(0, 5);
        var layers = new List<LayerDesc>();
        for (int i = 0; i < hidden; i++)
        {
            double k = r.NextDouble();
            if (k < 0.55) layers.Add(new LayerDesc(LayerKind.Dense, Size(), Activation: Pick(Hidden)));
            else if (k < 0.72) layers.Add(new LayerDesc(LayerKind.Activation, Activation: Pick(Hidden)));
            else if (k < 0.87) layers.Add(new LayerDesc(LayerKind.Maxout, Pick(Sizes), Pick(Pieces)));
            else layers.Add(new LayerDesc(LayerKind.Dropout, Rate: Chance(0.8) ? "0f" : Pick(new[] { "0.25f", "0.5f", "0.1f" })));
        }

        // The output layer, matched to the loss.
        int outputs = Size();
        bool standalone = Chance(0.2);
        Activation last = loss switch
        {
            Loss.CrossEntropy => Chance(0.8) ? Activation.Softmax : Activation.Sigmoid,
            Loss.BinaryCrossEntropy => Chance(0.8) ? Activation.Sigmoid : Activation.Softmax,
            _ => Chance(0.15) ? Activation.Softmax : Pick(Hidden),
        };
        if (loss == Loss.BinaryCrossEntropy && last == Activation.Softmax && outputs < 2) outputs = 2 + r.Next(4);
        if (standalone)
        {
            layers.Add(new LayerDesc(LayerKind.Dense, outputs, Activation: Activation.Linear));
            layers.Add(new LayerDesc(LayerKind.Activation, Activation: last));
        }
        else layers.Add(new LayerDesc(LayerKind.Dense, outputs, Activation: last));
        if (loss == Loss.MeanSquaredError && last != Activation.Softmax && Chance(0.1)) layers.Add(new LayerDesc(LayerKind.Dropout, Rate: "0f"));

        // Alpha on some LeakyReLU/ELU layers; names on some layers.
        for (int i = 0; i < layers.Count; i++)
        {
            LayerDesc l = layers[i];
            if (l.AppliedActivation is Activation.LeakyReLU or Activation.ELU && Chance(0.4))
                layers[i] = l with { Alpha = Pick(new[] { "0.2f", "0.05f", "0.5f", "1.5f", "0.3f" }) };
            if (Chance(0.08)) layers[i] = layers[i] with { Name = $"block{i}_{Pick(new[] { "fc", "act", "h" })}" };
        }

        Optimizer optimizer = Pick(new[] { Optimizer.Sgd, Optimizer.Momentum, Optimizer.RmsProp, Optimizer.Adam });
        return new CaseSpec
        {
            ClassName = className,
            InputSize = inputSize,
            Layers = layers,
            Loss = loss,
            Optimizer = optimizer,
            Double = dbl,
            Seed = netSeed,
            LearningRate = Chance(0.3) ? null : Pick(new[] { "0.1f", "0.05f", "0.01f", "0.003f", "0.001f" }),
            Momentum = optimizer == Optimizer.Momentum && Chance(0.4) ? Pick(new[] { "0.5f", "0f", "0.95f" }) : null,
            Beta1 = optimizer == Optimizer.Adam && Chance(0.3) ? Pick(new[] { "0.8f", "0f", "0.5f" }) : null,
            Beta2 = optimizer == Optimizer.Adam && Chance(0.3) ? Pick(new[] { "0.99f", "0.9f" }) : null,
            Epsilon = optimizer is Optimizer.Adam or Optimizer.RmsProp && Chance(0.3) ? Pick(new[] { "1e-6f", "1e-3f", "0.1f" }) : null,
            RmsDecay = optimizer == Optimizer.RmsProp && Chance(0.4) ? Pick(new[] { "0.9f", "0.5f", "0f" }) : null,
            WeightDecay = Chance(0.3) ? Pick(new[] { "1e-4f", "0.01f", "0.1f" }) : null,
            BatchSize = Chance(0.1) ? Pick(LargeBatches) : Pick(Batches),
            Steps = r.Next(2, 4),
            DataSeed = dataSeed,
        };
    }
}

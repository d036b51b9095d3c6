using System;
using System.Linq;
using NetGen.Numerics;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>The generated networks learn real problems: XOR, scikit-learn's digits, a perceptron on Iris.</summary>
public class LearningTests
{
    [Fact]
    public void SmallTanhNetworkLearnsXor()
    {
        float[] x = { 0, 0, 0, 1, 1, 0, 1, 1 };
        float[] t = { 0, 1, 1, 0 };
        var net = new XorNetwork();
        for (int step = 0; step < 1500; step++) net.TrainStep(x, t, 4);
        float[] y = new float[4];
        net.Predict(x, y, 4);
        for (int i = 0; i < 4; i++) Assert.True((y[i] > 0.5f) == (t[i] == 1), $"XOR sample {i}: {y[i]}");
        Assert.True(net.ComputeLoss(x, t, 4) < 0.05f);
    }

    [Fact]
    public void MlpReaches95PercentOnDigits()
    {
        double[][] rows = RepoData.ReadCsv("data/sklearn/digits.csv.gz", skipHeader: false);
        Assert.Equal(1797, rows.Length);
        // A seeded 80/20 split.
        var rng = SplitMix64.FromSeed(11);
        int[] order = Enumerable.Range(0, rows.Length).ToArray();
        for (int i = order.Length - 1; i > 0; i--) { int j = (int)(rng.NextUInt64() % (ulong)(i + 1)); (order[i], order[j]) = (order[j], order[i]); }
        int trainCount = rows.Length * 4 / 5;
        (float[] X, float[] T, int[] Labels) Take(int[] idx)
        {
            var X = new float[idx.Length * 64];
            var T = new float[idx.Length * 10];
            var labels = new int[idx.Length];
            for (int k = 0; k < idx.Length; k++)
            {
                double[] r = rows[idx[k]];
                for (int p = 0; p < 64; p++) X[k * 64 + p] = (float)(r[p] / 16.0);
                labels[k] = (int)r[64];
                T[k * 10 + labels[k]] = 1;
            }
            return (X, T, labels);
        }
        var train = Take(order[..trainCount]);
        var test = Take(order[trainCount..]);

        var net = new DigitsNetwork();
        const int batch = 32;
        for (int epoch = 0; epoch < 40; epoch++)
            for (int start = 0; start + batch <= trainCount; start += batch)
                net.TrainStep(train.X.AsSpan(start * 64, batch * 64), train.T.AsSpan(start * 10, batch * 10), batch);

        float[] y = new float[test.Labels.Length * 10];
        net.Predict(test.X, y, test.Labels.Length);
        int correct = 0;
        for (int k = 0; k < test.Labels.Length; k++)
        {
            int best = 0;
            for (int c = 1; c < 10; c++) if (y[k * 10 + c] > y[k * 10 + best]) best = c;
            if (best == test.Labels[k]) correct++;
        }
        double accuracy = (double)correct / test.Labels.Length;
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:P2}");
    }

    [Fact]
    public void PerceptronSeparatesSetosaFromVersicolor()
    {
        double[][] rows = RepoData.ReadCsv("data/sklearn/iris.csv", skipHeader: true).Where(r => r[4] < 2).ToArray();
        Assert.Equal(100, rows.Length);
        float[] x = rows.SelectMany(r => r.Take(4).Select(v => (float)v)).ToArray();
        float[] t = rows.Select(r => (float)r[4]).ToArray();
        var net = new IrisPerceptron();
        int errors = int.MaxValue;
        float[] y = new float[1];
        for (int epoch = 0; epoch < 100 && errors > 0; epoch++)
        {
            // Rosenblatt's online rule: one sample at a time.
            for (int i = 0; i < rows.Length; i++) net.TrainStep(x.AsSpan(i * 4, 4), t.AsSpan(i, 1), 1);
            errors = 0;
            for (int i = 0; i < rows.Length; i++)
            {
                net.Predict(x.AsSpan(i * 4, 4), y);
                if (y[0] != t[i]) errors++;
            }
        }
        Assert.Equal(0, errors);
    }
}

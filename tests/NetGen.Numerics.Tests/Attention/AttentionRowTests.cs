using System;
using System.Numerics;
using Xunit;

namespace NetGen.Numerics.Tests.Attention;

/// <summary>
/// The attention rows' softmax (rows of at least one 512-bit vector take whole vectors and one overlapping last
/// vector, shorter rows one vector padded with −∞), and the element-wise row steps, on every row length
/// from 1 to 70 and a row longer than any vector count: against the softmax in double, exact zeros past the live
/// length, and bit for bit where the operation is one expression per element.
/// </summary>
public class AttentionRowTests
{
    [Fact] public void FloatSoftmaxMatchesDoubleOnEveryLength() => SoftmaxMatchesDouble<float>(3e-7);
    [Fact] public void DoubleSoftmaxMatchesDoubleOnEveryLength() => SoftmaxMatchesDouble<double>(1e-15);

    private static void SoftmaxMatchesDouble<T>(double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Row = 80;
        foreach (int length in EveryLength())
            for (int variant = 0; variant < 3; variant++)
            {
                // Variant 0: scores in ±4; 1: the maximum in the last lane (the overlapping vector's fresh lane); 2: a large spread.
                T[] row = TestData.Random<T>(Row, 100 + length, variant == 2 ? 40.0 : 4.0);
                if (variant == 1) row[length - 1] = T.CreateTruncating(9.0);
                double[] scores = TestData.ToDouble<T>(row.AsSpan(0, length));
                double max = double.NegativeInfinity;
                foreach (double s in scores) max = Math.Max(max, s);
                double sum = 0;
                foreach (double s in scores) sum += Math.Exp(s - max);
                AttentionRows.Softmax<T>(row, length);
                double total = 0;
                for (int i = 0; i < length; i++)
                {
                    double expected = Math.Exp(scores[i] - max) / sum;
                    TestData.Near(row[i], expected, 1.0, 8 * tolerance, $"{typeof(T).Name} p[{i}] of {length} (variant {variant})");
                    total += double.CreateTruncating(row[i]);
                }
                Assert.True(Math.Abs(total - 1) < length * 4 * tolerance, $"{typeof(T).Name} row of {length} sums to {total}");
                for (int i = length; i < Row; i++) Assert.True(row[i] == T.Zero, $"{typeof(T).Name} masked p[{i}] of {length} is {row[i]}, not exactly 0");
            }
    }

    [Fact]
    public void AllEqualScoresGiveExactlyEqualProbabilities()
    {
        foreach (int length in EveryLength())
        {
            float[] row = new float[80];
            Array.Fill(row, 0.75f);
            AttentionRows.Softmax<float>(row, length);
            for (int i = 0; i < length; i++) Assert.Equal(row[0], row[i]);
            Assert.True(Math.Abs(row[0] - 1.0 / length) < 2e-7, $"1/{length}: {row[0]}");
        }
    }

    [Fact]
    public void SoftmaxGradientIsItsScalarExpressionBitForBit()
    {
        foreach (int length in EveryLength())
        {
            float[] p = TestData.Random<float>(length, 8), ds = TestData.Random<float>(length, 9);
            float[] expected = new float[length];
            const float Dot = 0.3125f, Factor = 0.17677669f;
            for (int i = 0; i < length; i++) expected[i] = p[i] * (ds[i] - Dot) * Factor;
            AttentionRows.SoftmaxGradient<float>(p, ds, Dot, Factor);
            TestData.BitEqual<float>(ds, expected, $"dS of {length}");
        }
    }

    private static int[] EveryLength()
    {
        var lengths = new int[71];
        for (int i = 0; i < 70; i++) lengths[i] = i + 1;
        lengths[70] = 77;
        return lengths;
    }
}

using System;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

/// <summary>Cross entropy over class ids (per sample or per time step) against the one-hot kernels and finite differences.</summary>
public class ClassIndexLossTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(17, 65)]
    public void Class_ids_give_the_one_hot_loss_and_the_finite_difference_gradient(int rows, int classes)
    {
        double[] z = TestData.Random<double>(rows * classes, rows, 3.0);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = (r * 7 + 3) % classes;
        double[] oneHot = new double[z.Length];
        for (int r = 0; r < rows; r++) oneHot[r * classes + labels[r]] = 1;

        double loss = ClassIndexLosses.SoftmaxCrossEntropy<double>(z, labels, rows, classes);
        Assert.Equal(Losses.SoftmaxCrossEntropy<double>(z, oneHot, rows, classes), loss, 12);

        // Gradient from p = softmax(z) against central differences of the loss in z.
        double[] p = new double[z.Length], dz = new double[z.Length];
        Activations.SoftmaxForward<double>(z, p, rows, classes);
        ClassIndexLosses.SoftmaxCrossEntropyGradient<double>(p, labels, dz, rows, classes);
        for (int i = 0; i < z.Length; i += Math.Max(1, z.Length / 50))
        {
            double keep = z[i];
            z[i] = keep + 1e-6; double up = ClassIndexLosses.SoftmaxCrossEntropy<double>(z, labels, rows, classes);
            z[i] = keep - 1e-6; double down = ClassIndexLosses.SoftmaxCrossEntropy<double>(z, labels, rows, classes);
            z[i] = keep;
            double numeric = (up - down) / 2e-6;
            Assert.True(Math.Abs(dz[i] - numeric) <= 1e-8 + 1e-6 * Math.Abs(numeric), $"dz[{i}]: {dz[i]} vs {numeric}");
        }

        // On probabilities: the same loss as the one-hot kernel, and its gradient.
        Assert.Equal(Losses.CrossEntropy<double>(p, oneHot, rows), ClassIndexLosses.CrossEntropy<double>(p, labels, rows, classes), 12);
        double[] dy = new double[p.Length], dyOneHot = new double[p.Length];
        ClassIndexLosses.CrossEntropyGradient<double>(p, labels, dy, rows, classes);
        Losses.CrossEntropyGradient<double>(p, oneHot, dyOneHot, rows);
        for (int i = 0; i < dy.Length; i++) Assert.Equal(dyOneHot[i], dy[i], 12);
    }

    [Fact]
    public void A_label_out_of_range_names_its_position()
    {
        double[] z = new double[3 * 4];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClassIndexLosses.SoftmaxCrossEntropy<double>(z, [0, 4, 1], 3, 4));
        Assert.Contains("position 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassIndexLosses.SoftmaxCrossEntropyGradient<double>(z, [0, 1, -1], z, 3, 4));
        Assert.Throws<ArgumentException>(() => ClassIndexLosses.SoftmaxCrossEntropy<double>(z, [0, 1], 3, 4));
    }
}

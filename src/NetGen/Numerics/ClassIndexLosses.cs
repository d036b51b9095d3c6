using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// Cross entropy over class-index targets (PyTorch's <c>CrossEntropyLoss</c> with class indices):
/// one label per row, a row being a sample or (for sequence outputs) one time step of a sample, the
/// loss averaged over all rows (batch × time). Labels outside [0, classes) throw
/// <see cref="ArgumentOutOfRangeException"/> naming the position and the label. Allocates nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ClassIndexLosses
{
    /// <summary>From logits z [rows, classes]: L = (1/rows)·Σ_r (log Σⱼ e^{z_rj} − z_r,label_r).</summary>
    public static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> z, ReadOnlySpan<int> labels, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(z.Length, labels, rows, classes, nameof(z));
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = z.Slice(r * classes, classes);
            // log-sum-exp shifted by the row maximum.
            T max = RowMath.Max(row);
            total += max + T.Log(RowMath.SumExp(row, max, default)) - row[labels[r]];
        }
        return total / T.CreateTruncating(rows);
    }

    /// <summary>dL/dz = (p − onehot(label)) / rows, given p = softmax(z) [rows, classes]; overwrites dz.</summary>
    public static void SoftmaxCrossEntropyGradient<T>(ReadOnlySpan<T> p, ReadOnlySpan<int> labels, Span<T> dz, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(p.Length, labels, rows, classes, nameof(p));
        RecurrentChecks.Length(dz.Length, (long)rows * classes, nameof(dz));
        T inv = T.One / T.CreateTruncating(rows);
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            for (int i = 0; i < classes; i++) dz[o + i] = p[o + i] * inv;
            dz[o + labels[r]] -= inv;
        }
    }

    /// <summary>dL/dz = (softmax(z) − onehot(label)) / rows from the logits z themselves (a Linear output read as logits); overwrites dz.</summary>
    public static void SoftmaxCrossEntropyGradientFromLogits<T>(ReadOnlySpan<T> z, ReadOnlySpan<int> labels, Span<T> dz, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(z.Length, labels, rows, classes, nameof(z));
        RecurrentChecks.Length(dz.Length, (long)rows * classes, nameof(dz));
        // p = softmax(z) row by row, in dz
        Activations.SoftmaxForward(z, dz, rows, classes);
        // dz = (p − onehot(label)) / rows, in place (each element reads only its own p)
        SoftmaxCrossEntropyGradient<T>(dz, labels, dz, rows, classes);
    }

    /// <summary>From probabilities y [rows, classes]: L = −(1/rows)·Σ_r log y_r,label_r (log clamped at −100, as <c>nn.NLLLoss</c> on clamped logs).</summary>
    public static T CrossEntropy<T>(ReadOnlySpan<T> y, ReadOnlySpan<int> labels, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(y.Length, labels, rows, classes, nameof(y));
        T floor = T.CreateTruncating(-100.0), total = T.Zero;
        for (int r = 0; r < rows; r++) total -= LossTerms.ClampedLog(y[r * classes + labels[r]], floor);
        return total / T.CreateTruncating(rows);
    }

    /// <summary>dL/dy = −1 / (y·rows) at each row's label (y kept above 1e-12), 0 elsewhere; overwrites dy.</summary>
    public static void CrossEntropyGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<int> labels, Span<T> dy, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(y.Length, labels, rows, classes, nameof(y));
        RecurrentChecks.Length(dy.Length, (long)rows * classes, nameof(dy));
        dy.Slice(0, rows * classes).Clear();
        T n = T.CreateTruncating(rows), eps = T.CreateTruncating(1e-12);
        for (int r = 0; r < rows; r++)
        {
            int i = r * classes + labels[r];
            dy[i] = -T.One / (T.Max(y[i], eps) * n);
        }
    }

    /// <summary>Sizes, and every label in [0, classes) (the first bad one named with its position).</summary>
    public static void CheckLabels(ReadOnlySpan<int> labels, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"Label {labels[r]} at position {r} is outside the classes [0, {classes}).");
    }

    private static void Check(int values, ReadOnlySpan<int> labels, int rows, int classes, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        RecurrentChecks.Length(values, (long)rows * classes, name);
        RecurrentChecks.Length(labels.Length, rows, nameof(labels));
        CheckLabels(labels, rows, classes);
    }
}

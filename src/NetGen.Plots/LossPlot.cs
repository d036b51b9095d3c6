using System;
using System.IO;
using ScottPlot;

namespace NetGen.Plots;

/// <summary>
/// Loss curves over training drawn with ScottPlot and written as PNG: the discriminator's and the
/// generator's loss of a GAN (or any two series) against the epoch or step, with a legend.
/// </summary>
public static class LossPlot
{
    /// <summary>
    /// Writes the two curves, point i at x = <paramref name="firstX"/> + i·<paramref name="xStep"/>,
    /// as a <paramref name="width"/>×<paramref name="height"/> PNG at <paramref name="path"/> (its
    /// folder created if missing).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="first">The first series (the discriminator's loss).</param>
    /// <param name="second">The second series (the generator's loss); may differ in length from the first.</param>
    /// <param name="firstName">The first series' name in the legend.</param>
    /// <param name="secondName">The second series' name in the legend.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="xLabel">The horizontal axis' label.</param>
    /// <param name="firstX">x of the first point.</param>
    /// <param name="xStep">x between points (1 for one point per epoch).</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    public static void WritePng(string path, ReadOnlySpan<double> first, ReadOnlySpan<double> second,
        string firstName = "discriminator", string secondName = "generator", string title = "GAN losses", string xLabel = "epoch",
        double firstX = 1, double xStep = 1, int width = 800, int height = 450)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (first.IsEmpty && second.IsEmpty) throw new ArgumentException("Both series are empty: nothing to plot.", nameof(first));
        if (width < 100 || height < 100) throw new ArgumentOutOfRangeException(nameof(width), "The picture must be at least 100×100 pixels.");
        if (!(xStep > 0)) throw new ArgumentOutOfRangeException(nameof(xStep), xStep, "The x step must be positive.");
        var plot = new Plot();
        AddSeries(plot, first, firstName, firstX, xStep);
        AddSeries(plot, second, secondName, firstX, xStep);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Right);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }

    /// <summary>One line (with markers when the points are few) through (firstX + i·xStep, values[i]).</summary>
    private static void AddSeries(Plot plot, ReadOnlySpan<double> values, string name, double firstX, double xStep)
    {
        if (values.IsEmpty) return;
        var xs = new double[values.Length];
        for (int i = 0; i < xs.Length; i++) xs[i] = firstX + i * xStep;
        var line = plot.Add.Scatter(xs, values.ToArray());
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = values.Length <= 50 ? 5 : 0;
    }
}

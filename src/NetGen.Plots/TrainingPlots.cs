using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Metrics;
using NetGen.Training;
using ScottPlot;

namespace NetGen.Plots;

/// <summary>
/// PNG plots of training, as Keras users draw them with matplotlib: loss and metrics per epoch from a
/// <see cref="History"/>, and a confusion-matrix heatmap. Drawn with ScottPlot 5 (SkiaSharp), which needs no
/// display or system fonts.
/// </summary>
public static class TrainingPlots
{
    /// <summary>
    /// Draws every value of <paramref name="history"/> against the epoch: the losses ("loss", "val_loss") in a
    /// left panel and the other metrics ("accuracy", "val_accuracy", ...) in a right one when there are any;
    /// validation values dashed in the colour of their training value. Epochs cut short by a non-finite loss are
    /// left out.
    /// </summary>
    /// <param name="history">What <c>Trainer.Fit</c> returned.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">The history has no completed epoch.</exception>
    public static void SaveHistoryPng(this History history, string path, int width = 1000, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(path);
        List<EpochSummary> epochs = history.Epochs.Where(e => e.Completed).ToList();
        if (epochs.Count == 0) throw new ArgumentException("The history has no completed epoch to plot.", nameof(history));

        // Each training value with its validation twin: loss/val_loss, accuracy/val_accuracy, ...
        string[] names = epochs[0].Values.Keys.Where(k => !k.StartsWith("val_", StringComparison.Ordinal)).ToArray();
        string[] metrics = names.Where(n => n != "loss").ToArray();
        var multiplot = new Multiplot();
        if (metrics.Length > 0) multiplot.AddPlot();
        Plot lossPlot = multiplot.GetPlot(0);
        DrawPanel(lossPlot, epochs, ["loss"], "Loss", Alignment.UpperRight);
        if (metrics.Length > 0)
        {
            // Accuracy rises to the top right, so its legend goes below; error metrics fall, so theirs goes above.
            Alignment legend = metrics[0] == "accuracy" ? Alignment.LowerRight : Alignment.UpperRight;
            DrawPanel(multiplot.GetPlot(1), epochs, metrics, metrics.Length == 1 ? Title(metrics[0]) : "Metrics", legend);
        }
        if (metrics.Length > 0) multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, width, height);
    }

    /// <summary>One panel: each named value and its "val_" twin against the epoch.</summary>
    private static void DrawPanel(Plot plot, List<EpochSummary> epochs, string[] names, string title, Alignment legend)
    {
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            Color color = Palette[i % Palette.Length];
            AddLine(plot, x, epochs, names[i], color, dashed: false);
            AddLine(plot, x, epochs, "val_" + names[i], color, dashed: true);
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.ShowLegend(legend);
        // Whole epochs on the x axis.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }

    private static void AddLine(Plot plot, double[] x, List<EpochSummary> epochs, string name, Color color, bool dashed)
    {
        if (!epochs[0].Values.ContainsKey(name)) return;
        double[] y = epochs.Select(e => e.Values.TryGetValue(name, out double v) ? v : double.NaN).ToArray();
        var line = plot.Add.Scatter(x, y, color);
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = x.Length <= 30 ? 6 : 0;
        if (dashed) line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>
    /// Draws the confusion matrix as a heatmap (actual classes down, predicted across, as scikit-learn's
    /// <c>ConfusionMatrixDisplay</c>), each cell labelled with its count, and colour by the fraction of its row
    /// (the recall of that class), so rare classes read as clearly as common ones.
    /// </summary>
    /// <param name="matrix">The confusion matrix (a <c>ClassificationReport.Confusion</c>).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void SaveConfusionMatrixPng(this ConfusionMatrix matrix, string path, int width = 760, int height = 680)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(path);
        int n = matrix.ClassCount;
        string[] labels = matrix.ClassNames ?? Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

        // Row-normalised values: cell (a, p) = count(a, p) / Σ_p count(a, p).
        var fractions = new double[n, n];
        for (int a = 0; a < n; a++)
        {
            long support = 0;
            for (int p = 0; p < n; p++) support += matrix[a, p];
            for (int p = 0; p < n; p++) fractions[a, p] = support == 0 ? 0 : (double)matrix[a, p] / support;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(fractions);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (a, p) covers x ∈ [p, p + 1], y ∈ [n − a − 1, n − a]: row 0 at the top. ScottPlot places the
        // first and last cells' centres at the rectangle's edges, hence the half-cell inset.
        heatmap.Position = new CoordinateRect(0.5, n - 0.5, 0.5, n - 0.5);
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                var text = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p + 0.5, n - a - 0.5);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = n <= 10 ? 13 : 9;
                text.LabelFontColor = fractions[a, p] > 0.5 ? Colors.White : Colors.Black;
            }
        plot.Add.ColorBar(heatmap).Label = "fraction of the actual class";

        Tick[] across = Enumerable.Range(0, n).Select(p => new Tick(p + 0.5, labels[p])).ToArray();
        Tick[] down = Enumerable.Range(0, n).Select(a => new Tick(n - a - 0.5, labels[a])).ToArray();
        plot.Axes.Bottom.SetTicks(across.Select(t => t.Position).ToArray(), across.Select(t => t.Label).ToArray());
        plot.Axes.Left.SetTicks(down.Select(t => t.Position).ToArray(), down.Select(t => t.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.SetLimits(0, n, 0, n);
        // Room below for rotated class names.
        int longest = labels.Max(l => l.Length);
        plot.Axes.Bottom.MinimumSize = 30 + 7 * longest;
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Confusion matrix ({matrix.Total:N0} samples, accuracy {matrix.Accuracy:P2})"));
        plot.SavePng(path, width, height);
    }

    private static string Title(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>Matplotlib's first colours (tab10), as Keras users' plots have them.</summary>
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"),
    ];
}

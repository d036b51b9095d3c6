using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Plots;
using NetGen.Runtime.Tests.Support;
using NetGen.Runtime.Tests.Training;
using NetGen.Training;
using SkiaSharp;
using Xunit;

namespace NetGen.Runtime.Tests.Plots;

/// <summary>The History and confusion-matrix PNGs are real images of the asked size with the plotted colours in them.</summary>
public class TrainingPlotsTests
{
    private readonly string _dir = TestFiles.NewTempDirectory();

    /// <summary>Decodes the PNG and counts the pixels close to <paramref name="color"/>.</summary>
    private static (int Width, int Height, int Matching) Inspect(string path, SKColor color) =>
        Inspect(path, c => Math.Abs(c.Red - color.Red) + Math.Abs(c.Green - color.Green) + Math.Abs(c.Blue - color.Blue) < 30);

    /// <summary>Decodes the PNG and counts the pixels that <paramref name="matches"/>.</summary>
    private static (int Width, int Height, int Matching) Inspect(string path, Func<SKColor, bool> matches)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException(path + " is not an image");
        int matching = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (matches(bitmap.GetPixel(x, y))) matching++;
            }
        return (bitmap.Width, bitmap.Height, matching);
    }

    [Fact]
    public void HistoryPlotDrawsLossAndAccuracyCurves()
    {
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        History h = Trainer.Fit(net, TrainerTests.StandardizedIris(), new TrainingOptions
        {
            Epochs = 8, BatchSize = 16, ValidationSplit = 0.2, Metrics = [TrainingMetric.Accuracy],
        });
        string path = Path.Combine(_dir, "history.png");
        h.SaveHistoryPng(path, 900, 400);
        (int w, int hgt, int blue) = Inspect(path, new SKColor(0x1f, 0x77, 0xb4)); // loss and accuracy: the first colour
        Assert.Equal((900, 400), (w, hgt));
        Assert.True(blue > 500, $"{blue} pixels of the curve colour");
    }

    [Fact]
    public void AnEmptyHistoryIsRefused() =>
        Assert.Throws<ArgumentException>(() => new History().SaveHistoryPng(Path.Combine(_dir, "none.png")));

    [Fact]
    public void ConfusionHeatmapColoursTheDiagonal()
    {
        var matrix = ConfusionMatrix.From([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2, 0], 3, ["cat", "dog", "bird"]);
        string path = Path.Combine(_dir, "confusion.png");
        matrix.SaveConfusionMatrixPng(path, 600, 500);
        // Dark blue is a recall near 1: only the dog cell (2 of 2) and the colour bar's top; zero cells are white.
        (int w, int h, int dark) = Inspect(path, c => c.Red < 40 && c.Green < 80 && c.Blue > 80);
        (_, _, int white) = Inspect(path, c => c.Red > 250 && c.Green > 250 && c.Blue > 250);
        Assert.Equal((600, 500), (w, h));
        Assert.InRange(dark, 10_000, 40_000); // one cell of ~150 × 130 pixels plus the bar
        Assert.True(white > 4 * 10_000, $"{white} white pixels"); // four zero cells and the margins
    }
}

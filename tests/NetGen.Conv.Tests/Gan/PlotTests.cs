using System;
using System.IO;
using NetGen.Plots;
using SkiaSharp;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>The PNGs are written by the libraries and read back: sizes, pixel values, a non-blank plot.</summary>
public class PlotTests
{
    private static string TempPng(string name) => Path.Combine(Path.GetTempPath(), "netgen-gan-tests", $"{name}-{Guid.NewGuid():N}.png");

    [Fact]
    public void Sample_grid_decodes_to_the_pixels_written()
    {
        // Nine 28×28 images, image n filled with a level from −1 to 1, its top-left pixel white and bottom-right black.
        const int count = 9, side = 28, scale = 2, gap = 2;
        var images = new float[count * side * side];
        for (int n = 0; n < count; n++)
        {
            Span<float> image = images.AsSpan(n * side * side, side * side);
            image.Fill(-1 + n / 4f);
            image[0] = 1;
            image[side * side - 1] = -1;
        }
        string path = TempPng("grid");
        SampleGrid.WritePng<float>(path, images, count, side, side, scale: scale, gap: gap);
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not a readable image.");
        int cell = side * scale + gap;
        Assert.Equal(3 * cell + gap, bitmap.Width);
        Assert.Equal(3 * cell + gap, bitmap.Height);
        for (int n = 0; n < count; n++)
        {
            int top = gap + n / 3 * cell, left = gap + n % 3 * cell;
            byte level = SampleGrid.ToGray(-1 + n / 4.0, PixelRange.MinusOneToOne);
            Assert.Equal(255, bitmap.GetPixel(left + 1, top + 1).Red);
            Assert.Equal(level, bitmap.GetPixel(left + 10, top + 20).Red);
            Assert.Equal(0, bitmap.GetPixel(left + side * scale - 1, top + side * scale - 1).Red);
            Assert.Equal(SampleGrid.GapGray, bitmap.GetPixel(left - 1, top).Red);
        }
        Assert.Equal(0, SampleGrid.ToGray(-1, PixelRange.MinusOneToOne));
        Assert.Equal(128, SampleGrid.ToGray(0.5, PixelRange.ZeroToOne));
        Assert.Equal(255, SampleGrid.ToGray(3, PixelRange.ZeroToOne));
        File.Delete(path);
    }

    [Fact]
    public void Loss_plot_is_a_png_with_two_curves()
    {
        int epochs = 30;
        var discriminator = new double[epochs];
        var generator = new double[epochs];
        for (int i = 0; i < epochs; i++)
        {
            discriminator[i] = 1.4 - 0.02 * i + 0.05 * Math.Sin(i);
            generator[i] = 0.7 + 0.03 * i + 0.05 * Math.Cos(i);
        }
        string path = TempPng("losses");
        LossPlot.WritePng(path, discriminator, generator, width: 640, height: 360);
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not a readable image.");
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(360, bitmap.Height);
        // The two series' default colours (blue, orange) appear: pixels far from gray.
        int colored = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (Math.Max(Math.Abs(c.Red - c.Green), Math.Max(Math.Abs(c.Green - c.Blue), Math.Abs(c.Red - c.Blue))) > 80) colored++;
            }
        Assert.True(colored > 500, $"only {colored} coloured pixels");
        File.Delete(path);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => SampleGrid.WritePng<float>(TempPng("short"), new float[100], 1, 28, 28));
        Assert.Equal("images", e.ParamName);
        Assert.Throws<ArgumentException>(() => LossPlot.WritePng(TempPng("empty"), ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
    }
}

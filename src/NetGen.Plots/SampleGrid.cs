using System;
using System.IO;
using System.Numerics;
using SkiaSharp;

namespace NetGen.Plots;

/// <summary>The range the pixel values of generated images lie in.</summary>
public enum PixelRange
{
    /// <summary>−1 is black, 1 is white (a tanh output).</summary>
    MinusOneToOne,
    /// <summary>0 is black, 1 is white (a sigmoid output, or images scaled to [0, 1]).</summary>
    ZeroToOne,
}

/// <summary>
/// A grid of grayscale images (generated samples) written as a PNG through SkiaSharp: the images
/// row-major in the grid, <c>columns</c> per row, separated by a gap of mid-gray, each pixel drawn as
/// a <c>scale</c>×<c>scale</c> square.
/// </summary>
public static class SampleGrid
{
    /// <summary>The gray (0 to 255) of the lines between the images.</summary>
    public const byte GapGray = 128;

    /// <summary>
    /// Writes <paramref name="count"/> images of <paramref name="height"/>×<paramref name="width"/>
    /// values each (one channel, row-major, the images one after another) as a grid PNG at
    /// <paramref name="path"/> (its folder created if missing). Values outside the range are clipped.
    /// The picture is columns·(width·scale + gap) + gap pixels wide and rows·(height·scale + gap) + gap
    /// high, rows = ⌈count / columns⌉.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="images">[count, height, width] pixel values.</param>
    /// <param name="count">Images to draw.</param>
    /// <param name="height">Rows of pixels per image (28 for Fashion-MNIST).</param>
    /// <param name="width">Columns of pixels per image.</param>
    /// <param name="columns">Images per row of the grid; 0 for a square grid (⌈√count⌉).</param>
    /// <param name="range">Which values are black and white.</param>
    /// <param name="scale">Screen pixels per image pixel, 1 or more.</param>
    /// <param name="gap">Screen pixels between images and around the grid.</param>
    public static void WritePng<T>(string path, ReadOnlySpan<T> images, int count, int height, int width, int columns = 0,
        PixelRange range = PixelRange.MinusOneToOne, int scale = 2, int gap = 2) where T : unmanaged, INumberBase<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (count <= 0 || height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(count), "The count and the image sizes must be positive.");
        if (images.Length < (long)count * height * width)
            throw new ArgumentException($"Expected {count} images of {height}×{width} = {(long)count * height * width} values, but got {images.Length}.", nameof(images));
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be at least 1.");
        if (gap < 0) throw new ArgumentOutOfRangeException(nameof(gap), gap, "The gap must not be negative.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "The columns must not be negative.");
        if (columns == 0) columns = (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns;
        int cellWidth = width * scale + gap, cellHeight = height * scale + gap;
        int pictureWidth = columns * cellWidth + gap, pictureHeight = rows * cellHeight + gap;

        using var bitmap = new SKBitmap(new SKImageInfo(pictureWidth, pictureHeight, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        pixels.Fill(GapGray);
        for (int n = 0; n < count; n++)
        {
            // Image n's top-left corner in the picture.
            int top = gap + n / columns * cellHeight, left = gap + n % columns * cellWidth;
            ReadOnlySpan<T> image = images.Slice(n * height * width, height * width);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    byte gray = ToGray(double.CreateTruncating(image[y * width + x]), range);
                    // Each image pixel a scale × scale square.
                    for (int dy = 0; dy < scale; dy++)
                        pixels.Slice((top + y * scale + dy) * stride + left + x * scale, scale).Fill(gray);
                }
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using SKImage picture = SKImage.FromBitmap(bitmap);
        using SKData png = picture.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the grid as PNG.");
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>The gray level 0 to 255 of a value: (v + 1)/2 or v, clipped to [0, 1], times 255, rounded. NaN is black.</summary>
    public static byte ToGray(double value, PixelRange range)
    {
        double unit = range == PixelRange.MinusOneToOne ? (value + 1) / 2 : value;
        if (!(unit > 0)) return 0;
        if (unit >= 1) return 255;
        return (byte)Math.Round(unit * 255);
    }
}

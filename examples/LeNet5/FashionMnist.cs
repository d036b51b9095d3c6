using System;
using System.IO;
using System.IO.Compression;

namespace LeNet5Example;

/// <summary>
/// Reads Fashion-MNIST's gzipped IDX files: images as floats in [0, 1] (28×28, row-major, one
/// channel) and labels as bytes. A stand-in until the runtime's own IDX loader lands.
/// </summary>
internal static class FashionMnist
{
    public const int Side = 28, Pixels = Side * Side, Classes = 10;

    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <summary>
    /// The folder with the four files: the argument if given, else <c>data/fashion-mnist</c> in the
    /// repository (found by walking up from here), else <c>shared/data/fashion-mnist</c> beside it.
    /// </summary>
    public static string FindFolder(string? given)
    {
        if (given is not null) return given;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
                foreach (string candidate in new[] { Path.Combine(d.FullName, "data", "fashion-mnist"), Path.Combine(d.FullName, "shared", "data", "fashion-mnist") })
                    if (File.Exists(Path.Combine(candidate, "train-images-idx3-ubyte.gz"))) return candidate;
        throw new DirectoryNotFoundException("Fashion-MNIST not found: pass the folder holding train-images-idx3-ubyte.gz as the first argument.");
    }

    public static (float[] Images, byte[] Labels) Load(string folder, string prefix)
    {
        byte[] images = ReadIdx(Path.Combine(folder, prefix + "-images-idx3-ubyte.gz"), 0x803, out int count);
        byte[] labels = ReadIdx(Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz"), 0x801, out int labelCount);
        if (count != labelCount || images.Length != count * Pixels) throw new InvalidDataException($"{prefix}: {count} images but {labelCount} labels.");
        var x = new float[images.Length];
        for (int i = 0; i < x.Length; i++) x[i] = images[i] / 255f;
        return (x, labels);
    }

    /// <summary>The payload of an IDX file after checking its magic number; <paramref name="count"/> is the first dimension.</summary>
    private static byte[] ReadIdx(string path, int magic, out int count)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        byte[] all = memory.ToArray();
        int BigEndian(int at) => (all[at] << 24) | (all[at + 1] << 16) | (all[at + 2] << 8) | all[at + 3];
        if (all.Length < 8 || BigEndian(0) != magic) throw new InvalidDataException($"{path} is not an IDX file of the expected kind.");
        int dims = magic & 0xFF, header = 4 + 4 * dims;
        long size = 1;
        for (int d = 0; d < dims; d++) size *= BigEndian(4 + 4 * d);
        count = BigEndian(4);
        if (all.Length - header != size) throw new InvalidDataException($"{path} is truncated.");
        return all.AsSpan(header).ToArray();
    }
}

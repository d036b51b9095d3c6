using System;
using System.Buffers.Binary;
using System.IO;

namespace NetGen.Data;

/// <summary>An array read from an IDX file: its dimensions and its unsigned bytes, row-major.</summary>
/// <param name="Dimensions">The sizes from the header, outermost first (images: count, rows, columns).</param>
/// <param name="Data">The values, row-major.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data);

/// <summary>
/// Loads the IDX format of MNIST and Fashion-MNIST, gzipped or not: a big-endian u32 magic
/// <c>0x000008NN</c> (type 8 = unsigned byte, NN = number of dimensions; 0x801 labels, 0x803 images), NN
/// big-endian u32 sizes, then the bytes.
/// </summary>
public static class IdxLoader
{
    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, a header cut short, or sizes that do not match the data length; the message names the file and offset.</exception>
    public static IdxArray Read(string path) => Parse(DataFile.ReadAllBytes(path), path);

    /// <summary>Parses IDX bytes (already decompressed); <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid IDX array of unsigned bytes.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4) throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short for an IDX header (the magic alone is 4 bytes).");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        int rank = (int)(magic & 0xFF);
        if ((magic & 0xFFFFFF00) != 0x00000800 || rank < 1 || rank > 4)
            throw new InvalidDataException($"{source}: wrong magic 0x{magic:X8} at offset 0; expected 0x00000801 (labels) or 0x00000803 (images): unsigned bytes, 1 to 4 dimensions.");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{source}: header cut short at offset {bytes.Length}; {rank} dimensions need {headerLength} header bytes.");
        var dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4 + 4 * i));
            if (d > int.MaxValue) throw new InvalidDataException($"{source}: dimension {i} at offset {4 + 4 * i} is {d}, too large.");
            dims[i] = (int)d;
            expected *= d;
            if (expected > int.MaxValue) throw new InvalidDataException($"{source}: the dimensions {string.Join('×', dims[..(i + 1)])} hold more than {int.MaxValue} bytes.");
        }
        long actual = bytes.Length - headerLength;
        if (actual != expected)
            throw new InvalidDataException(
                $"{source}: dimensions {string.Join('×', dims)} need {expected} data bytes after the {headerLength}-byte header, but the file has {actual}" +
                (actual < expected ? $" (truncated at offset {bytes.Length})." : " (trailing bytes)."));
        return new IdxArray(dims, bytes.Slice(headerLength).ToArray());
    }

    /// <summary>
    /// Loads an image file (0x803: count × rows × columns) and its label file (0x801: count) as a dataset with
    /// rows·columns features per sample, multiplied by <paramref name="pixelScale"/> (1/255 by default, giving
    /// [0, 1]; pass 1 for raw 0..255), and one label per sample (use <see cref="DatasetTransforms.ToOneHot"/>
    /// for one-hot targets).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not valid IDX, the images are not rank 3, the labels not rank 1, or the counts differ.</exception>
    public static Dataset LoadImagesAndLabels(string imagesPath, string labelsPath, float pixelScale = 1f / 255f)
    {
        IdxArray images = Read(imagesPath);
        IdxArray labels = Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"{imagesPath}: expected images of 3 dimensions (count, rows, columns), found {images.Dimensions.Length}.");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected labels of 1 dimension (count), found {labels.Dimensions.Length}.");
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
            throw new InvalidDataException($"{labelsPath}: {labels.Dimensions[0]} labels for the {count} images in {imagesPath}.");
        int pixels = images.Dimensions[1] * images.Dimensions[2];
        var features = new float[images.Data.Length];
        for (int i = 0; i < features.Length; i++) features[i] = images.Data[i] * pixelScale;
        var targets = new float[count];
        for (int i = 0; i < count; i++) targets[i] = labels.Data[i];
        return new Dataset(features, targets, count, pixels, 1);
    }
}

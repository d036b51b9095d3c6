using System;
using System.IO;
using System.IO.Compression;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public class IdxLoaderTests
{
    /// <summary>A valid 0x803 file: 2 images of 2×3, bytes 0..11.</summary>
    private static byte[] Images() => [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static byte[] Labels(int count) { var b = new byte[8 + count]; b[2] = 8; b[3] = 1; b[7] = (byte)count; for (int i = 0; i < count; i++) b[8 + i] = (byte)(i % 2); return b; }

    [Fact]
    public void ParsesDimensionsBigEndianAndData()
    {
        IdxArray a = IdxLoader.Parse(Images(), "mem");
        Assert.Equal([2, 2, 3], a.Dimensions);
        Assert.Equal(11, a.Data[11]);
    }

    [Fact]
    public void ReadsGzippedAndPlainFilesAlike()
    {
        string dir = TestFiles.NewTempDirectory();
        string plain = Path.Combine(dir, "images.idx"), gz = Path.Combine(dir, "images.idx.gz"), labels = Path.Combine(dir, "labels.idx");
        File.WriteAllBytes(plain, Images());
        using (var gzip = new GZipStream(File.Create(gz), CompressionLevel.Optimal)) gzip.Write(Images());
        File.WriteAllBytes(labels, Labels(2));
        Assert.Equal(IdxLoader.Read(plain).Data, IdxLoader.Read(gz).Data);
        Dataset d = IdxLoader.LoadImagesAndLabels(gz, labels, pixelScale: 1f);
        Assert.Equal((2, 6), (d.Count, d.FeatureCount));
        Assert.Equal([6f, 7f, 8f, 9f, 10f, 11f], d.FeatureRow(1).ToArray());
        Assert.Equal(1f, d.Targets[1]);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 9, 3 }, "wrong magic 0x00000903")]
    [InlineData(new byte[] { 1, 0, 8, 1 }, "wrong magic 0x01000801")]
    [InlineData(new byte[] { 0, 0, 8, 0 }, "wrong magic 0x00000800")]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 3 }, "wrong magic")]
    public void WrongMagicIsRejected(byte[] magic, string expected)
    {
        byte[] bytes = Images();
        magic.CopyTo(bytes, 0);
        var e = Assert.Throws<InvalidDataException>(() => IdxLoader.Parse(bytes, "f.idx"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("f.idx", e.Message);
    }

    [Fact]
    public void TruncationAtEveryOffsetIsRejectedWithTheOffset()
    {
        byte[] bytes = Images();
        for (int length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => IdxLoader.Parse(bytes.AsSpan(0, length), "f.idx"));
            Assert.Contains("f.idx", e.Message);
            if (length >= 16) Assert.Contains($"truncated at offset {length}", e.Message);
        }
    }

    [Fact]
    public void DimensionsThatDoNotMatchTheLengthAreRejected()
    {
        byte[] bytes = Images();
        bytes[11] = 3; // 2×3×3 = 18 bytes expected, 12 present
        Assert.Contains("2×3×3 need 18 data bytes", Assert.Throws<InvalidDataException>(() => IdxLoader.Parse(bytes, "f")).Message);
        byte[] longer = [.. Images(), 99];
        Assert.Contains("trailing bytes", Assert.Throws<InvalidDataException>(() => IdxLoader.Parse(longer, "f")).Message);
    }

    [Fact]
    public void LabelCountThatDiffersFromImageCountIsRejected()
    {
        string dir = TestFiles.NewTempDirectory();
        string images = Path.Combine(dir, "i"), labels = Path.Combine(dir, "l");
        File.WriteAllBytes(images, Images());
        File.WriteAllBytes(labels, Labels(3));
        Assert.Contains("3 labels for the 2 images", Assert.Throws<InvalidDataException>(() => IdxLoader.LoadImagesAndLabels(images, labels)).Message);
        Assert.Contains("expected images of 3 dimensions", Assert.Throws<InvalidDataException>(() => IdxLoader.LoadImagesAndLabels(labels, labels)).Message);
    }

    [Fact]
    public void TruncatedGzipFileIsRejected()
    {
        string dir = TestFiles.NewTempDirectory();
        string path = Path.Combine(dir, "cut.gz");
        byte[] whole = File.ReadAllBytes(TestFiles.Data("mnist/t10k-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxLoader.Read(path));
        Assert.Contains("cut.gz", e.Message);
    }
}

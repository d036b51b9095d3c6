using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>Reads a whole data file into memory, decompressing it first when it is gzipped (detected by its magic bytes, not its name).</summary>
internal static class DataFile
{
    /// <summary>The file's bytes, gunzipped when the file starts with the gzip magic 1F 8B.</summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt or truncated.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: corrupt or truncated gzip data ({e.Message}).", e);
        }
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Unicode;

namespace NetGen.Serialization;

/// <summary>
/// A safetensors file read into memory and fully validated: an 8-byte little-endian header length N, N bytes
/// of UTF-8 JSON <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>,
/// then the data area. Every tensor's byte range must match its shape and dtype, and the ranges, sorted, must
/// tile the data area exactly (no gaps, no overlaps, nothing outside the file).
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The most header bytes accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private readonly byte[] _bytes;
    private readonly int _dataStart;

    private SafeTensorsFile(byte[] bytes, int dataStart, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        _bytes = bytes;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }
    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The raw little-endian bytes of a tensor.</summary>
    public ReadOnlySpan<byte> Data(SafeTensorInfo tensor) =>
        _bytes.AsSpan(_dataStart + (int)tensor.DataBegin, (int)(tensor.DataEnd - tensor.DataBegin));

    /// <summary>Reads and validates a file.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and, where one is at fault, the tensor.</exception>
    public static SafeTensorsFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Validates safetensors bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not valid safetensors.</exception>
    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short; a safetensors file starts with an 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{source}: the header length {headerLength} runs past the end of the {bytes.Length}-byte file (truncated or corrupt).");
        if (headerLength > MaxHeaderLength)
            throw new InvalidDataException($"{source}: the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes.");
        if (headerLength < 2)
            throw new InvalidDataException($"{source}: the header length {headerLength} is too short for a JSON object.");
        ReadOnlySpan<byte> header = bytes.AsSpan(8, (int)headerLength);
        if (!Utf8.IsValid(header)) throw new InvalidDataException($"{source}: the header is not valid UTF-8.");
        if (header[0] != (byte)'{') throw new InvalidDataException($"{source}: the header does not start with '{{'.");

        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            SafeTensorsHeaderParser.Parse(header, source, tensors, metadata);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the header is not valid JSON ({e.Message}).", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on an escape that is not valid UTF-16 (a lone surrogate, say).
            throw new InvalidDataException($"{source}: the header holds a string that cannot be decoded ({e.Message}).", e);
        }
        int dataStart = 8 + (int)headerLength;
        CheckDataLayout(tensors, bytes.Length - dataStart, source);
        return new SafeTensorsFile(bytes, dataStart, tensors, metadata);
    }

    /// <summary>Each range matches its tensor's size, and the ranges tile [0, dataLength) exactly.</summary>
    private static void CheckDataLayout(Dictionary<string, SafeTensorInfo> tensors, long dataLength, string source)
    {
        var ordered = new List<SafeTensorInfo>(tensors.Values);
        foreach (SafeTensorInfo t in ordered)
        {
            long elements = 1;
            foreach (long d in t.Shape)
            {
                if (d != 0 && elements > long.MaxValue / 8 / d)
                    throw new InvalidDataException($"{source}: tensor '{t.Name}': shape {t.ShapeText} is too large.");
                elements *= d;
            }
            long size = elements * SafeTensorInfo.ElementSize(t.DType);
            if (t.DataEnd < t.DataBegin || t.DataEnd - t.DataBegin != size)
                throw new InvalidDataException(
                    $"{source}: tensor '{t.Name}': data_offsets [{t.DataBegin}, {t.DataEnd}] hold {t.DataEnd - t.DataBegin} bytes, but {t.DType} {t.ShapeText} needs {size}.");
            if (t.DataEnd > dataLength)
                throw new InvalidDataException($"{source}: tensor '{t.Name}': data_offsets end at {t.DataEnd}, past the {dataLength}-byte data area (truncated file?).");
        }
        ordered.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
        long expectedBegin = 0;
        foreach (SafeTensorInfo t in ordered)
        {
            if (t.DataBegin != expectedBegin)
                throw new InvalidDataException(t.DataBegin < expectedBegin
                    ? $"{source}: tensor '{t.Name}': data_offsets [{t.DataBegin}, {t.DataEnd}] overlap the previous tensor, which ends at {expectedBegin}."
                    : $"{source}: tensor '{t.Name}': data_offsets begin at {t.DataBegin}, leaving a gap after {expectedBegin}.");
            expectedBegin = t.DataEnd;
        }
        if (expectedBegin != dataLength)
            throw new InvalidDataException($"{source}: the tensors cover {expectedBegin} bytes of the {dataLength}-byte data area; the rest is unaccounted for.");
    }
}

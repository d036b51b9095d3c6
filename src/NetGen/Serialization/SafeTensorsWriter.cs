using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace NetGen.Serialization;

/// <summary>A tensor to write: a named, shaped slice of one of the spans handed to <see cref="SafeTensorsWriter.Write{T}"/>.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Source">Which span it comes from (0: parameters, 1: optimizer state, 2: buffers).</param>
/// <param name="Offset">Where it starts in that span.</param>
/// <param name="Length">Its element count.</param>
internal readonly record struct TensorSlice(string Name, int[] Shape, int Source, int Offset, int Length);

/// <summary>Writes tensors of one element type in the safetensors layout, with the header padded to 8 bytes as the reference writer does.</summary>
internal static class SafeTensorsWriter
{
    /// <summary>The format's name for <typeparamref name="T"/>: F32, F64 or F16.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no safetensors dtype here.</exception>
    public static string DTypeOf<T>() =>
        typeof(T) == typeof(float) ? "F32"
        : typeof(T) == typeof(double) ? "F64"
        : typeof(T) == typeof(Half) ? "F16"
        : throw new NotSupportedException($"No safetensors dtype for {typeof(T).Name}; networks of float, double or Half can be saved.");

    /// <summary>Writes the header and then each tensor's little-endian bytes, in the order given.</summary>
    public static void Write<T>(Stream stream, IReadOnlyList<TensorSlice> tensors, ReadOnlySpan<T> parameters, ReadOnlySpan<T> optimizerState,
        IReadOnlyDictionary<string, string> metadata, ReadOnlySpan<T> buffers = default) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] header = BuildHeader(tensors, DTypeOf<T>(), Unsafe.SizeOf<T>(), metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (TensorSlice t in tensors)
        {
            ReadOnlySpan<T> values = (t.Source switch { 0 => parameters, 1 => optimizerState, _ => buffers }).Slice(t.Offset, t.Length);
            WriteLittleEndian(stream, values);
        }
    }

    private static byte[] BuildHeader(IReadOnlyList<TensorSlice> tensors, string dtype, int elementSize, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> kv in metadata) json.WriteString(kv.Key, kv.Value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (TensorSlice t in tensors)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (int d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)t.Length * elementSize;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data area starts 8-byte aligned (JSON ignores trailing whitespace).
        int padded = (buffer.WrittenCount + 8 + 7) / 8 * 8 - 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian<T>(Stream stream, ReadOnlySpan<T> values) where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        if (BitConverter.IsLittleEndian) { stream.Write(bytes); return; }
        byte[] swapped = bytes.ToArray();
        SwapEndianness(swapped, Unsafe.SizeOf<T>());
        stream.Write(swapped);
    }

    /// <summary>Reverses the bytes of every element (for big-endian machines).</summary>
    internal static void SwapEndianness(Span<byte> bytes, int elementSize)
    {
        for (int i = 0; i + elementSize <= bytes.Length; i += elementSize) bytes.Slice(i, elementSize).Reverse();
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NetGen.Serialization;

/// <summary>Reads a safetensors JSON header with <see cref="Utf8JsonReader"/> (no reflection), checking its structure.</summary>
internal static class SafeTensorsHeaderParser
{
    private const string MetadataKey = "__metadata__";

    /// <exception cref="InvalidDataException">The structure is wrong.</exception>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static void Parse(ReadOnlySpan<byte> header, string source, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        Expect(ref reader, JsonTokenType.StartObject, source, "the header");
        bool sawMetadata = false;
        while (Next(ref reader, source) != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            if (name == MetadataKey)
            {
                if (sawMetadata) throw new InvalidDataException($"{source}: '{MetadataKey}' appears twice.");
                sawMetadata = true;
                ReadMetadata(ref reader, source, metadata);
                continue;
            }
            if (tensors.ContainsKey(name)) throw new InvalidDataException($"{source}: tensor '{name}' appears twice in the header.");
            tensors.Add(name, ReadTensor(ref reader, name, source));
        }
        if (reader.Read()) throw new InvalidDataException($"{source}: unexpected content after the header's closing brace.");
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string source, Dictionary<string, string> metadata)
    {
        Expect(ref reader, JsonTokenType.StartObject, source, $"'{MetadataKey}'");
        while (Next(ref reader, source) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            if (Next(ref reader, source) != JsonTokenType.String)
                throw new InvalidDataException($"{source}: '{MetadataKey}' entry '{key}' is not a string.");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw new InvalidDataException($"{source}: '{MetadataKey}' entry '{key}' appears twice.");
        }
    }

    private static SafeTensorInfo ReadTensor(ref Utf8JsonReader reader, string name, string source)
    {
        string where = $"tensor '{name}'";
        Expect(ref reader, JsonTokenType.StartObject, source, where);
        string? dtype = null;
        long[]? shape = null, offsets = null;
        while (Next(ref reader, source) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            switch (key)
            {
                case "dtype":
                    if (dtype is not null) throw Duplicate(source, where, key);
                    if (Next(ref reader, source) != JsonTokenType.String) throw new InvalidDataException($"{source}: {where}: dtype is not a string.");
                    dtype = reader.GetString()!;
                    if (SafeTensorInfo.ElementSize(dtype) == 0) throw new InvalidDataException($"{source}: {where}: unknown dtype '{dtype}'.");
                    break;
                case "shape":
                    if (shape is not null) throw Duplicate(source, where, key);
                    shape = ReadCounts(ref reader, source, $"{where}: shape");
                    break;
                case "data_offsets":
                    if (offsets is not null) throw Duplicate(source, where, key);
                    offsets = ReadCounts(ref reader, source, $"{where}: data_offsets");
                    if (offsets.Length != 2) throw new InvalidDataException($"{source}: {where}: data_offsets has {offsets.Length} values, not [begin, end].");
                    break;
                default:
                    reader.Read();
                    reader.Skip();
                    break;
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw new InvalidDataException($"{source}: {where}: missing {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}.");
        return new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>An array of non-negative integers.</summary>
    private static long[] ReadCounts(ref Utf8JsonReader reader, string source, string where)
    {
        Expect(ref reader, JsonTokenType.StartArray, source, where);
        var values = new List<long>();
        while (Next(ref reader, source) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v) || v < 0)
                throw new InvalidDataException($"{source}: {where}: expected non-negative integers.");
            values.Add(v);
        }
        return values.ToArray();
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read()) throw new InvalidDataException($"{source}: the header ends too early.");
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string source, string what)
    {
        if (Next(ref reader, source) != type)
            throw new InvalidDataException($"{source}: {what}: expected {type}, found {reader.TokenType}.");
    }

    private static InvalidDataException Duplicate(string source, string where, string key) =>
        new($"{source}: {where}: '{key}' appears twice.");
}

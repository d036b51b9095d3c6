using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Generator.Weights;

/// <summary>One tensor entry of a safetensors header: its name, dtype, shape and byte range in the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, Model.EquatableArray<long> Shape, long Begin, long End)
{
    /// <summary>The shape as PyTorch prints it: <c>[128, 784]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// Reads the header of a safetensors file (8-byte little-endian length N, N bytes of JSON, then the
/// data) without any runtime reference: the generator targets netstandard2.0 and must not load NetGen.
/// Only what the format defines is accepted; anything else is a <see cref="FormatException"/> whose
/// message says what is wrong.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>Parses the header; <paramref name="dataStart"/> is where the data section begins.</summary>
    public static List<SafetensorsEntry> Parse(byte[] file, out long dataStart)
    {
        if (file.Length < 8) throw new FormatException($"it has {file.Length} bytes, fewer than the 8 of a safetensors header length");
        // N = the first 8 bytes read as a little-endian unsigned integer.
        ulong n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | file[i];
        if (n > (ulong)(file.Length - 8)) throw new FormatException($"its header length {n} runs past the end of the file ({file.Length} bytes)");
        dataStart = 8 + (long)n;
        string json = Encoding.UTF8.GetString(file, 8, (int)n);
        var reader = new JsonReader(json);
        var entries = new List<SafetensorsEntry>();
        reader.Expect('{');
        if (!reader.TryConsume('}'))
        {
            do
            {
                string name = reader.ReadString();
                reader.Expect(':');
                if (name == "__metadata__") reader.SkipValue();
                else entries.Add(ReadEntry(name, reader, file.Length - dataStart));
            }
            while (reader.TryConsume(','));
            reader.Expect('}');
        }
        return entries;
    }

    private static SafetensorsEntry ReadEntry(string name, JsonReader reader, long dataLength)
    {
        string? dtype = null;
        List<long>? shape = null, offsets = null;
        reader.Expect('{');
        do
        {
            string key = reader.ReadString();
            reader.Expect(':');
            switch (key)
            {
                case "dtype": dtype = reader.ReadString(); break;
                case "shape": shape = reader.ReadIntegers(); break;
                case "data_offsets": offsets = reader.ReadIntegers(); break;
                default: reader.SkipValue(); break;
            }
        }
        while (reader.TryConsume(','));
        reader.Expect('}');
        if (dtype is null || shape is null || offsets is null || offsets.Count != 2)
            throw new FormatException($"the entry '{name}' lacks its dtype, shape or two data_offsets");
        if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw new FormatException($"the data of '{name}' ({offsets[0]}..{offsets[1]}) lies outside the {dataLength} data bytes");
        return new SafetensorsEntry(name, dtype, new Model.EquatableArray<long>(shape.ToArray()), offsets[0], offsets[1]);
    }

    /// <summary>The minimal JSON reader the header needs: objects, arrays, strings, integers; other values are skipped.</summary>
    private sealed class JsonReader
    {
        private readonly string _text;
        private int _at;

        public JsonReader(string text) => _text = text;

        private void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }

        public bool TryConsume(char c)
        {
            SkipSpace();
            if (_at < _text.Length && _text[_at] == c) { _at++; return true; }
            return false;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c)) throw new FormatException($"its JSON header has '{(_at < _text.Length ? _text[_at].ToString() : "end")}' at {_at} where '{c}' belongs");
        }

        public string ReadString()
        {
            Expect('"');
            var result = new StringBuilder();
            while (_at < _text.Length && _text[_at] != '"')
            {
                char c = _text[_at++];
                if (c != '\\') { result.Append(c); continue; }
                if (_at >= _text.Length) break;
                char e = _text[_at++];
                switch (e)
                {
                    case 'n': result.Append('\n'); break;
                    case 't': result.Append('\t'); break;
                    case 'r': result.Append('\r'); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'u':
                        if (_at + 4 > _text.Length) throw new FormatException("its JSON header ends inside a \\u escape");
                        result.Append((char)int.Parse(_text.Substring(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _at += 4;
                        break;
                    default: result.Append(e); break;
                }
            }
            Expect('"');
            return result.ToString();
        }

        public List<long> ReadIntegers()
        {
            var values = new List<long>();
            Expect('[');
            if (TryConsume(']')) return values;
            do
            {
                SkipSpace();
                int start = _at;
                while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '-')) _at++;
                if (!long.TryParse(_text.Substring(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                    throw new FormatException($"its JSON header has no integer at {start}");
                values.Add(v);
            }
            while (TryConsume(','));
            Expect(']');
            return values;
        }

        public void SkipValue()
        {
            SkipSpace();
            if (_at >= _text.Length) throw new FormatException("its JSON header ends where a value belongs");
            char c = _text[_at];
            if (c == '"') { ReadString(); return; }
            if (c == '{' || c == '[')
            {
                char close = c == '{' ? '}' : ']';
                _at++;
                if (TryConsume(close)) return;
                do
                {
                    if (c == '{') { ReadString(); Expect(':'); }
                    SkipValue();
                }
                while (TryConsume(','));
                Expect(close);
                return;
            }
            // A number, true, false or null: up to the next delimiter.
            while (_at < _text.Length && _text[_at] != ',' && _text[_at] != '}' && _text[_at] != ']') _at++;
        }
    }
}

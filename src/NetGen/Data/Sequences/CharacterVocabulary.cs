using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.Data;

/// <summary>
/// A character-level vocabulary: the distinct UTF-16 characters of a text, sorted by code (as
/// char-rnn and nanoGPT do: <c>sorted(set(text))</c>), id = position in that order.
/// </summary>
public sealed class CharacterVocabulary
{
    private const string Header = "NetGen character vocabulary v1";
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    private CharacterVocabulary(char[] characters)
    {
        _characters = characters;
        _ids = new Dictionary<char, int>(characters.Length);
        for (int i = 0; i < characters.Length; i++)
            if (!_ids.TryAdd(characters[i], i)) throw new ArgumentException($"Character U+{(int)characters[i]:X4} appears twice in the vocabulary.");
    }

    /// <summary>The vocabulary of every character in <paramref name="text"/>.</summary>
    public static CharacterVocabulary Build(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new ArgumentException("Cannot build a vocabulary from an empty text.", nameof(text));
        var set = new SortedSet<char>(text);
        var characters = new char[set.Count];
        set.CopyTo(characters);
        return new CharacterVocabulary(characters);
    }

    /// <summary>A vocabulary of exactly these characters, in this order (ids 0, 1, ...).</summary>
    public static CharacterVocabulary FromCharacters(ReadOnlySpan<char> characters)
    {
        if (characters.IsEmpty) throw new ArgumentException("A vocabulary needs at least one character.", nameof(characters));
        return new CharacterVocabulary(characters.ToArray());
    }

    /// <summary>How many characters (the <c>vocabulary</c> of an Embedding, the classes of the output).</summary>
    public int Count => _characters.Length;

    /// <summary>The characters in id order.</summary>
    public ReadOnlySpan<char> Characters => _characters;

    /// <summary>The character with id <paramref name="id"/>.</summary>
    public char this[int id] => (uint)id < (uint)_characters.Length ? _characters[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Id {id} is outside the vocabulary [0, {Count}).");

    /// <summary>Whether <paramref name="c"/> has an id.</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>The id of <paramref name="c"/>; a character outside the vocabulary throws naming it.</summary>
    public int IdOf(char c) => _ids.TryGetValue(c, out int id) ? id
        : throw new ArgumentException($"Character {Describe(c)} is not in the vocabulary.", nameof(c));

    /// <summary>Every character of <paramref name="text"/> as ids.</summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new int[text.Length];
        Encode(text, ids);
        return ids;
    }

    /// <summary>Writes the ids of <paramref name="text"/> into <paramref name="ids"/> (no allocation); an unknown character throws naming it and its position.</summary>
    public void Encode(ReadOnlySpan<char> text, Span<int> ids)
    {
        if (ids.Length < text.Length) throw new ArgumentException($"'ids' needs {text.Length} elements, got {ids.Length}.", nameof(ids));
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out int id))
                throw new ArgumentException($"Character {Describe(text[i])} at position {i} is not in the vocabulary.", nameof(text));
            ids[i] = id;
        }
    }

    /// <summary>The text of <paramref name="ids"/>; an id out of range throws naming it and its position.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var builder = new StringBuilder(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)_characters.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id {ids[i]} at position {i} is outside the vocabulary [0, {Count}).");
            builder.Append(_characters[ids[i]]);
        }
        return builder.ToString();
    }

    /// <summary>Saves as UTF-8 text: a header line, then one code (hex, e.g. <c>000A</c>) per line in id order.</summary>
    public void Save(string path)
    {
        var builder = new StringBuilder();
        builder.Append(Header).Append('\n');
        foreach (char c in _characters) builder.Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(path, builder.ToString(), new UTF8Encoding(false));
    }

    /// <summary>Loads what <see cref="Save"/> wrote; a malformed file throws <see cref="InvalidDataException"/> naming the line.</summary>
    public static CharacterVocabulary Load(string path)
    {
        string[] lines = File.ReadAllText(path).Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != Header)
            throw new InvalidDataException($"{path}: line 1 is not '{Header}'.");
        var characters = new List<char>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 && i == lines.Length - 1) break;
            if (!ushort.TryParse(line, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort code))
                throw new InvalidDataException($"{path}: line {i + 1} ('{line}') is not a hexadecimal character code.");
            characters.Add((char)code);
        }
        if (characters.Count == 0) throw new InvalidDataException($"{path}: the vocabulary is empty.");
        try { return new CharacterVocabulary([.. characters]); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}

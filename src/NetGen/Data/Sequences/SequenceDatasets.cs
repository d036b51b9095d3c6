using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.Data;

/// <summary>Labelled texts: <c>Labels[i]</c> is the class id of <c>Texts[i]</c>, <c>ClassNames[id]</c> its name.</summary>
public sealed record LabelledTexts(string[] Texts, int[] Labels, string[] ClassNames);

/// <summary>A dated series: <c>Dates[i]</c> as written in the file, <c>Values[i]</c> the value.</summary>
public sealed record DatedSeries(string[] Dates, float[] Values);

/// <summary>Loaders for the sequence files under <c>data/sequences</c> (formats in its SOURCES.md).</summary>
public static class SequenceDatasets
{
    /// <summary>
    /// The UCI SMS Spam Collection: one <c>label&lt;TAB&gt;text</c> per line, labels <c>ham</c> (class 0)
    /// and <c>spam</c> (class 1). A line without a tab or with another label throws naming the line.
    /// </summary>
    public static LabelledTexts LoadSmsSpam(string path)
    {
        var texts = new List<string>();
        var labels = new List<int>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            int tab = line.IndexOf('\t');
            if (tab < 0) throw new InvalidDataException($"{path}: line {number} has no tab between label and text.");
            string label = line.Substring(0, tab);
            labels.Add(label switch
            {
                "ham" => 0,
                "spam" => 1,
                _ => throw new InvalidDataException($"{path}: line {number} has label '{label}'; expected 'ham' or 'spam'."),
            });
            texts.Add(line.Substring(tab + 1));
        }
        if (texts.Count == 0) throw new InvalidDataException($"{path}: no messages.");
        return new LabelledTexts([.. texts], [.. labels], ["ham", "spam"]);
    }

    /// <summary>
    /// A two-column CSV series (<c>"Month","Passengers"</c>, <c>"Date","Temp"</c>): an optional header,
    /// then <c>date,value</c> per line (CRLF or LF). A value that is not a number throws naming the line.
    /// </summary>
    public static DatedSeries LoadSeriesCsv(string path)
    {
        var dates = new List<string>();
        var values = new List<float>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            int comma = line.IndexOf(',');
            if (comma < 0) throw new InvalidDataException($"{path}: line {number} has no comma between date and value.");
            string date = line.Substring(0, comma).Trim('"'), text = line.Substring(comma + 1).Trim('"');
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            {
                if (number == 1) continue; // the header
                throw new InvalidDataException($"{path}: line {number} has value '{text}', not a number.");
            }
            dates.Add(date);
            values.Add(value);
        }
        if (values.Count == 0) throw new InvalidDataException($"{path}: no values.");
        return new DatedSeries([.. dates], [.. values]);
    }

    /// <summary>One item per non-empty line (makemore's <c>names.txt</c>), without line ends.</summary>
    public static string[] LoadLines(string path)
    {
        var lines = new List<string>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length > 0) lines.Add(line);
        }
        if (lines.Count == 0) throw new InvalidDataException($"{path}: no lines.");
        return [.. lines];
    }
}

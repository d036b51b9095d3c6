using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.Data;

/// <summary>What the first line of a CSV file is.</summary>
public enum CsvHeader
{
    /// <summary>Decide from the line: all numbers → data; two integers then names → scikit-learn metadata; otherwise column names.</summary>
    Auto,
    /// <summary>The first line is data.</summary>
    None,
    /// <summary>The first line names the columns and is skipped.</summary>
    ColumnNames,
    /// <summary>scikit-learn's metadata row <c>n_samples,n_features,class names…</c>, possibly padded with trailing commas; the counts are checked.</summary>
    ScikitLearnMetadata,
}

/// <summary>How <see cref="CsvLoader"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The cell separator; null picks ',' when the first line has a comma, else any run of spaces and tabs.</summary>
    public char? Delimiter { get; init; }
    /// <summary>What the first line is.</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;
    /// <summary>The column holding the target (negative counts from the end: −1 is the last); null when every column is a feature.</summary>
    public int? TargetColumn { get; init; } = -1;
    /// <summary>Accept cells that parse as NaN or ±Infinity ("nan", "inf", ...); by default they are rejected with their line and column, as a NaN would otherwise surface only as a NaN loss.</summary>
    public bool AllowNonFinite { get; init; }
}

/// <summary>
/// Loads numeric CSV files (comma or whitespace separated, gzipped or not) into a <see cref="Dataset"/>:
/// scikit-learn's data files (metadata row, label last), headed files such as the wine-quality set, and
/// headerless ones such as digits.
/// </summary>
public static class CsvLoader
{
    /// <summary>Loads a file whose rows hold the features and (by default, last) the target.</summary>
    /// <exception cref="InvalidDataException">A cell is not a number, rows differ in length, or a scikit-learn metadata row disagrees with the data; the message names the file, line and column.</exception>
    public static Dataset Load(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        CsvTable table = ReadTable(path, options);
        if (table.Rows == 0)
            throw new InvalidDataException($"{path}: the file has no data rows{(table.ColumnNames is null && table.Metadata is null ? "" : " after its header")}; it is empty.");
        int columns = table.Columns;
        int? target = options.TargetColumn is int t ? (t < 0 ? columns + t : t) : null;
        if (target is int tc && (tc < 0 || tc >= columns))
            throw new ArgumentOutOfRangeException(nameof(options), $"Target column {options.TargetColumn} is outside the {columns} columns of {path}.");
        if (table.Metadata is (int samples, int featureCount))
        {
            int actualFeatures = columns - (target is null ? 0 : 1);
            if (samples != table.Rows || featureCount != actualFeatures)
                throw new InvalidDataException($"{path}: line 1: the metadata row declares {samples} samples × {featureCount} features, but the file holds {table.Rows} × {actualFeatures}.");
        }
        int featuresPerRow = columns - (target is null ? 0 : 1);
        var features = new float[table.Rows * featuresPerRow];
        var targets = new float[target is null ? 0 : table.Rows];
        for (int r = 0; r < table.Rows; r++)
        {
            int f = r * featuresPerRow;
            for (int c = 0; c < columns; c++)
            {
                float v = table.Values[r * columns + c];
                if (c == target) targets[r] = v; else features[f++] = v;
            }
        }
        return new Dataset(features, targets, table.Rows, featuresPerRow, target is null ? 0 : 1, table.ClassNames);
    }

    /// <summary>
    /// Loads features and targets kept in two files with one row per sample (scikit-learn's diabetes:
    /// <c>diabetes_data_raw.csv.gz</c>, space separated, and <c>diabetes_target.csv.gz</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed, holds a NaN or infinite cell, or the two row counts differ.</exception>
    public static Dataset LoadFeaturesAndTargets(string featuresPath, string targetsPath, char? delimiter = null)
    {
        CsvTable x = ReadTable(featuresPath, delimiter, CsvHeader.Auto);
        CsvTable y = ReadTable(targetsPath, delimiter, CsvHeader.Auto);
        if (x.Rows == 0) throw new InvalidDataException($"{featuresPath}: the file has no data rows; it is empty.");
        if (x.Rows != y.Rows)
            throw new InvalidDataException($"{targetsPath}: {y.Rows} target rows for the {x.Rows} feature rows of {featuresPath}.");
        return new Dataset(x.Values, y.Values, x.Rows, x.Columns, y.Columns);
    }

    /// <summary>A parsed numeric table.</summary>
    /// <param name="Values">The cells, row-major.</param>
    /// <param name="Rows">Data rows (header excluded).</param>
    /// <param name="Columns">Cells per row.</param>
    /// <param name="ColumnNames">The header's names, when the file had a column-name header.</param>
    /// <param name="ClassNames">The class names from a scikit-learn metadata row.</param>
    /// <param name="Metadata">The counts from a scikit-learn metadata row.</param>
    public sealed record CsvTable(float[] Values, int Rows, int Columns, string[]? ColumnNames, string[]? ClassNames, (int Samples, int Features)? Metadata);

    /// <summary>Reads every cell of a numeric CSV file; NaN and infinite cells are rejected.</summary>
    /// <exception cref="InvalidDataException">A cell is not a number (or is NaN or infinite), a cell is empty, or rows differ in length.</exception>
    public static CsvTable ReadTable(string path, char? delimiter = null, CsvHeader header = CsvHeader.Auto)
        => ReadTable(path, new CsvOptions { Delimiter = delimiter, Header = header });

    /// <summary>Reads every cell of a numeric CSV file as <paramref name="options"/> say (its <c>TargetColumn</c> is not used here).</summary>
    /// <exception cref="InvalidDataException">A cell is not a number, is NaN or infinite without <see cref="CsvOptions.AllowNonFinite"/>, a cell is empty, or rows differ in length.</exception>
    internal static CsvTable ReadTable(string path, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        char? delimiter = options.Delimiter;
        CsvHeader header = options.Header;
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(DataFile.ReadAllBytes(path)); }
        catch (DecoderFallbackException e) { throw new InvalidDataException($"{path}: not valid UTF-8 text.", e); }
        var values = new List<float>();
        string[]? columnNames = null, classNames = null;
        (int, int)? metadata = null;
        int columns = -1, rows = 0, firstDataLine = 0, lineNumber = 0;
        var cells = new List<string>();
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            delimiter ??= line.Contains(',') ? ',' : ' ';
            SplitCells(line, delimiter.Value, cells);
            if (columns < 0 && header != CsvHeader.None && metadata is null && columnNames is null)
            {
                CsvHeader kind = header == CsvHeader.Auto ? Classify(cells) : header;
                if (kind == CsvHeader.ScikitLearnMetadata)
                {
                    metadata = ParseMetadata(cells, path);
                    classNames = cells.Skip(2).ToArrayWithoutEmpty();
                    continue;
                }
                if (kind == CsvHeader.ColumnNames) { columnNames = cells.ToArray(); continue; }
            }
            if (columns < 0) { columns = cells.Count; firstDataLine = lineNumber; }
            else if (cells.Count != columns)
                throw new InvalidDataException($"{path}: line {lineNumber} has {cells.Count} cells, but line {firstDataLine} has {columns}.");
            for (int c = 0; c < cells.Count; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw new InvalidDataException($"{path}: line {lineNumber}, column {c + 1}: '{cells[c]}' is not a number.{DelimiterHint(cells[c], delimiter.Value)}");
                if (!float.IsFinite(v) && !options.AllowNonFinite)
                    throw new InvalidDataException($"{path}: line {lineNumber}, column {c + 1}: '{cells[c]}' is {(float.IsNaN(v) ? "NaN" : "infinite")}; clean or impute the data, or set CsvOptions.AllowNonFinite = true to keep it.");
                values.Add(v);
            }
            rows++;
        }
        return new CsvTable(values.ToArray(), rows, Math.Max(columns, 0), columnNames, classNames, metadata);
    }

    /// <summary>When a cell that is not a number holds another likely separator, the advice to set it.</summary>
    private static string DelimiterHint(string cell, char delimiter)
    {
        foreach (char candidate in (ReadOnlySpan<char>)[';', '\t', '|', ','])
            if (candidate != delimiter && cell.Contains(candidate))
                return $" The cells seem to be separated by {(candidate == '\t' ? "tabs" : $"'{candidate}'")}: set CsvOptions.Delimiter = '{(candidate == '\t' ? "\\t" : candidate.ToString())}'.";
        return "";
    }

    private static CsvHeader Classify(List<string> cells)
    {
        bool allNumbers = true;
        foreach (string c in cells) allNumbers &= IsNumber(c);
        if (allNumbers) return CsvHeader.None;
        bool metadata = cells.Count >= 2 && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        for (int i = 2; metadata && i < cells.Count; i++) metadata = cells[i].Length == 0 || !IsNumber(cells[i]);
        return metadata ? CsvHeader.ScikitLearnMetadata : CsvHeader.ColumnNames;
    }

    private static (int, int) ParseMetadata(List<string> cells, string path)
    {
        if (cells.Count < 2
            || !int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out int samples)
            || !int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out int features))
            throw new InvalidDataException($"{path}: line 1: expected scikit-learn's metadata row 'n_samples,n_features,...', found '{string.Join(",", cells)}'.");
        return (samples, features);
    }

    private static bool IsNumber(string cell) => float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string[] ToArrayWithoutEmpty(this IEnumerable<string> cells)
    {
        var kept = new List<string>();
        foreach (string c in cells) if (c.Length > 0) kept.Add(c);
        return kept.ToArray();
    }

    private static IEnumerable<string> Skip(this List<string> cells, int count)
    {
        for (int i = count; i < cells.Count; i++) yield return cells[i];
    }

    /// <summary>Splits a line into trimmed, unquoted cells; ' ' as delimiter means any run of spaces and tabs.</summary>
    private static void SplitCells(string line, char delimiter, List<string> cells)
    {
        cells.Clear();
        if (delimiter == ' ')
        {
            foreach (string cell in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) cells.Add(Unquote(cell));
            return;
        }
        foreach (string cell in line.Split(delimiter)) cells.Add(Unquote(cell.Trim()));
    }

    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1] : cell;
}

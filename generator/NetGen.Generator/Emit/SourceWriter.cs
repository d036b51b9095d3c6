using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>A small indentation-aware text writer: the generator writes text, not syntax trees.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Indent() => _indent++;
    public void Unindent() => _indent--;

    /// <summary>Writes one line at the current indentation (an empty string writes a blank line).</summary>
    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a line and opens a brace block.</summary>
    public void Open(string line)
    {
        Line(line);
        Line("{");
        Indent();
    }

    /// <summary>Closes a brace block (with an optional suffix such as <c>;</c>).</summary>
    public void Close(string suffix = "")
    {
        Unindent();
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}

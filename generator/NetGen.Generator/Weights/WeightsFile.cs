using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.Weights;

/// <summary>
/// One <c>.safetensors</c> AdditionalFiles item as the generator sees it: its path and bytes, or why they
/// could not be read. Equal bytes compare equal, so an unchanged file leaves the pipeline cached.
/// </summary>
/// <remarks>
/// Roslyn gives analyzers additional files only as text (<see cref="AdditionalText.GetText"/>), and
/// generators may not read files themselves (RS1035). The bytes are recovered from that text by
/// encoding it back with the encoding the compiler decoded it with: exact when that encoding is a
/// single-byte one (Latin-1 / code page 1252, the compiler's fallback) or when the file happened to be
/// valid UTF-8. When the compiler refuses the file (it detects binary content) or decoding lost bytes
/// (U+FFFD from invalid UTF-8), the file is reported unreadable, and the supported route is the
/// text form: the same file base64-encoded with the extension <c>.safetensors.base64</c>, which
/// NetGen's build targets write from a <c>.safetensors</c> file (see docs/embedded-inference.md).
/// </remarks>
public sealed record WeightsFile(string Path, string? Error, EquatableArray<byte> Bytes)
{
    /// <summary>The extensions the pipeline reads: the binary file, and its base64 text form.</summary>
    public const string Extension = ".safetensors", Base64Extension = ".safetensors.base64";

    /// <summary>Whether an additional file is one the pipeline reads.</summary>
    public static bool IsWeights(AdditionalText text)
        => text.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) || text.Path.EndsWith(Base64Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name the attribute matches: the path without <c>.base64</c>.</summary>
    public string LogicalPath => Path.EndsWith(".base64", StringComparison.OrdinalIgnoreCase) ? Path.Substring(0, Path.Length - ".base64".Length) : Path;

    /// <summary>Reads an additional file's bytes through the text the compiler gives.</summary>
    public static WeightsFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        SourceText? source;
        try
        {
            source = text.GetText(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new WeightsFile(text.Path, e.Message, EquatableArray<byte>.Empty);
        }
        if (source is null) return new WeightsFile(text.Path, "the compiler could not read it as an additional file (a binary file is refused: add its .safetensors.base64 form instead)", EquatableArray<byte>.Empty);
        string content = source.ToString();
        if (text.Path.EndsWith(Base64Extension, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new WeightsFile(text.Path, null, new EquatableArray<byte>(Convert.FromBase64String(content.Trim())));
            }
            catch (FormatException)
            {
                return new WeightsFile(text.Path, "its text is not base64", EquatableArray<byte>.Empty);
            }
        }
        System.Text.Encoding? encoding = source.Encoding;
        if (encoding is null || (encoding is System.Text.UTF8Encoding && content.IndexOf('\uFFFD') >= 0) || !encoding.IsSingleByte && encoding is not System.Text.UTF8Encoding)
            return new WeightsFile(text.Path, $"the compiler decoded it as text ({encoding?.WebName ?? "unknown encoding"}) and its bytes cannot be recovered: add its .safetensors.base64 form instead", EquatableArray<byte>.Empty);
        return new WeightsFile(text.Path, null, new EquatableArray<byte>(encoding.GetBytes(content)));
    }

    /// <summary>Whether this file is the one <paramref name="declared"/> names: the same path, or a path ending in it.</summary>
    public bool Matches(string declared)
    {
        string path = LogicalPath.Replace('\\', '/');
        string name = declared.Replace('\\', '/').TrimStart('.', '/');
        return path.Equals(name, StringComparison.OrdinalIgnoreCase) || path.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase);
    }
}

using System;
using System.IO;

namespace NetGen.Serialization;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a mix: the
/// bytes go to a temporary file in the same directory, are flushed to disk, and the temporary file then
/// replaces the target with one rename (<see cref="File.Move(string, string, bool)"/>).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Tests set this to wrap the temporary file's stream (to fail mid-write, say). Per thread, so parallel tests do not interfere.</summary>
    [ThreadStatic] internal static Func<Stream, Stream>? WrapStreamForTesting;

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>; on any failure the target is untouched and the temporary file removed.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? ".";
        // A unique name: a temporary file left by an earlier crash, or a concurrent save, is never reused.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Stream stream = WrapStreamForTesting?.Invoke(file) ?? file;
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}

using System;
using System.IO;
using System.Linq;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Runtime.Tests.Serialization;

public class AtomicSaveTests
{
    /// <summary>A stream that throws once more than <see cref="_limit"/> bytes have been written, as a full disk or a crash would.</summary>
    private sealed class FailingStream(Stream inner, long limit) : Stream
    {
        private long _written;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > limit) throw new IOException("simulated failure mid-write");
            _written += buffer.Length;
            inner.Write(buffer);
        }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(1000)]
    public void AFailureMidWriteLeavesTheOldFileIntactAndNoTemporaryFile(long failAfter)
    {
        string dir = TestFiles.NewTempDirectory();
        string path = Path.Combine(dir, "model.safetensors");
        var old = new LinearModel<float>(20, 10, LinearHead.MeanSquaredError, seed: 1);
        SafeTensors.Save(old, path);
        byte[] oldBytes = File.ReadAllBytes(path);

        var updated = new LinearModel<float>(20, 10, LinearHead.MeanSquaredError, seed: 2);
        AtomicFile.WrapStreamForTesting = s => new FailingStream(s, failAfter);
        try
        {
            var e = Assert.Throws<IOException>(() => SafeTensors.Save(updated, path));
            Assert.Equal("simulated failure mid-write", e.Message);
        }
        finally
        {
            AtomicFile.WrapStreamForTesting = null;
        }

        Assert.Equal(oldBytes, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));
        var reloaded = new LinearModel<float>(20, 10, LinearHead.MeanSquaredError, seed: 3);
        SafeTensors.Load(reloaded, path);
        Assert.Equal(old.Parameters.ToArray(), reloaded.Parameters.ToArray());
    }

    [Fact]
    public void AStaleTemporaryFileFromAnEarlierCrashDoesNotDisturbSaving()
    {
        string dir = TestFiles.NewTempDirectory();
        string path = Path.Combine(dir, "model.safetensors");
        string stale = Path.Combine(dir, ".model.safetensors.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(stale, "half a file");
        var net = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError);
        SafeTensors.Save(net, path);
        var reloaded = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 9);
        SafeTensors.Load(reloaded, path);
        Assert.Equal(net.Parameters.ToArray(), reloaded.Parameters.ToArray());
        Assert.Equal("half a file", File.ReadAllText(stale)); // another writer's file is not ours to touch
    }

    [Fact]
    public void SavingReplacesAnExistingFile()
    {
        string path = Path.Combine(TestFiles.NewTempDirectory(), "model.safetensors");
        SafeTensors.Save(new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 1), path);
        var second = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 2);
        SafeTensors.Save(second, path);
        var reloaded = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 3);
        SafeTensors.Load(reloaded, path);
        Assert.Equal(second.Parameters.ToArray(), reloaded.Parameters.ToArray());
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Runtime.Tests.Serialization;

/// <summary>Every damaged file fails with <see cref="InvalidDataException"/> and leaves the network as it was.</summary>
public class SafeTensorsCorruptionTests
{
    private readonly string _dir = TestFiles.NewTempDirectory();
    private readonly byte[] _good;
    private readonly int _headerEnd;
    private readonly float[] _savedParameters;

    public SafeTensorsCorruptionTests()
    {
        var source = new LinearModel<float>(6, 4, LinearHead.MeanSquaredError, seed: 1, momentum: true);
        source.OptimizerState.Fill(0.5f);
        string path = Path.Combine(_dir, "good.safetensors");
        SafeTensors.SaveCheckpoint(source, path);
        _good = File.ReadAllBytes(path);
        _headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(_good);
        _savedParameters = source.Parameters.ToArray();
    }

    /// <summary>Loads <paramref name="bytes"/> into a fresh network (seed 2), checking that a failure is an InvalidDataException and changes nothing.</summary>
    private (bool Loaded, LinearModel<float> Net) TryLoad(byte[] bytes, bool checkpoint = true)
    {
        string path = Path.Combine(_dir, "damaged.safetensors");
        File.WriteAllBytes(path, bytes);
        var net = new LinearModel<float>(6, 4, LinearHead.MeanSquaredError, seed: 2, momentum: true);
        float[] parameters = net.Parameters.ToArray();
        float[] state = net.OptimizerState.ToArray();
        (long step, double lr, ulong random) = (net.OptimizerStep, net.LearningRate, net.RandomState);
        try
        {
            if (checkpoint) SafeTensors.LoadCheckpoint(net, path); else SafeTensors.Load(net, path);
            return (true, net);
        }
        catch (Exception e)
        {
            Assert.IsType<InvalidDataException>(e);
            Assert.Contains(path, e.Message);
            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.Equal(state, net.OptimizerState.ToArray());
            Assert.Equal((step, lr, random), (net.OptimizerStep, net.LearningRate, net.RandomState));
            return (false, net);
        }
    }

    [Fact]
    public void TheUndamagedFileLoads() => Assert.True(TryLoad(_good).Loaded);

    [Fact]
    public void TruncationAtEveryHeaderOffsetFails()
    {
        for (int length = 0; length <= _headerEnd; length++)
            Assert.False(TryLoad(_good[..length]).Loaded, $"truncated to {length} bytes");
    }

    [Fact]
    public void TruncationInsideTheDataFails()
    {
        for (int length = _headerEnd + 1; length < _good.Length; length += 7)
            Assert.False(TryLoad(_good[..length]).Loaded, $"truncated to {length} bytes");
        Assert.False(TryLoad(_good[..^1]).Loaded);
        Assert.False(TryLoad([.. _good, 0]).Loaded); // a trailing byte no tensor covers
    }

    [Fact]
    public void InvertingAnyHeaderByteFails()
    {
        // Every byte of the length prefix and the JSON, inverted: the JSON byte becomes invalid UTF-8, the length wrong.
        for (int i = 0; i < _headerEnd; i++)
        {
            byte[] bytes = (byte[])_good.Clone();
            bytes[i] ^= 0xFF;
            Assert.False(TryLoad(bytes).Loaded, $"byte {i} inverted");
        }
    }

    [Fact]
    public void FlippingTheLowBitOfAnyHeaderByteFailsOrLoadsTheSavedValues()
    {
        // A one-bit change can leave valid JSON with the same meaning (padding, a metadata character):
        // then the load must give exactly the saved parameters, never garbage.
        int failures = 0;
        for (int i = 0; i < _headerEnd; i++)
        {
            byte[] bytes = (byte[])_good.Clone();
            bytes[i] ^= 0x01;
            (bool loaded, LinearModel<float> net) = TryLoad(bytes, checkpoint: false);
            if (loaded) Assert.Equal(_savedParameters, net.Parameters.ToArray());
            else failures++;
        }
        Assert.True(failures > _headerEnd / 2, $"only {failures} of {_headerEnd} flips were caught");
    }

    public static IEnumerable<object[]> BadHeaders() =>
    [
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16, "'w' appears twice"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "gap"],
        ["""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'w': data_offsets [0, 8] hold 8 bytes, but F32 [3] needs 12"],
        ["""{"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", 8, "unknown dtype 'F33'"],
        ["""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "non-negative integers"],
        ["""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8, "non-negative integers"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "not [begin, end]"],
        ["""{"w":{"dtype":"F32","shape":[2]}}""", 8, "missing data_offsets"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "past the 4-byte data area"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "the rest is unaccounted for"],
        ["""{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}""", 8, "too large"],
        ["""{"__metadata__":{"a":1}}""", 0, "'a' is not a string"],
        ["""{"\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "cannot be decoded"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x""", 8, "not valid JSON"],
        ["""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", 8, "not valid JSON"],
        ["""[1,2]""", 0, "does not start with '{'"],
        ["""{"w":[]}""", 8, "tensor 'w': expected StartObject"],
    ];

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void MalformedHeadersAreRejectedSayingWhatIsWrong(string json, int dataBytes, string expected)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        byte[] bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(bytes, "x.safetensors"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileOrTheLimitIsRejected()
    {
        byte[] bytes = (byte[])_good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("runs past the end", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(bytes, "f")).Message);
        byte[] huge = new byte[8 + SafeTensorsFile.MaxHeaderLength + 1];
        BinaryPrimitives.WriteUInt64LittleEndian(huge, (ulong)SafeTensorsFile.MaxHeaderLength + 1);
        Assert.Contains("exceeds the limit", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(huge, "f")).Message);
    }

    [Fact]
    public void InvalidUtf8HeaderIsRejected()
    {
        byte[] bytes = [2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', 0xC3];
        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(bytes, "f")).Message);
    }

    [Fact]
    public void CheckpointSlotCountTooLargeForAnIntIsRejected()
    {
        string text = System.Text.Encoding.UTF8.GetString(_good, 8, _headerEnd - 8);
        string patched = text.Replace("\"netgen.optimizer_slots\":\"1\"", "\"netgen.optimizer_slots\":\"99999999999\"");
        Assert.NotEqual(text, patched);
        byte[] header = System.Text.Encoding.UTF8.GetBytes(patched);
        byte[] bytes = new byte[8 + header.Length + _good.Length - _headerEnd];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        _good.AsSpan(_headerEnd).CopyTo(bytes.AsSpan(8 + header.Length));
        Assert.False(TryLoad(bytes).Loaded);
    }

    [Fact]
    public void CorruptCheckpointMetadataIsRejectedNamingTheKey()
    {
        string text = Encoding.UTF8.GetString(_good, 8, _headerEnd - 8);
        int at = text.IndexOf("\"netgen.optimizer_step\":\"", StringComparison.Ordinal) + "\"netgen.optimizer_step\":\"".Length;
        byte[] bytes = (byte[])_good.Clone();
        bytes[8 + at] = (byte)'x';
        Assert.False(TryLoad(bytes).Loaded);
        var net = new LinearModel<float>(6, 4, LinearHead.MeanSquaredError, momentum: true);
        File.WriteAllBytes(Path.Combine(_dir, "m.safetensors"), bytes);
        Assert.Contains("'netgen.optimizer_step'", Assert.Throws<InvalidDataException>(() => SafeTensors.LoadCheckpoint(net, Path.Combine(_dir, "m.safetensors"))).Message);
    }
}

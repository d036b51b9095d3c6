using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Runtime.Tests.Serialization;

public class SafeTensorsRoundTripTests
{
    private static string NewPath() => Path.Combine(TestFiles.NewTempDirectory(), "model.safetensors");

    [Fact]
    public void FloatParametersRoundTripBitForBit()
    {
        var saved = new LinearModel<float>(784, 10, LinearHead.SoftmaxCrossEntropy, seed: 1);
        var loaded = new LinearModel<float>(784, 10, LinearHead.SoftmaxCrossEntropy, seed: 2);
        string path = NewPath();
        SafeTensors.Save(saved, path);
        SafeTensors.Load(loaded, path);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void DoubleParametersRoundTripBitForBit()
    {
        var saved = new LinearModel<double>(5, 3, LinearHead.MeanSquaredError, seed: 1);
        var loaded = new LinearModel<double>(5, 3, LinearHead.MeanSquaredError, seed: 2);
        string path = NewPath();
        SafeTensors.Save<LinearModel<double>, double>(saved, path);
        SafeTensors.Load<LinearModel<double>, double>(loaded, path);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal("F64", SafeTensorsFile.Read(path).Tensors["layers.0.weight"].DType);
    }

    [Fact]
    public void FileFollowsTheFormatWithPyTorchNamesShapesAndOffsets()
    {
        var net = new LinearModel<float>(784, 128, LinearHead.MeanSquaredError);
        string path = NewPath();
        SafeTensors.Save(net, path, new Dictionary<string, string> { ["epochs"] = "5" });
        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + n) % 8); // data 8-byte aligned
        Assert.Equal(8 + (long)n + 4L * (128 * 784 + 128), bytes.Length);

        // Read the header with an independent JSON parser.
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n));
        JsonElement weight = header.RootElement.GetProperty("layers.0.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([128, 784], weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 4L * 128 * 784], weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        JsonElement bias = header.RootElement.GetProperty("layers.0.bias");
        Assert.Equal([128], bias.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("5", header.RootElement.GetProperty("__metadata__").GetProperty("epochs").GetString());

        // W[1, 2] sits at row-major index 1·784 + 2, little-endian.
        float w12 = BitConverter.ToSingle(bytes, 8 + (int)n + 4 * (784 + 2));
        Assert.Equal(net.Parameters[784 + 2], w12);
    }

    [Fact]
    public void LoadsAFileBuiltByHandFromTheSpecification()
    {
        // Written as PyTorch's save_file would: tensors in any order, metadata last, no padding.
        string json = "{\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}," +
                      "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] header = Encoding.UTF8.GetBytes(json);
        var file = new List<byte>();
        file.AddRange(BitConverter.GetBytes((ulong)header.Length));
        file.AddRange(header);
        foreach (float v in new[] { 1f, 2f, 3f, 4f, -1f, -2f }) file.AddRange(BitConverter.GetBytes(v));
        string path = NewPath();
        File.WriteAllBytes(path, file.ToArray());
        var net = new LinearModel<float>(2, 2, LinearHead.MeanSquaredError);
        SafeTensors.Load(net, path);
        Assert.Equal([1f, 2f, 3f, 4f, -1f, -2f], net.Parameters.ToArray());
    }

    [Fact]
    public void CheckpointResumesTrainingBitForBit()
    {
        float[] x = [1f, 2f, 3f, -1f, 0.5f, 2f], t = [1f, 0f, 0f, 1f];
        var original = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, momentum: true, learningRate: 0.05);
        for (int i = 0; i < 3; i++) original.TrainStep(x, t, 2);
        original.RandomState = 0xDEADBEEFCAFEUL;
        original.LearningRate = 0.0123456789012345;
        string path = NewPath();
        SafeTensors.SaveCheckpoint(original, path);
        for (int i = 0; i < 3; i++) original.TrainStep(x, t, 2);

        var resumed = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 99, momentum: true);
        SafeTensors.LoadCheckpoint(resumed, path);
        Assert.Equal(3, resumed.OptimizerStep);
        Assert.Equal(0xDEADBEEFCAFEUL, resumed.RandomState);
        Assert.Equal(0.0123456789012345, resumed.LearningRate);
        resumed.LearningRate = original.LearningRate;
        for (int i = 0; i < 3; i++) resumed.TrainStep(x, t, 2);
        Assert.Equal(original.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(original.OptimizerState.ToArray(), resumed.OptimizerState.ToArray());
        Assert.Contains(SafeTensors.OptimizerTensorName(0, "layers.0.weight"), SafeTensorsFile.Read(path).Tensors.Keys);
        Assert.Equal("optimizer.slot0.layers.0.weight", SafeTensors.OptimizerTensorName(0, "layers.0.weight"));
    }

    [Fact]
    public void ParametersLoadFromACheckpointButACheckpointDoesNotLoadFromAParameterFile()
    {
        var net = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, momentum: true);
        string checkpoint = NewPath(), weights = NewPath();
        SafeTensors.SaveCheckpoint(net, checkpoint);
        SafeTensors.Save(net, weights);
        var other = new LinearModel<float>(3, 2, LinearHead.MeanSquaredError, seed: 5, momentum: true);
        SafeTensors.Load(other, checkpoint); // extra optimizer tensors are ignored
        Assert.Equal(net.Parameters.ToArray(), other.Parameters.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadCheckpoint(other, weights));
        Assert.Contains("netgen.optimizer_slots", e.Message);
    }

    [Fact]
    public void ANetworkOfAnotherShapeOrDTypeIsRejectedNamingTheTensorAndLeftUnchanged()
    {
        string path = NewPath();
        SafeTensors.Save(new LinearModel<float>(4, 3, LinearHead.MeanSquaredError), path);

        var wider = new LinearModel<float>(5, 3, LinearHead.MeanSquaredError);
        float[] before = wider.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(wider, path));
        Assert.Contains("tensor 'layers.0.weight' has shape [3, 4]; the network needs [3, 5]", e.Message);
        Assert.Equal(before, wider.Parameters.ToArray());

        var renamed = new LinearModel<float>(4, 3, LinearHead.MeanSquaredError, layerName: "encoder");
        Assert.Contains("tensor 'encoder.weight' is missing", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(renamed, path)).Message);

        var asDouble = new LinearModel<double>(4, 3, LinearHead.MeanSquaredError);
        Assert.Contains("tensor 'layers.0.weight' is F32; the network needs F64",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load<LinearModel<double>, double>(asDouble, path)).Message);
    }
}

public class SafeTensorsHalfPrecisionTests
{
    [Fact]
    public void HalfParametersRoundTripAsF16()
    {
        var saved = new LinearModel<Half>(3, 2, LinearHead.MeanSquaredError, seed: 1);
        var loaded = new LinearModel<Half>(3, 2, LinearHead.MeanSquaredError, seed: 2);
        string path = Path.Combine(TestFiles.NewTempDirectory(), "half.safetensors");
        SafeTensors.Save<LinearModel<Half>, Half>(saved, path);
        SafeTensors.Load<LinearModel<Half>, Half>(loaded, path);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal("F16", SafeTensorsFile.Read(path).Tensors["layers.0.bias"].DType);
    }
}

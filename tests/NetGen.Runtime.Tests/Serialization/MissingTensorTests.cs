using System.Collections.Generic;
using System.IO;
using NetGen.Runtime.Tests.Support;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Runtime.Tests.Serialization;

/// <summary>Issue 17 items 6 and 9: a missing tensor lists what the file holds and suggests the Name that maps PyTorch's numbering.</summary>
public class MissingTensorTests
{
    /// <summary>What PyTorch's Sequential(Linear(2, 3), ReLU(), Linear(3, 1)) saves: layers.0.* and layers.2.*.</summary>
    private static string WriteSequentialFile()
    {
        string path = Path.Combine(TestFiles.NewTempDirectory(), "torch.safetensors");
        var tensors = new List<TensorSlice>
        {
            new("layers.0.weight", [3, 2], 0, 0, 6), new("layers.0.bias", [3], 0, 6, 3),
            new("layers.2.weight", [1, 3], 0, 9, 3), new("layers.2.bias", [1], 0, 12, 1),
        };
        var values = new float[13];
        for (int i = 0; i < values.Length; i++) values[i] = i;
        using (var stream = File.Create(path))
            SafeTensorsWriter.Write<float>(stream, tensors, values, [], new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    [Fact]
    public void AMissingTensorListsTheFileAndSuggestsTheName()
    {
        string path = WriteSequentialFile();
        // NetGen's default name for the second Dense is layers.1 (it does not count the ReLU).
        var net = new LinearModel<float>(3, 1, LinearHead.MeanSquaredError, layerName: "layers.1");
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(net, path));
        Assert.Contains("'layers.1.weight' is missing", e.Message);
        Assert.Contains("Name = \"layers.2\"", e.Message);
        Assert.Contains("The file holds 4 tensors: layers.0.bias F32 [3], layers.0.weight F32 [3, 2], layers.2.bias F32 [1], layers.2.weight F32 [1, 3].", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        // Following the advice loads it.
        var renamed = new LinearModel<float>(3, 1, LinearHead.MeanSquaredError, layerName: "layers.2");
        SafeTensors.Load(renamed, path);
        Assert.Equal([9f, 10f, 11f, 12f], renamed.Parameters.ToArray());
    }

    [Fact]
    public void NoNameIsSuggestedWhenNoTensorHasTheShape()
    {
        string path = WriteSequentialFile();
        var net = new LinearModel<float>(5, 5, LinearHead.MeanSquaredError, layerName: "layers.1");
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(net, path));
        Assert.DoesNotContain("Name =", e.Message);
        Assert.Contains("The file holds 4 tensors", e.Message);
    }

    [Fact]
    public void TensorInfoPrintsNameDtypeAndShape()
    {
        SafeTensorsFile file = SafeTensorsFile.Read(WriteSequentialFile());
        Assert.Equal("layers.0.weight F32 [3, 2]", file.Tensors["layers.0.weight"].ToString());
    }
}

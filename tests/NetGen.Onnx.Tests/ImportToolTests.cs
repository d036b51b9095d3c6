using System;
using System.IO;
using Google.Protobuf;
using NetGen.Onnx.Import;
using NetGen.Onnx.Schema;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>The <c>netgen import</c> command and the importer's errors.</summary>
public sealed class ImportToolTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "netgen-tool-" + Guid.NewGuid().ToString("N"));

    public ImportToolTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Linear → HardSigmoid: a model with one operator NetGen does not import.</summary>
    private static ModelProto WithHardSigmoid()
    {
        var m = new TorchStyleModel(seed: 21);
        string z = m.Linear("fc", "input", 4, 3, out _, out _);
        m.Node("HardSigmoid", "/act/HardSigmoid", new[] { z }, new[] { "output" });
        return m.Model("input", TensorProto.Types.DataType.Float, new long[] { 4 }, "output", new long[] { 3 });
    }

    [Fact]
    public void An_unsupported_operator_is_an_error_naming_the_node_and_its_operator()
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(WithHardSigmoid(), "Net"));
        Assert.Contains("/act/HardSigmoid", e.Message);
        Assert.Contains("HardSigmoid", e.Message);
        Assert.Equal("HardSigmoid", e.OpType);
    }

    [Fact]
    public void The_command_exits_non_zero_naming_the_node()
    {
        string model = Path.Combine(_folder, "bad.onnx");
        File.WriteAllBytes(model, WithHardSigmoid().ToByteArray());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = NetGen.Import.Program.Run(new[] { "import", model, "--class", "Bad", "--out", _folder }, output, error);
        Assert.Equal(1, code);
        Assert.Contains("'/act/HardSigmoid' (HardSigmoid)", error.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "Bad.cs")));
    }

    [Fact]
    public void The_command_writes_the_declaration_and_the_weights()
    {
        string model = Path.Combine(_folder, "mlp.onnx");
        OnnxExport.Save(new DenseSoftmaxNet(), model);
        var output = new StringWriter();
        int code = NetGen.Import.Program.Run(new[] { "import", model, "--class", "Mlp", "--namespace", "Models", "--out", Path.Combine(_folder, "out"), "--embed" }, output, new StringWriter());
        Assert.Equal(0, code);
        string source = File.ReadAllText(Path.Combine(_folder, "out", "Mlp.cs"));
        Assert.Contains("namespace Models;", source);
        Assert.Contains("[Network(Loss = Loss.CrossEntropy, Weights = \"Mlp.safetensors\")]", source);
        Assert.Contains("[Dense(5, Activation.ReLU)]", source);
        Assert.Contains("public partial class Mlp { }", source);
        var weights = NetGen.Serialization.SafeTensorsFile.Read(Path.Combine(_folder, "out", "Mlp.safetensors"));
        Assert.Equal(new long[] { 5, 7 }, weights.Tensors["layers.0.weight"].Shape);
        Assert.Equal(4, weights.Tensors.Count);
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        Assert.Equal(2, NetGen.Import.Program.Run(Array.Empty<string>(), new StringWriter(), new StringWriter()));
        var error = new StringWriter();
        Assert.Equal(2, NetGen.Import.Program.Run(new[] { "import", "model.onnx" }, new StringWriter(), error));
        Assert.Contains("--class", error.ToString());
    }

    [Fact]
    public void A_branching_graph_is_refused_naming_the_node()
    {
        // x → Relu → Add(Relu, x): a residual join, not a chain of layers.
        var m = new TorchStyleModel(seed: 22);
        string relu = m.Node("Relu", "/relu/Relu", new[] { "input" });
        m.Node("Add", "/Add", new[] { relu, "input" }, new[] { "output" });
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(m.Model("input", TensorProto.Types.DataType.Float, new long[] { 4 }, "output", new long[] { 4 }), "Net"));
        Assert.Contains("'/Add' (Add)", e.Message);
    }
}

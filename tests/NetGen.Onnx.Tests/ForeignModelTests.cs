using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Onnx.Import;
using NetGen.Onnx.Schema;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Foreign ONNX → import → NetGen: models in the shapes PyTorch's exporter writes, imported, compiled through the
/// generator and loaded with the imported safetensors, give ONNX Runtime's outputs (1e-5 relative).
/// </summary>
public sealed class ForeignModelTests
{
    [Fact]
    public void Pytorch_mlp_with_gemm_transB()
    {
        var m = new TorchStyleModel(seed: 11);
        string h = m.Node("Relu", "/relu/Relu", new[] { m.Linear("fc1", "input", 6, 8, out _, out _) });
        string logits = m.Linear("fc2", h, 8, 3, out float[] w2, out _);
        m.Node("Softmax", "/softmax/Softmax", new[] { logits }, new[] { "output" }, TorchStyleModel.Int("axis", 1));
        ModelProto model = m.Model("input", TensorProto.Types.DataType.Float, new long[] { 6 }, "output", new long[] { 3 });

        ImportedNetwork imported = AssertImportMatchesOnnxRuntime(model, "[Input(6)] [Dense(8, Activation.ReLU)] [Dense(3, Activation.Softmax)]", new[] { 6 });
        Assert.Equal(w2, imported.Tensors.Single(t => t.Name == "layers.1.weight").Values); // Gemm's B with transB = 1 is [out, in] already
    }

    [Fact]
    public void Pytorch_lstm_in_onnx_gate_order_i_o_f_c_with_B_as_Wb_Rb()
    {
        const int steps = 5, features = 3, hidden = 4;
        var m = new TorchStyleModel(seed: 12);
        // PyTorch's nn.LSTM parameters, gates i, f, g, o ...
        float[] wih = m.Random(4 * hidden * features), whh = m.Random(4 * hidden * hidden), bih = m.Random(4 * hidden), bhh = m.Random(4 * hidden);
        // ... written as the exporter writes them: blocks i, o, f, c (c is PyTorch's g), W [1, 4H, in], R [1, 4H, H], B [1, 8H] = [Wb, Rb].
        int[] iofc = { 0, 3, 1, 2 };
        string x = m.Node("Transpose", "/lstm/Transpose", new[] { "input" }, null, TorchStyleModel.Ints("perm", 1, 0, 2));
        string[] outputs = { "/lstm/LSTM_output_0", "/lstm/LSTM_output_1", "/lstm/LSTM_output_2" };
        m.Node("LSTM", "/lstm/LSTM", new[]
        {
            x,
            m.Weight("onnx::LSTM_W", TorchStyleModel.Blocks(wih, hidden, features, iofc), 1, 4 * hidden, features),
            m.Weight("onnx::LSTM_R", TorchStyleModel.Blocks(whh, hidden, hidden, iofc), 1, 4 * hidden, hidden),
            m.Weight("onnx::LSTM_B", TorchStyleModel.Blocks(bih, hidden, 1, iofc).Concat(TorchStyleModel.Blocks(bhh, hidden, 1, iofc)).ToArray(), 1, 8 * hidden),
            "", "", "",
        }, outputs, TorchStyleModel.Int("hidden_size", hidden));
        string last = m.Node("Squeeze", "/Squeeze", new[] { outputs[1], m.Int64Constant("/Constant_output_0", 0) });
        m.Node("Gemm", "/fc/Gemm", new[] { last, m.Weight("fc.weight", m.Random(2 * hidden), 2, hidden), m.Weight("fc.bias", m.Random(2), 2) }, new[] { "output" },
            TorchStyleModel.Float("alpha", 1f), TorchStyleModel.Float("beta", 1f), TorchStyleModel.Int("transB", 1));
        ModelProto model = m.Model("input", TensorProto.Types.DataType.Float, new long[] { steps, features }, "output", new long[] { 2 });

        ImportedNetwork imported = AssertImportMatchesOnnxRuntime(model, "[Input(5, 3)] [Lstm(4)] [Dense(2)]", new[] { steps, features });
        // The gates are back in PyTorch's order and B is split into its two biases.
        Assert.Equal(wih, imported.Tensors.Single(t => t.Name == "layers.0.weight_ih_l0").Values);
        Assert.Equal(whh, imported.Tensors.Single(t => t.Name == "layers.0.weight_hh_l0").Values);
        Assert.Equal(bih, imported.Tensors.Single(t => t.Name == "layers.0.bias_ih_l0").Values);
        Assert.Equal(bhh, imported.Tensors.Single(t => t.Name == "layers.0.bias_hh_l0").Values);
    }

    [Fact]
    public void Pytorch_cnn_conv_relu_max_pool_flatten_linear()
    {
        var m = new TorchStyleModel(seed: 13);
        string conv = m.Node("Conv", "/conv/Conv", new[] { "input", m.Weight("conv.weight", m.Random(4 * 1 * 3 * 3), 4, 1, 3, 3), m.Weight("conv.bias", m.Random(4), 4) }, null,
            TorchStyleModel.Ints("dilations", 1, 1), TorchStyleModel.Int("group", 1), TorchStyleModel.Ints("kernel_shape", 3, 3), TorchStyleModel.Ints("pads", 1, 1, 1, 1), TorchStyleModel.Ints("strides", 1, 1));
        string relu = m.Node("Relu", "/relu/Relu", new[] { conv });
        string pool = m.Node("MaxPool", "/pool/MaxPool", new[] { relu }, null,
            TorchStyleModel.Int("ceil_mode", 0), TorchStyleModel.Ints("kernel_shape", 2, 2), TorchStyleModel.Ints("pads", 0, 0, 0, 0), TorchStyleModel.Ints("strides", 2, 2));
        string flat = m.Node("Flatten", "/Flatten", new[] { pool }, null, TorchStyleModel.Int("axis", 1));
        m.Node("Gemm", "/fc/Gemm", new[] { flat, m.Weight("fc.weight", m.Random(3 * 64), 3, 64), m.Weight("fc.bias", m.Random(3), 3) }, new[] { "output" },
            TorchStyleModel.Float("alpha", 1f), TorchStyleModel.Float("beta", 1f), TorchStyleModel.Int("transB", 1));
        ModelProto model = m.Model("input", TensorProto.Types.DataType.Float, new long[] { 1, 8, 8 }, "output", new long[] { 3 });

        AssertImportMatchesOnnxRuntime(model, "[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU, Padding = 1)] [MaxPool2D(2)] [Flatten] [Dense(3)]", new[] { 1, 8, 8 });
    }

    [Fact]
    public void Pytorch_embedding_gru_z_r_h_with_linear_before_reset()
    {
        const int steps = 6, vocabulary = 10, dims = 4, hidden = 5;
        var m = new TorchStyleModel(seed: 14);
        float[] wih = m.Random(3 * hidden * dims), whh = m.Random(3 * hidden * hidden), bih = m.Random(3 * hidden), bhh = m.Random(3 * hidden);
        int[] zrh = { 1, 0, 2 }; // ONNX z, r, h from PyTorch's r, z, n
        string embedded = m.Node("Gather", "/embedding/Gather", new[] { m.Weight("embedding.weight", m.Random(vocabulary * dims), vocabulary, dims), "input" });
        string x = m.Node("Transpose", "/gru/Transpose", new[] { embedded }, null, TorchStyleModel.Ints("perm", 1, 0, 2));
        string[] outputs = { "/gru/GRU_output_0", "/gru/GRU_output_1" };
        m.Node("GRU", "/gru/GRU", new[]
        {
            x,
            m.Weight("onnx::GRU_W", TorchStyleModel.Blocks(wih, hidden, dims, zrh), 1, 3 * hidden, dims),
            m.Weight("onnx::GRU_R", TorchStyleModel.Blocks(whh, hidden, hidden, zrh), 1, 3 * hidden, hidden),
            m.Weight("onnx::GRU_B", TorchStyleModel.Blocks(bih, hidden, 1, zrh).Concat(TorchStyleModel.Blocks(bhh, hidden, 1, zrh)).ToArray(), 1, 6 * hidden),
        }, outputs, TorchStyleModel.Int("hidden_size", hidden), TorchStyleModel.Int("linear_before_reset", 1));
        string last = m.Node("Squeeze", "/Squeeze", new[] { outputs[1], m.Int64Constant("/Constant_output_0", 0) });
        m.Node("Gemm", "/fc/Gemm", new[] { last, m.Weight("fc.weight", m.Random(2 * hidden), 2, hidden), m.Weight("fc.bias", m.Random(2), 2) }, new[] { "output" },
            TorchStyleModel.Float("alpha", 1f), TorchStyleModel.Float("beta", 1f), TorchStyleModel.Int("transB", 1));
        ModelProto model = m.Model("input", TensorProto.Types.DataType.Int64, new long[] { steps }, "output", new long[] { 2 });

        ImportedNetwork imported = AssertImportMatchesOnnxRuntime(model, "[Input(6)] [Embedding(10, 4)] [Gru(5)] [Dense(2)]", new[] { steps }, vocabulary);
        Assert.Equal(wih, imported.Tensors.Single(t => t.Name == "layers.1.weight_ih_l0").Values);
        Assert.Equal(bhh, imported.Tensors.Single(t => t.Name == "layers.1.bias_hh_l0").Values);
    }

    /// <summary>Imports, checks the declaration, compiles it, loads the weights and compares Predict with ONNX Runtime on a batch of 3.</summary>
    private static ImportedNetwork AssertImportMatchesOnnxRuntime(ModelProto model, string declaration, int[] inputShape, int vocabulary = 0)
    {
        ImportedNetwork imported = OnnxImporter.Import(model, "Foreign", "Imported");
        Assert.Equal(declaration, imported.Attributes);
        string folder = Path.Combine(Path.GetTempPath(), "netgen-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            (string source, string weights) = imported.Save(folder);
            INetworkState<float> network = DeclarationCompiler.Create(File.ReadAllText(source), "Imported.Foreign");
            SafeTensors.Load(network, weights);
            float[] ours = RoundTripTests.Predictions(network, vocabulary);
            byte[] bytes = model.ToByteArray();
            float[] theirs;
            if (vocabulary > 0)
            {
                var random = new Random(3);
                theirs = OnnxRuntimeCheck.Run(bytes, Enumerable.Range(0, 3 * network.InputSize).Select(_ => random.Next(vocabulary)).ToArray(), 3);
            }
            else theirs = OnnxRuntimeCheck.Run(bytes, OnnxRuntimeCheck.Inputs(3 * network.InputSize, 3), 3, inputShape);
            OnnxRuntimeCheck.AssertClose(theirs, ours, declaration);
        }
        finally { Directory.Delete(folder, recursive: true); }
        return imported;
    }
}

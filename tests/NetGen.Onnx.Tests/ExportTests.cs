using System;
using System.IO;
using System.Linq;
using NetGen.Onnx.Schema;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>NetGen → ONNX → ONNX Runtime: the same outputs as <c>Predict</c> (1e-5 relative) for every layer kind and activation.</summary>
public sealed class ExportTests
{
    [Fact] public void Dense_relu_softmax() => OnnxRuntimeCheck.AssertExportMatches(new DenseSoftmaxNet());
    [Fact] public void Dense_sigmoid_tanh() => OnnxRuntimeCheck.AssertExportMatches(new SigmoidTanhNet());
    [Fact] public void Dense_leaky_relu_elu_with_alphas() => OnnxRuntimeCheck.AssertExportMatches(new LeakyEluNet());
    [Fact] public void Dense_prelu_swish() => OnnxRuntimeCheck.AssertExportMatches(new PReluSwishNet());
    [Fact] public void Dense_gelu() => OnnxRuntimeCheck.AssertExportMatches(new GeluNet());
    [Fact] public void Perceptron_binary_step() => OnnxRuntimeCheck.AssertExportMatches(new BinaryStepNet());
    [Fact] public void Conv2D_softmax_over_the_image() => OnnxRuntimeCheck.AssertExportMatches(new ConvSoftmaxNet());
    [Fact] public void Activation_layers_prelu_tanh_and_dropout() => OnnxRuntimeCheck.AssertExportMatches(new ActivationLayerNet());
    [Fact] public void Maxout() => OnnxRuntimeCheck.AssertExportMatches(new MaxoutNet());
    [Fact] public void Conv2D_padding_stride_max_pool_flatten() => OnnxRuntimeCheck.AssertExportMatches(new ConvMaxPoolNet());
    [Fact] public void Avg_pool_batch_norm_2d_sigmoid_conv() => OnnxRuntimeCheck.AssertExportMatches(new AvgPoolBatchNormNet());
    [Fact] public void Batch_norm_1d() => OnnxRuntimeCheck.AssertExportMatches(new BatchNorm1dNet());
    [Fact] public void Reshape_conv_transpose_2d() => OnnxRuntimeCheck.AssertExportMatches(new ConvTransposeNet());
    [Fact] public void Simple_rnn_sequences_and_last_step() => OnnxRuntimeCheck.AssertExportMatches(new SimpleRnnNet());
    [Fact] public void Lstm_gate_order_and_dense_per_time_step() => OnnxRuntimeCheck.AssertExportMatches(new LstmNet());
    [Fact] public void Embedding_gru() => OnnxRuntimeCheck.AssertTokenExportMatches(new EmbeddingGruNet(), vocabulary: 11);
    [Fact] public void Positional_embedding_causal_attention_layer_norm_average_pooling() => OnnxRuntimeCheck.AssertTokenExportMatches(new AttentionNet(), vocabulary: 11);
    [Fact] public void Transformer_blocks() => OnnxRuntimeCheck.AssertExportMatches(new TransformerNet());

    [Fact]
    public void Model_declares_opset_17_and_a_symbolic_batch()
    {
        ModelProto model = OnnxExport.ToModel(new LstmNet());
        Assert.Equal(OnnxExport.Opset, model.OpsetImport.Single().Version);
        Assert.True(OnnxExport.Opset <= 21);
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(new long[] { 5, 3 }, model.Graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Contains(model.Graph.Node, n => n.OpType == "LSTM");
    }

    [Fact]
    public void Save_writes_a_file_onnx_runtime_loads()
    {
        var network = new DenseSoftmaxNet();
        string path = Path.Combine(Path.GetTempPath(), $"netgen-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Save(network, path);
            Assert.Equal(OnnxExport.ToBytes(network), File.ReadAllBytes(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_network_without_an_architecture_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxExport.ToModel(new HandWrittenNetwork()));
        Assert.Contains(nameof(HandWrittenNetwork), e.Message);
    }
}

/// <summary>What cannot be exported says which layer.</summary>
public sealed class ExportRefusalTests
{
    [Fact]
    public void An_unknown_layer_kind_is_refused_naming_the_layer_and_kind()
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.ToModel(new UnknownKindNetwork()));
        Assert.Contains("'layers.0'", e.Message);
        Assert.Contains("Quantum", e.Message);
    }
}

/// <summary>A double-precision network exports as float32 (its parameters rounded once).</summary>
public sealed class DoubleExportTests
{
    [Fact]
    public void Double_precision_network_exports_and_matches_within_1e_5()
    {
        const int batch = 3;
        var network = new DoubleNet();
        var random = new Random(9);
        Span<double> p = network.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = random.NextDouble() * 1.6 - 0.8;
        float[] inputs = OnnxRuntimeCheck.Inputs(batch * DoubleNet.InputSize, 10);
        var expected = new double[batch * DoubleNet.OutputSize];
        network.Predict(inputs.Select(v => (double)v).ToArray(), expected, batch);
        float[] actual = OnnxRuntimeCheck.Run(OnnxExport.ToBytes(network), inputs, batch, new[] { 6 });
        OnnxRuntimeCheck.AssertClose(expected.Select(v => (float)v).ToArray(), actual, nameof(DoubleNet));
    }
}

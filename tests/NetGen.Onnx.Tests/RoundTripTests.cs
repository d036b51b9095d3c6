using System;
using System.IO;
using System.Linq;
using NetGen.Onnx.Import;
using NetGen.Serialization;
using Xunit;

namespace NetGen.Onnx.Tests;

/// <summary>
/// NetGen → ONNX → import → NetGen: the same declaration, the same weights under the same names, and the imported
/// declaration compiled through the generator predicts what the original does, bit for bit.
/// </summary>
public sealed class RoundTripTests
{
    [Fact] public void Dense_softmax() => RoundTrip(new DenseSoftmaxNet(), "[Input(7)] [Dense(5, Activation.ReLU)] [Dense(3, Activation.Softmax)]", compile: true);
    [Fact] public void Leaky_relu_and_elu_alphas() => RoundTrip(new LeakyEluNet(), "[Input(7)] [Dense(5, Activation.LeakyReLU, Alpha = 0.2f)] [Dense(3, Activation.ELU, Alpha = 0.7f)]");
    [Fact] public void Sigmoid_tanh() => RoundTrip(new SigmoidTanhNet(), "[Input(7)] [Dense(5, Activation.Sigmoid)] [Dense(3, Activation.Tanh)]");
    [Fact] public void Conv_prelu_max_pool_flatten() => RoundTrip(new ConvMaxPoolNet(), "[Input(2, 9, 9)] [Conv2D(3, 3, Activation.ReLU, Padding = 1)] [MaxPool2D(2)] [Conv2D(5, 3, Activation.PReLU, Stride = 2)] [Flatten] [Dense(3)]", compile: true);
    [Fact] public void Avg_pool_batch_norm_conv() => RoundTrip(new AvgPoolBatchNormNet(), "[Input(3, 7, 7)] [AvgPool2D(3, Stride = 2)] [BatchNorm] [Conv2D(3, 1, Activation.Sigmoid)] [Flatten] [Dense(3)]");
    [Fact] public void Batch_norm_1d() => RoundTrip(new BatchNorm1dNet(), "[Input(5)] [Dense(7)] [BatchNorm] [Dense(3)]");
    [Fact] public void Reshape_conv_transpose() => RoundTrip(new ConvTransposeNet(), "[Input(5)] [Dense(12)] [Reshape(3, 2, 2)] [ConvTranspose2D(2, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1)] [Flatten] [Dense(3)]");
    [Fact] public void Simple_rnn() => RoundTrip(new SimpleRnnNet(), "[Input(5, 3)] [SimpleRnn(4, ReturnSequences = true)] [SimpleRnn(3)] [Dense(2)]");
    [Fact] public void Lstm_and_dense_per_step() => RoundTrip(new LstmNet(), "[Input(5, 3)] [Lstm(4, ReturnSequences = true)] [Dense(3, Activation.Tanh)] [Lstm(3)] [Dense(2)]", compile: true);
    [Fact] public void Embedding_gru() => RoundTrip(new EmbeddingGruNet(), "[Input(5)] [Embedding(11, 3)] [Gru(4, ReturnSequences = true)] [Gru(3)] [Dense(2)]", vocabulary: 11, compile: true);

    private static void RoundTrip<TNetwork>(TNetwork original, string declaration, int vocabulary = 0, bool compile = false) where TNetwork : INetworkState<float>, new()
    {
        OnnxRuntimeCheck.Randomize(original, seed: 7);
        ImportedNetwork imported = OnnxImporter.Import(OnnxExport.ToModel(original), "Imported", "RoundTrip");

        // The same declaration.
        Assert.Equal(declaration, imported.Attributes);

        // The same weights under the same names: every parameter and buffer, value for value.
        var expected = original.ParameterTensors.Select(t => (t.Name, Values: original.Parameters.Slice(t.Offset, t.Length).ToArray()))
            .Concat(original.BufferTensors.Select(t => (t.Name, Values: original.Buffers.Slice(t.Offset, t.Length).ToArray())))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        var actual = imported.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i].Values, actual[i].Values);

        // The imported declaration compiled through the generator (a Roslyn compilation in the test, for a few kinds: it takes
        // seconds), or else the original class (its declaration is the same, asserted above), with the safetensors file
        // loaded, predicts the same.
        string folder = Path.Combine(Path.GetTempPath(), "netgen-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            (string source, string weights) = imported.Save(folder);
            INetworkState<float> copy = compile ? DeclarationCompiler.Create(File.ReadAllText(source), "RoundTrip.Imported") : new TNetwork();
            SafeTensors.Load(copy, weights);
            Assert.Equal(Predictions(original, vocabulary), Predictions(copy, vocabulary));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Predict on a batch of 3 seeded inputs (token ids when <paramref name="vocabulary"/> is set).</summary>
    internal static float[] Predictions(INetworkState<float> network, int vocabulary)
    {
        const int batch = 3;
        var outputs = new float[batch * network.OutputSize];
        if (network is ITokenNetwork<float> tokens)
        {
            var random = new Random(3);
            tokens.Predict(Enumerable.Range(0, batch * network.InputSize).Select(_ => random.Next(vocabulary)).ToArray(), outputs, batch);
        }
        else ((INetwork<float>)network).Predict(OnnxRuntimeCheck.Inputs(batch * network.InputSize, 3), outputs, batch);
        return outputs;
    }
}

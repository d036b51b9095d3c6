using NetGen;

// Attention dropout (MultiHeadAttention's on the attention weights; TransformerBlock's at PyTorch's four sites):
// double networks for the fixed-mask finite differences (odd sizes 1, 3, 5, 7, 17), rate-0 twins of the plain
// networks in AttentionNetworks.cs, and a float token GPT for the allocation test.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [MultiHeadAttention(3, Dropout = 0.3f)] [Flatten] [Dense(2)] public partial class GdAttention7;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [MultiHeadAttention(1, Causal = true, Dropout = 0.4f)] [Flatten] [Dense(2)] public partial class GdAttention7Causal;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [TransformerBlock(3, 5, Dropout = 0.3f)] [GlobalAveragePooling1D] [Dense(2)] public partial class GdBlock7;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [TransformerBlock(1, 5, Causal = true, Dropout = 0.25f)] [Flatten] [Dense(2)] public partial class GdBlock7Causal;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [TransformerBlock(1, 17, Dropout = 0.5f)] [GlobalAveragePooling1D] [Dense(2)] public partial class GdBlock1;

// Dropout = 0 written out: the same networks as GcAttention7 and GcBlock7.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [MultiHeadAttention(3, Dropout = 0f)] [Flatten] [Dense(2)] public partial class GdAttention7Zero;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [TransformerBlock(3, 5, Dropout = 0f)] [GlobalAveragePooling1D] [Dense(2)] public partial class GdBlock7Zero;

// A causal token stack with dropout (it still steps) and its dropout-free twin.
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy, Seed = 3)]
[Input(6)] [Embedding(9, 4)] [PositionalEmbedding(6)] [TransformerBlock(2, 5, Causal = true, Dropout = 0.3f)] [MultiHeadAttention(4, Causal = true, Dropout = 0.2f)] [LayerNorm] [Dense(9, Activation.Softmax)]
public partial class GdTokenGpt;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy, Seed = 3)]
[Input(6)] [Embedding(9, 4)] [PositionalEmbedding(6)] [TransformerBlock(2, 5, Causal = true)] [MultiHeadAttention(4, Causal = true)] [LayerNorm] [Dense(9, Activation.Softmax)]
public partial class GdTokenGptNoDropout;

// A float GPT with dropout everywhere, AdamW and clipping, for the allocation test.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, ClipNorm = 1f)]
[Input(16)] [Embedding(11, 8)] [PositionalEmbedding(16)] [TransformerBlock(2, 12, Causal = true, Dropout = 0.2f)] [MultiHeadAttention(2, Causal = true, Dropout = 0.1f)] [LayerNorm] [Dense(11, Activation.Softmax)]
public partial class FloatDropoutGpt;

public partial class GdAttention7 : IComposable;
public partial class GdAttention7Causal : IComposable;
public partial class GdBlock7 : IComposable;
public partial class GdBlock7Causal : IComposable;
public partial class GdBlock1 : IComposable;

using NetGen;

// Causal token networks that get a generated Step with key/value caches (DESIGN.md §6, Generation): one
// TransformerBlock with one head, two blocks with several heads (GcTokenGpt in TokenAttentionNetworks.cs), a
// MultiHeadAttention stack, a width of 17 with heads = width, and a float GPT (FloatTokenGpt) for the tolerance
// and the allocation test; a non-causal block has no Step.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(5)] [Embedding(7, 3)] [PositionalEmbedding(6)] [TransformerBlock(1, 5, Causal = true)] [LayerNorm] [Dense(7, Activation.Softmax)]
public partial class StepGptOneBlock;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(6)] [Embedding(9, 6)] [PositionalEmbedding(6)] [MultiHeadAttention(3, Causal = true)] [LayerNorm] [Dense(9, Activation.GELU)] [Dense(9, Activation.Softmax)]
public partial class StepAttentionStack;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(4)] [Embedding(5, 17)] [PositionalEmbedding(4)] [TransformerBlock(17, 3, Causal = true)] [TransformerBlock(1, 17, Causal = true)] [LayerNorm] [Dense(5)]
public partial class StepGptWide;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)] [Embedding(7, 4)] [PositionalEmbedding(5)] [TransformerBlock(2, 5)] [LayerNorm] [Dense(7, Activation.Softmax)]
public partial class NonCausalTokenEncoder;

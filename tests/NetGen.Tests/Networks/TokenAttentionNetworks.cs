using NetGen;

// Token-input attention stacks ([Input(t)] [Embedding] [PositionalEmbedding] [TransformerBlock] ...): a GPT-like
// next-token model (class ids per time step) and a BERT-like classifier (one class id per sample), in double for
// the finite differences, and a float GPT with AdamW and ClipNorm for the allocation test.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(7)] [Embedding(11, 6)] [PositionalEmbedding(7)] [TransformerBlock(3, 5, Causal = true)] [TransformerBlock(1, 7, Causal = true)] [LayerNorm] [Dense(11, Activation.Softmax)]
public partial class GcTokenGpt;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(7)] [Embedding(11, 3)] [PositionalEmbedding(9)] [TransformerBlock(3, 5)] [GlobalAveragePooling1D] [Dense(2, Activation.Softmax)]
public partial class GcTokenBert;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)]
[Input(1)] [Embedding(5, 3)] [PositionalEmbedding(1)] [TransformerBlock(1, 3, Causal = true)] [Dense(5, Activation.Softmax)]
public partial class GcTokenGptOneStep;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 1e-3f, Beta2 = 0.99f, WeightDecay = 0.1f, ClipNorm = 1f)]
[Input(16)] [Embedding(29, 16)] [PositionalEmbedding(16)] [TransformerBlock(4, 64, Causal = true)] [TransformerBlock(4, 64, Causal = true)] [LayerNorm] [Dense(29, Activation.Softmax)]
public partial class FloatTokenGpt;

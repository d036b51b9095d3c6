using NetGen;

// Networks for the attention kinds, GELU and AdamW on the GPU runner, odd sizes: GELU as a Dense activation
// (fused into the next layer's dx product), as a standalone layer and at every time step; AdamW with its
// matrices-only decay; MultiHeadAttention causal and not, one head and heads = width, sequences of 1 and 7;
// attention and TransformerBlock dropout (the CPU's masks, between a Dropout layer's draws); a TransformerBlock (its GELU, LayerNorms and
// residuals); and a BERT-style classifier over token ids.
namespace NetGen.Gpu.Tests.Networks;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 0.01f, WeightDecay = 0.1f, Seed = 71)]
[Input(6)]
[Dense(9, Activation.GELU)]
[Dense(5, Activation.Tanh)]
[Activation(Activation.GELU)]
[Dense(3, Activation.Softmax)]
public partial class GeluAdamW;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 72)]
[Input(4, 3)]
[Dense(5, Activation.GELU)]
[LayerNorm]
[Dense(2, Activation.GELU)]
public partial class GeluAtEveryStepAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, LearningRate = 0.01f, Seed = 73)]
[Input(7, 6)]
[MultiHeadAttention(2, Causal = true)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class CausalAttentionAdamW;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 74)]
[Input(7, 3)]
[Dense(4, Activation.Tanh)]
[MultiHeadAttention(1)]
[Flatten]
[Dense(2)]
public partial class OneHeadAttentionAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 75)]
[Input(7, 4)]
[MultiHeadAttention(4, Causal = true)]
[MultiHeadAttention(4)]
public partial class HeadsEqualWidthMomentum;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 76)]
[Input(1, 4)]
[MultiHeadAttention(2, Causal = true)]
[Flatten]
[Dense(1, Activation.Sigmoid)]
public partial class OneStepAttentionSgd;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, LearningRate = 0.01f, Seed = 77)]
[Input(7, 6)]
[Dense(6)]
[TransformerBlock(3, 5, Causal = true)]
[TransformerBlock(2, 9)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class TransformerBlocksAdamW;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 78)]
[Input(1, 4)]
[TransformerBlock(4, 3)]
public partial class OneStepTransformerBlockAdam;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 0.01f, Seed = 79)]
[Input(7)]
[Embedding(13, 6)]
[PositionalEmbedding(7)]
[TransformerBlock(2, 11)]
[GlobalAveragePooling1D]
[Dense(3, Activation.Softmax)]
public partial class BertClassifierAdamW;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 80)]
[Input(7, 4)]
[MultiHeadAttention(2, Causal = true, Dropout = 0.25f)]
[Dropout(0.2f)]
[MultiHeadAttention(4, Dropout = 0.5f)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class AttentionDropoutAdam;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 0.01f, Seed = 81)]
[Input(7)]
[Embedding(13, 6)]
[PositionalEmbedding(7)]
[Dropout(0.1f)]
[TransformerBlock(2, 11, Causal = true, Dropout = 0.3f)]
[TransformerBlock(3, 5, Dropout = 0.2f)]
[GlobalAveragePooling1D]
[Dense(3, Activation.Softmax)]
public partial class BlockDropoutClassifierAdamW;

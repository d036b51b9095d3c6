using NetGen;

// Double-precision networks for the attention kinds' finite-difference checks (odd sizes 1, 3, 5, 7, 17),
// GELU as a Dense activation and as a layer, AdamW and ClipNorm against their formulas, and a float GPT-like
// stack for the allocation test.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.GELU)] [Dense(2)] public partial class GcGelu;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(4)] [Activation(Activation.GELU)] [Dense(2)] public partial class GcGeluLayer;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(3, Activation.Tanh)] [LayerNorm] [Dense(2)] public partial class GcLayerNormVector;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [LayerNorm] [Flatten] [Dense(2)] public partial class GcLayerNormSequence;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [PositionalEmbedding(9)] [Dense(5, Activation.Tanh)] [Flatten] [Dense(2)] public partial class GcPositional;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [Dense(5, Activation.Tanh)] [GlobalAveragePooling1D] [Dense(2)] public partial class GcAveragePooling;

// Attention: heads = width and heads = 1, causal or not, 7 steps and 1 step.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [MultiHeadAttention(3)] [Flatten] [Dense(2)] public partial class GcAttention7;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [MultiHeadAttention(1, Causal = true)] [Flatten] [Dense(2)] public partial class GcAttention7Causal;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [MultiHeadAttention(3, Causal = true)] [Dense(2)] public partial class GcAttention1;

// Whole TransformerBlocks: causal and not, 7 and 1 steps, heads 1 and heads = width.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [TransformerBlock(3, 5)] [GlobalAveragePooling1D] [Dense(2)] public partial class GcBlock7;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7, 3)] [TransformerBlock(1, 5, Causal = true)] [Flatten] [Dense(2)] public partial class GcBlock7Causal;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [TransformerBlock(1, 17)] [GlobalAveragePooling1D] [Dense(2)] public partial class GcBlock1;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [TransformerBlock(3, 5, Causal = true)] [Dense(1)] public partial class GcBlock1Causal;
// A small GPT-like stack ending in a sequence (trained on MSE): positions, two blocks, a final norm, a head.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)]
[Input(7, 3)] [PositionalEmbedding(7)] [TransformerBlock(3, 5, Causal = true)] [TransformerBlock(1, 7, Causal = true)] [LayerNorm] [Dense(3, Activation.Softmax)]
public partial class GcGptStack;
// The block alone, for the comparison with the runtime kernel.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 5)] [Input(7, 3)] [TransformerBlock(3, 5, Causal = true)] public partial class GcBlockAlone;

public partial class GcGelu : IComposable;
public partial class GcGeluLayer : IComposable;
public partial class GcLayerNormVector : IComposable;
public partial class GcLayerNormSequence : IComposable;
public partial class GcPositional : IComposable;
public partial class GcAveragePooling : IComposable;
public partial class GcAttention7 : IComposable;
public partial class GcAttention7Causal : IComposable;
public partial class GcAttention1 : IComposable;
public partial class GcBlock7 : IComposable;
public partial class GcBlock7Causal : IComposable;
public partial class GcBlock1 : IComposable;
public partial class GcBlock1Causal : IComposable;
public partial class GcGptStack : IComposable;

// AdamW (explicit λ and the default 0.01) and ClipNorm, checked against their formulas.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, LearningRate = 0.05f, WeightDecay = 0.3f, Beta2 = 0.99f, Seed = 2)]
[Input(3)] [Dense(5, Activation.Tanh)] [LayerNorm] [Dense(2)]
public partial class AdamWNet;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, Seed = 2)]
[Input(3)] [Dense(5, Activation.Tanh)] [LayerNorm] [Dense(2)]
public partial class AdamWDefaultNet;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, ClipNorm = 0.25f, Seed = 4)]
[Input(3)] [Dense(5, Activation.Tanh)] [Dense(2)]
public partial class ClipNet;

// A float GPT-like stack with AdamW and clipping, for the allocation test.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, ClipNorm = 1f)]
[Input(9, 8)] [PositionalEmbedding(16)] [TransformerBlock(4, 16, Causal = true)] [TransformerBlock(2, 8)] [LayerNorm] [MultiHeadAttention(2)] [GlobalAveragePooling1D] [Dense(3, Activation.GELU)]
public partial class FloatAttentionStack;

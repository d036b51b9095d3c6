using NetGen;

namespace NetGen.Benchmarks.NetGenRows;

// The sequence workloads (see Workloads/CharModels.cs), declared as a NetGen user declares them.

/// <summary>Issue 11's train step: Embedding(65→64) + LSTM(128) over 64 steps + per-step Dense(65) softmax, Adam.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, Seed = 1)]
[Input(64)]
[Embedding(65, 64)]
[Lstm(128, ReturnSequences = true)]
[Dense(65, Activation.Softmax)]
public partial class CharLstmNet;

/// <summary>The same with a GRU.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, Seed = 1)]
[Input(64)]
[Embedding(65, 64)]
[Gru(128, ReturnSequences = true)]
[Dense(65, Activation.Softmax)]
public partial class CharGruNet;

/// <summary>Issue 12's ShakespeareGpt: nanoGPT's CPU configuration (4 blocks, 4 heads, 128 wide, context 64), AdamW β₂ 0.99, weight decay 0.1, clip 1.0.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, LearningRate = 1e-3f, Beta2 = 0.99f, WeightDecay = 0.1f, ClipNorm = 1f, Seed = 1)]
[Input(64)]
[Embedding(65, 128)]
[PositionalEmbedding(64)]
[TransformerBlock(4, 512, Causal = true)]
[TransformerBlock(4, 512, Causal = true)]
[TransformerBlock(4, 512, Causal = true)]
[TransformerBlock(4, 512, Causal = true)]
[LayerNorm]
[Dense(65, Activation.Softmax)]
public partial class CharGptNet;

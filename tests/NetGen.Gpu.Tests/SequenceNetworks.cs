using NetGen;

// Networks over sequences and token ids on the GPU runner, odd sizes (1, 3, 17; sequence lengths 1 and 5):
// Embedding (vocabulary 17 and 3, repeated ids in a batch), PositionalEmbedding (first, and after an
// Embedding), LayerNorm at every time step, Dense at every time step (a pair, the first one's tanh fused into
// the second's dx product), GlobalAveragePooling1D, Flatten of a sequence, and a sequence output under MSE after Dropout and an
// Activation at every step.
namespace NetGen.Gpu.Tests.Networks;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 51)]
[Input(5)]
[Embedding(17, 3)]
[PositionalEmbedding(7)]
[LayerNorm]
[GlobalAveragePooling1D]
[Dense(3, Activation.Softmax)]
public partial class TokenAverageAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 52)]
[Input(1)]
[Embedding(3, 1)]
[Flatten]
[Dense(1)]
public partial class TokenSingleStepSgd;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, WeightDecay = 0.01f, Seed = 53)]
[Input(5, 3)]
[PositionalEmbedding(5)]
[Dense(17, Activation.Tanh)]
[Dense(3, Activation.ReLU)]
[LayerNorm]
[GlobalAveragePooling1D]
[Dense(1)]
public partial class SequenceDenseMomentum;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, Seed = 54)]
[Input(1, 3)]
[Dense(3, Activation.Sigmoid)]
[LayerNorm]
[Flatten]
[Dense(1, Activation.Sigmoid)]
public partial class SingleStepSequenceRmsProp;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 55)]
[Input(5, 3)]
[Dense(3, Activation.Tanh)]
[Dropout(0.3f)]
[Activation(Activation.ELU)]
[Dense(1)]
public partial class SequenceOutputMseAdam;

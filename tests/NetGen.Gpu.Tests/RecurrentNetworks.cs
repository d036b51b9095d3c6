using NetGen;

// Recurrent networks on the GPU runner, odd sizes (hidden 3 and 17, sequence lengths 1 and 5, batches 1 and 3):
// SimpleRnn, Lstm and Gru each returning the last step and every step, a stacked Lstm → Gru → SimpleRnn, a
// per-step Dense (tanh) before a Gru (its dz written by its own kernel), and an Embedding before an Lstm.
namespace NetGen.Gpu.Tests.Networks;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 71)]
[Input(5, 3)]
[SimpleRnn(17)]
[Dense(2)]
public partial class SimpleRnnLastStepAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 72)]
[Input(5, 2)]
[SimpleRnn(3, ReturnSequences = true)]
public partial class SimpleRnnSequenceMomentum;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 73)]
[Input(5, 3)]
[Lstm(3)]
[Dense(3, Activation.Softmax)]
public partial class LstmLastStepSoftmaxAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, Seed = 74)]
[Input(1, 4)]
[Lstm(17, ReturnSequences = true)]
[Dense(1)]
public partial class LstmOneStepSequenceRmsProp;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, WeightDecay = 0.01f, Seed = 75)]
[Input(1, 3)]
[Gru(3)]
[Dense(1, Activation.Sigmoid)]
public partial class GruOneStepBceSgd;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 76)]
[Input(5, 3)]
[Gru(17, ReturnSequences = true)]
[LayerNorm]
[GlobalAveragePooling1D]
[Dense(3)]
public partial class GruSequenceAverageAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 77)]
[Input(5, 3)]
[Lstm(17, ReturnSequences = true)]
[Gru(3, ReturnSequences = true)]
[SimpleRnn(3)]
[Dense(2)]
public partial class StackedRecurrentAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 78)]
[Input(5, 3)]
[Dense(4, Activation.Tanh)]
[Gru(3)]
[Dense(1)]
public partial class DenseBeforeGruMomentum;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 79)]
[Input(5)]
[Embedding(11, 3)]
[Lstm(3, ReturnSequences = true)]
[Lstm(17)]
[Dense(3, Activation.Softmax)]
public partial class TokenLstmAdam;

// Per-time-step cross entropy: the char-LSTM shape (token ids → Embedding → Lstm(every step) → Dense(v, Softmax) at
// every step, one-hot targets [t, v]), a Gru's Linear logits at every step, and a per-step softmax under MSE.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, ClipNorm = 1f, Seed = 80)]
[Input(5)]
[Embedding(7, 3)]
[Lstm(17, ReturnSequences = true)]
[Dense(7, Activation.Softmax)]
public partial class CharLstmAdam;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 81)]
[Input(5, 3)]
[Gru(3, ReturnSequences = true)]
[Dense(3)]
public partial class GruLogitsPerStepMomentum;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 82)]
[Input(5, 3)]
[SimpleRnn(3, ReturnSequences = true)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxPerStepMseSgd;

// ClipNorm under plain SGD (where the clipping factor changes the step): a norm well above 0.01.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.5f, ClipNorm = 0.01f, Seed = 83)]
[Input(5, 3)]
[Lstm(3, ReturnSequences = true)]
[Dense(2)]
public partial class ClippedLstmSgd;

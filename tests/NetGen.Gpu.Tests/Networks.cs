using NetGen;

// Small networks with odd sizes (1, 3, 7, 17) that together cover every activation, layer kind,
// loss (plain and fused) and optimizer (with and without weight decay) the CPU path supports.
namespace NetGen.Gpu.Tests.Networks;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, Seed = 1)]
[Input(3)]
[Dense(7, Activation.Sigmoid)]
[Dense(1)]
public partial class SigmoidMseSgd;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, WeightDecay = 0.01f, Seed = 2)]
[Input(7)]
[Dense(17, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class TanhMseMomentum;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 3)]
[Input(17)]
[Dense(7, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class ReluSoftmaxCrossEntropyAdam;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, Seed = 4)]
[Input(3)]
[Dense(7, Activation.LeakyReLU, Alpha = 0.1f)]
[Dense(1, Activation.Sigmoid)]
public partial class LeakySigmoidBceRmsProp;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, WeightDecay = 0.001f, Seed = 5)]
[Input(7)]
[Dense(3, Activation.PReLU)]
[Dense(7)]
public partial class PReluMseAdamDecay;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 6)]
[Input(1)]
[Dense(17, Activation.ELU, Alpha = 0.5f)]
[Dense(3, Activation.Sigmoid)]
public partial class EluSigmoidMseMomentum;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 7)]
[Input(7)]
[Dense(7, Activation.Swish)]
[Dense(3, Activation.Softmax)]
public partial class SwishSoftmaxMseSgd;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 8)]
[Input(7)]
[Dense(17)]
[Activation(Activation.Tanh)]
[Activation(Activation.PReLU)]
[Dense(3)]
[Activation(Activation.Softmax)]
public partial class StandaloneActivationsAdam;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 9)]
[Input(3)]
[Dense(7, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
[Activation(Activation.Linear)]
public partial class PlainBceAdam;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, WeightDecay = 0.01f, Seed = 10)]
[Input(3)]
[Dense(3, Activation.Sigmoid)]
public partial class PlainCrossEntropySgdDecay;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 11)]
[Input(7)]
[Maxout(3, 3)]
[Dense(1)]
public partial class MaxoutMseAdam;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 12)]
[Input(17)]
[Dense(7, Activation.ReLU)]
[Dropout(0.5f)]
[Dense(3, Activation.Softmax)]
public partial class DropoutAdam;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, WeightDecay = 0.01f, Seed = 13)]
[Input(1, 3, 3)]
[Flatten]
[Activation(Activation.Swish)]
[Dense(3, Activation.Sigmoid)]
public partial class FlattenSigmoidBceRmsPropDecay;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, Seed = 15)]
[Input(17)]
[Dense(17, Activation.ELU)]
[Dense(7, Activation.Swish)]
[Dense(3, Activation.LeakyReLU)]
public partial class DeepMseRmsProp;

// With a batch of 65, wider than one 64×64 block of the tiled products in rows and columns
// (the k direction crosses tiles of 16 throughout).
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 16)]
[Input(3)]
[Dense(65, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class WiderThanABlock;

// Linear outputs read as logits (issue 17 item 1): CrossEntropyLoss and BCEWithLogitsLoss.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 2)]
[Input(4)]
[Dense(16, Activation.ReLU)]
[Dense(3)]
public partial class LinearLogitsCrossEntropyAdam;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 13)]
[Input(17)]
[Dense(7, Activation.Tanh)]
[Dense(1)]
public partial class LinearLogitsBceSgd;

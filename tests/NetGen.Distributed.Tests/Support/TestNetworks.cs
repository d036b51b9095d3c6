using NetGen;

namespace NetGen.Distributed.Tests;

// One small network per optimizer; weight decay and dropout where they change the update or the masks.

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, WeightDecay = 0.01f, Seed = 1)]
[Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class SgdNet;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Momentum, LearningRate = 0.03f, Momentum = 0.8f, Seed = 2)]
[Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class MomentumNet;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, RmsDecay = 0.95f, Epsilon = 1e-6f, Seed = 3)]
[Input(5)] [Dense(7, Activation.ReLU)] [Dense(3)]
public partial class RmsPropNet;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Beta1 = 0.85f, WeightDecay = 0.001f, Seed = 4)]
[Input(5)] [Dense(7, Activation.ReLU)] [Dropout(0.3f)] [Dense(3, Activation.Softmax)]
public partial class AdamDropoutNet;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Beta2 = 0.99f, Precision = Precision.Double, Seed = 5)]
[Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class AdamDoubleNet;

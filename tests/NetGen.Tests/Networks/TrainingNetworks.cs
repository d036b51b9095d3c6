using NetGen;

namespace NetGen.Tests.Networks;

// One tiny network per optimizer, with weight decay, for the update-formula tests.
[Network(Precision = Precision.Double, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, WeightDecay = 0.01f)] [Input(3)] [Dense(2)] public partial class OptSgd;
[Network(Precision = Precision.Double, Optimizer = Optimizer.Momentum, LearningRate = 0.1f, Momentum = 0.8f, WeightDecay = 0.01f)] [Input(3)] [Dense(2)] public partial class OptMomentum;
[Network(Precision = Precision.Double, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, RmsDecay = 0.9f, Epsilon = 1e-6f, WeightDecay = 0.01f)] [Input(3)] [Dense(2)] public partial class OptRmsProp;
[Network(Precision = Precision.Double, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Beta1 = 0.8f, Beta2 = 0.95f, Epsilon = 1e-6f, WeightDecay = 0.01f)] [Input(3)] [Dense(2)] public partial class OptAdam;

// XOR: a perceptron cannot separate it; a small Tanh MLP can.
[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05f, Seed = 1)]
[Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class XorNetwork;

// scikit-learn's digits (8×8 images, 10 classes).
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-3f, Seed = 7)]
[Input(64)] [Dense(64, Activation.ReLU)] [Dropout(0.1f)] [Dense(10, Activation.Softmax)]
public partial class DigitsNetwork;

// Rosenblatt's perceptron on two Iris classes.
[Network(Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 3)]
[Input(4)] [Dense(1, Activation.BinaryStep)]
public partial class IrisPerceptron;

using NetGen;

namespace NetGen.Benchmarks.NetGenRows;

// The benchmarked networks, declared as a NetGen user declares them; the generator emits the rest at build time.

/// <summary>Workload 1: 784-128-10, ReLU, Softmax + CrossEntropy, SGD 0.01.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.01f, Seed = 1)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Mlp784Net;

/// <summary>Workload 2 (SimpleChains.jl's README problem): 4-32-16-4, Tanh, Tanh, identity, MSE, Adam 1e-3.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 1)]
[Input(4)]
[Dense(32, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(4)]
public partial class SimpleChainsNet;

/// <summary>Workload 3: LeNet-5 as examples/LeNet5 declares it (Adam 1e-3, CrossEntropy).</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 1)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5Net;

/// <summary>The main job's network (examples/FashionMnist), for the fit-loop profile (<c>--fit</c>).</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2f)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet;

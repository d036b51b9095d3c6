using NetGen;

// BatchNorm on the GPU runner with odd sizes: 1d over 1 and 17 features (first, so no input gradient, and
// between dense layers), and 2d over 3 channels of 2×2 and of 4×4 in a DCGAN-shaped generator
// (Dense → Reshape → BatchNorm → ConvTranspose2D → BatchNorm → ConvTranspose2D).
namespace NetGen.Gpu.Tests.Networks;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 41)]
[Input(1)]
[BatchNorm]
[Dense(17, Activation.ReLU)]
[BatchNorm]
[Dense(3, Activation.Softmax)]
public partial class BatchNorm1dAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, WeightDecay = 0.01f, Seed = 42)]
[Input(3)]
[Dense(12, Activation.ReLU)]
[Reshape(3, 2, 2)]
[BatchNorm]
[ConvTranspose2D(3, 3, Activation.ReLU, Stride = 2, Padding = 1, OutputPadding = 1)]
[BatchNorm]
[ConvTranspose2D(1, 3, Activation.Tanh, Padding = 1)]
public partial class DcganGeneratorMomentum;

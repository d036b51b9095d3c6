using NetGen;

// Small convolutional (and layer-normalised) networks with odd sizes (1, 3, 17 channels; 7×7, 9×9, 8×7 images) and shapes
// that do not divide (padding, strides, windows that skip the last rows, overlapping windows) that
// together cover Conv2D (every activation family, PReLU per filter, a fused loss on its output),
// MaxPool2D, AvgPool2D, Reshape, Flatten and Dropout on images on the GPU runner.
namespace NetGen.Gpu.Tests.Networks;

// LeNet-like: conv (padding) → max pool whose 2×2 windows skip the 9th row and column → conv with stride 2 over 17 filters.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 21)]
[Input(1, 9, 9)]
[Conv2D(3, 3, Activation.ReLU, Padding = 1)]
[MaxPool2D(2)]
[Conv2D(17, 2, Activation = Activation.Tanh, Stride = 2)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class ConvMaxPoolAdam;

// PReLU with one slope per filter, stride 2 with padding 2 (5×5 out of 8×7), overlapping average windows.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, WeightDecay = 0.01f, Seed = 22)]
[Input(3, 8, 7)]
[Conv2D(3, 3, Activation.PReLU, Stride = 2, Padding = 2)]
[AvgPool2D(3, Stride = 2)]
[Flatten]
[Dense(1)]
public partial class ConvPReluAvgPoolMomentum;

// A dense layer reshaped into an image (so the convolution's input gradient is needed), a linear
// convolution with a kernel of 2 and padding 1, max windows of 3 with stride 1 (overlapping).
[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, Seed = 23)]
[Input(7)]
[Dense(18, Activation.Sigmoid)]
[Reshape(2, 3, 3)]
[Conv2D(3, 2, Padding = 1)]
[MaxPool2D(3, Stride = 1)]
[Flatten]
[Dense(2, Activation.Sigmoid)]
public partial class ReshapeConvOverlappingMaxPoolRmsProp;

// A convolution as the last layer, its sigmoid fused with binary cross entropy; dropout on an image before it.
[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 24)]
[Input(2, 6, 5)]
[Conv2D(3, 3, Activation.ELU)]
[Dropout(0.3f)]
[Conv2D(1, 2, Activation.Sigmoid)]
public partial class ConvSigmoidBceDropoutAdam;

// One 7×7 channel through a 7×7 kernel (a single output position), Swish, SGD.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, Seed = 25)]
[Input(1, 7, 7)]
[Conv2D(17, 7, Activation.Swish)]
[Flatten]
[Dense(3, Activation.LeakyReLU)]
public partial class ConvWholeImageSgd;

// LayerNorm over vectors: between dense layers (its input gradient needed), and first over 3 features.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 26)]
[Input(7)]
[Dense(17, Activation.Tanh)]
[LayerNorm]
[Dense(3, Activation.Softmax)]
public partial class LayerNormBetweenDenseAdam;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 27)]
[Input(3)]
[LayerNorm]
[Dense(1)]
public partial class LayerNormFirstSgd;

// ConvTranspose2D: a generator-like stack (dense → reshape → transposed convolutions with stride 2,
// padding and output padding, PReLU per filter), and one with stride 3 and a kernel smaller than the stride.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 28)]
[Input(3)]
[Dense(12, Activation.ReLU)]
[Reshape(3, 2, 2)]
[ConvTranspose2D(3, 3, Activation.PReLU, Stride = 2, Padding = 1, OutputPadding = 1)]
[ConvTranspose2D(1, 3, Activation.Tanh, Padding = 1)]
public partial class ConvTransposeGeneratorAdam;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Momentum, LearningRate = 0.05f, Seed = 29)]
[Input(17, 2, 3)]
[ConvTranspose2D(3, 2, Activation.LeakyReLU, Stride = 3, OutputPadding = 2)]
[Flatten]
[Dense(1, Activation.Sigmoid)]
public partial class ConvTransposeStride3Momentum;

using NetGen;

// Double-precision networks for composition (a generator trained through a discriminator), BatchNorm,
// ConvTranspose2D and Reshape, with odd sizes (1, 3, 5, 17).
namespace NetGen.Tests.Networks;

// BatchNorm1d after a Dense layer and as the first layer; BatchNorm2d per channel after a convolution.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(17, Activation.Tanh)] [BatchNorm] [Dense(1)] public partial class GcBatchNorm1d;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(17)] [BatchNorm] [Dense(3, Activation.Tanh)] public partial class GcBatchNormFirst;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 5, 5)] [Conv2D(3, 3, Activation.Tanh, Padding = 1)] [BatchNorm] [Flatten] [Dense(3)] public partial class GcBatchNorm2d;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3, 3, 3)] [BatchNorm] [Flatten] [Dense(1)] public partial class GcBatchNorm2dFirst;

// ConvTranspose2D: 3×3 → 6×6 (stride 2, padding 1, output padding 1), and stride 1 with a PReLU; Reshape feeding it.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3, 3)] [ConvTranspose2D(3, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1)] [Flatten] [Dense(1)] public partial class GcConvTranspose;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(2, 3, 3)] [ConvTranspose2D(1, 2, Activation.PReLU)] [Flatten] [Dense(3)] public partial class GcConvTransposePReLU;
[Network(Precision = Precision.Double, Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(12, Activation.Tanh)] [Reshape(3, 2, 2)] [ConvTranspose2D(1, 3, Activation.Sigmoid, Stride = 2)] public partial class GcReshapeConvTranspose;

// A small DCGAN-shaped pair, and the same layers declared as one network (generator then discriminator).
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
[Input(3)] [Dense(8)] [BatchNorm] [Activation(Activation.Tanh)] [Reshape(2, 2, 2)] [ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2)]
public partial class GcGenerator;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f)]
[Input(1, 5, 5)] [Conv2D(3, 3, Activation.Tanh, Stride = 2)] [Flatten] [Dense(1)]
public partial class GcDiscriminator;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)]
[Input(3)] [Dense(8)] [BatchNorm] [Activation(Activation.Tanh)] [Reshape(2, 2, 2)] [ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2)]
[Conv2D(3, 3, Activation.Tanh, Stride = 2)] [Flatten] [Dense(1)]
public partial class GcGeneratorThenDiscriminator;

// An MLP pair in float for the allocation test.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.0002f)] [Input(17)] [Dense(33, Activation.ReLU)] [BatchNorm] [Dense(25, Activation.Tanh)] public partial class FloatGenerator;
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.0002f)] [Input(25)] [Dense(33, Activation.LeakyReLU)] [Dense(1)] public partial class FloatDiscriminator;

public partial class GcBatchNorm1d : IComposable;
public partial class GcBatchNormFirst : IComposable;
public partial class GcBatchNorm2d : IComposable;
public partial class GcBatchNorm2dFirst : IComposable;
public partial class GcConvTranspose : IComposable;
public partial class GcConvTransposePReLU : IComposable;
public partial class GcReshapeConvTranspose : IComposable;

// BatchNorm alone, to compare with its formula.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(17)] [BatchNorm] public partial class GcBatchNormOnly1d;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3, 2, 3)] [BatchNorm] public partial class GcBatchNormOnly2d;

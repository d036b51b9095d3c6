using NetGen;

namespace NetGen.Conv.Tests.Networks;

// examples/DcGan's layer sequence at odd sizes, in double for the finite-difference checks: a generator
// z ∈ ℝ³ → Dense(27) → Reshape 3×3×3 → BatchNorm → ReLU → ConvTranspose2D(5, 3, stride 2, padding 1) to 5×5
// → BatchNorm → ReLU → ConvTranspose2D(1, 3, stride 2, padding 1) to 1×9×9, tanh; a discriminator
// 1×9×9 → Conv2D(3, 3, stride 2, padding 1) 3×5×5 → Conv2D(5, 3, stride 2, padding 1) 5×3×3, LeakyReLU 0.2 → one logit.

/// <summary>The tiny DCGAN generator (double).</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 3)]
[Input(3)] [Dense(27)] [Reshape(3, 3, 3)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(5, 3, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class TinyDcGenerator;

/// <summary>The tiny DCGAN discriminator (double).</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 4)]
[Input(1, 9, 9)]
[Conv2D(3, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(5, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten] [Dense(1)]
public partial class TinyDcDiscriminator;

/// <summary>The generator's layers then the discriminator's, declared as one network (parameters: G's then D's).</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)]
[Input(3)] [Dense(27)] [Reshape(3, 3, 3)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(5, 3, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2, Padding = 1)]
[Conv2D(3, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(5, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten] [Dense(1)]
public partial class TinyDcGeneratorThenDiscriminator;

/// <summary>The tiny DCGAN generator in float, for the allocation test.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 3)]
[Input(3)] [Dense(27)] [Reshape(3, 3, 3)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(5, 3, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class TinyDcGeneratorFloat;

/// <summary>The tiny DCGAN discriminator in float, for the allocation test.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 4)]
[Input(1, 9, 9)]
[Conv2D(3, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(5, 3, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten] [Dense(1)]
public partial class TinyDcDiscriminatorFloat;

/// <summary>The tiny float generator with one extra 3×3 convolution (ReLU) at 5×5: examples/DcGan's "deep" G, for Deepening's test.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 5)]
[Input(3)] [Dense(27)] [Reshape(3, 3, 3)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(5, 3, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(5, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(1, 3, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class TinyDcGeneratorDeepFloat;

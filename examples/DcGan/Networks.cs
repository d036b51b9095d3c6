using NetGen;

// The generators and discriminators examples/DcGan can train (chosen by --g and --d). DCGAN's own widths are
// "full" (Radford et al. 2016 scaled to 28×28: G 128×7×7 → 64×14×14, D 64 → 128 filters); "half" halves them.

/// <summary>G, half width: z ∈ ℝ⁶⁴ → 64×7×7 → 32×14×14 → 1×28×28 in [−1, 1]; BatchNorm + ReLU between, as DCGAN does.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(64 * 7 * 7)]
[Reshape(64, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(32, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGenerator;

/// <summary>G, full width: z ∈ ℝ⁶⁴ → 128×7×7 → 64×14×14 → 1×28×28 in [−1, 1] (about 4× the half width's work).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(128 * 7 * 7)]
[Reshape(128, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(64, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGeneratorFull;

/// <summary>D, half width: 1×28×28 → 32×14×14 → 64×7×7 → one logit (real or fake), LeakyReLU 0.2.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(32, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(64, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminator;

/// <summary>D, half width with DCGAN's BatchNorm on the second convolution (none on the first, as DCGAN).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(32, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(64, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminatorBatchNorm;

/// <summary>D, full width: 1×28×28 → 64×14×14 → 128×7×7 → one logit, LeakyReLU 0.2 (about 4× the half width's work).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(64, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(128, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminatorFull;

/// <summary>D, full width with DCGAN's BatchNorm on the second convolution.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(64, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(128, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminatorFullBatchNorm;

/// <summary>
/// G, full width and one convolution deeper: a 3×3 Conv2D (64 → 64, stride 1, ReLU) at 14×14 before the last
/// transposed convolution (about twice the full width's work). <c>--deepen-from</c> starts it from a trained
/// <see cref="DcGeneratorFull"/> with the new convolution set to the identity (Net2DeeperNet), the same function.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(128 * 7 * 7)]
[Reshape(128, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[ConvTranspose2D(64, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGeneratorDeep;

/// <summary>G, full width and two convolutions deeper: a 3×3 Conv2D (ReLU) at 7×7 (128 → 128) and one at 14×14 (64 → 64).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(128 * 7 * 7)]
[Reshape(128, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(64, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGeneratorDeeper;

/// <summary>G, full width and four convolutions deeper: two 3×3 Conv2D (ReLU) at 7×7 (128 → 128) and two at 14×14 (64 → 64).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 1)]
[Input(64)]
[Dense(128 * 7 * 7)]
[Reshape(128, 7, 7)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU)]
[Conv2D(128, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(64, 4, Stride = 2, Padding = 1)] [BatchNorm] [Activation(Activation.ReLU)]
[Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
[Conv2D(64, 3, Padding = 1, Activation = Activation.ReLU)]
[ConvTranspose2D(1, 4, Activation.Tanh, Stride = 2, Padding = 1)]
public partial class DcGeneratorDeepest;

/// <summary>
/// D, full width and one convolution deeper: the second convolution's LeakyReLU moves behind a new 3×3 Conv2D
/// (128 → 128, stride 1) at 7×7. <c>--deepen-d</c> starts it from a trained <see cref="DcDiscriminatorFull"/> with the
/// new convolution set to the identity: LeakyReLU(I·u) = LeakyReLU(u), the same function.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 2)]
[Input(1, 28, 28)]
[Conv2D(64, 4, Stride = 2, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Conv2D(128, 4, Stride = 2, Padding = 1)]
[Conv2D(128, 3, Padding = 1, Activation = Activation.LeakyReLU, Alpha = 0.2f)]
[Flatten]
[Dense(1)]
public partial class DcDiscriminatorDeep;

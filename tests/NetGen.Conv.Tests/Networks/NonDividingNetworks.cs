using NetGen;

namespace NetGen.Conv.Tests.Networks;

// Strides that do not divide (padded size − kernel): PyTorch's ⌊(n + 2p − k)/s⌋ + 1, the rows and
// columns past the last whole window not read (issue 17 item 8).

/// <summary>The GAN discriminator's k3 s2 p1 on 8×8: 3×8×8 → 17×4×4 ((8 + 2 − 3) = 7 is odd), Tanh.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 21)]
[Input(3, 8, 8)]
[Conv2D(17, 3, Stride = 2, Padding = 1, Activation = Activation.Tanh)]
public partial class NonDividingConv;

/// <summary>The same in float (the vectorised paths).</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 22)]
[Input(3, 8, 8)]
[Conv2D(17, 3, Stride = 2, Padding = 1)]
public partial class NonDividingConvFloat;

/// <summary>A discriminator: 1×8×9 → Conv k3 s2 p1 → 3×4×5 → MaxPool2D(2) → 3×2×2 → Dense(1).</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 23)]
[Input(1, 8, 9)]
[Conv2D(3, 3, Stride = 2, Padding = 1, Activation = Activation.Tanh)]
[MaxPool2D(2)]
[Flatten]
[Dense(1)]
public partial class NonDividingDiscriminator;

/// <summary>3×7×8 → AvgPool2D(3, stride 2) → 3×3×3 ((8 − 3) = 5 is odd) → Dense(3).</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 24)]
[Input(3, 7, 8)]
[AvgPool2D(3, Stride = 2)]
[Flatten]
[Dense(3)]
public partial class NonDividingAvgPool;

/// <summary>3×7×8 → MaxPool2D(3, stride 2) → 3×3×3.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 25)]
[Input(3, 7, 8)]
[MaxPool2D(3, Stride = 2)]
public partial class NonDividingMaxPool;

/// <summary>The same in float.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 26)]
[Input(3, 7, 8)]
[MaxPool2D(3, Stride = 2)]
public partial class NonDividingMaxPoolFloat;

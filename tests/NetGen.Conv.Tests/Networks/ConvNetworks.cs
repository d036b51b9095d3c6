using NetGen;

namespace NetGen.Conv.Tests.Networks;

// Double-precision networks with odd shapes (1 and 3 channels, 5×7 images, stride 2, padding 1),
// for the finite-difference gradient checks. MSE keeps the loss smooth in every output.

/// <summary>Conv2D alone: 3×5×7 → 2×3×4 (3×3 kernel, stride 2, padding 1), Tanh.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 1)]
[Input(3, 5, 7)]
[Conv2D(2, 3, Stride = 2, Padding = 1, Activation = Activation.Tanh)]
public partial class StridedConv;

/// <summary>Conv2D (linear, 1 channel, padding 1) → MaxPool2D(2) → Flatten → Dense.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 2)]
[Input(1, 5, 7)]
[Conv2D(3, 2, Padding = 1)]
[MaxPool2D(2)]
[Flatten]
[Dense(2, Activation.Sigmoid)]
public partial class ConvMaxPoolDense;

/// <summary>Conv2D ReLU (stride 2, padding 1) → AvgPool2D(2, stride 1, overlapping) → Flatten → Dense Tanh.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 3)]
[Input(3, 5, 7)]
[Conv2D(4, 3, Stride = 2, Padding = 1, Activation = Activation.ReLU)]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(3, Activation.Tanh)]
public partial class ConvAvgPoolDense;

/// <summary>Overlapping max pooling (3×3 window, stride 2) straight on the input, then a convolution.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 4)]
[Input(3, 5, 7)]
[MaxPool2D(3, Stride = 2)]
[Conv2D(2, 2, Activation = Activation.Swish)]
public partial class OverlappingMaxPoolConv;

/// <summary>Pooling only (no parameters): average pooling of a 1×5×7 image with stride 2.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)]
[Input(1, 5, 7)]
[AvgPool2D(3, Stride = 2)]
public partial class AvgPoolOnly;

/// <summary>Pooling only (no parameters): max pooling, for the forward reference.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)]
[Input(3, 5, 7)]
[MaxPool2D(3, Stride = 2)]
public partial class MaxPoolOnly;

/// <summary>PReLU on a convolution and as a layer over an image: one slope per channel.</summary>
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, Seed = 5)]
[Input(3, 5, 7)]
[Conv2D(2, 3, Padding = 1, Activation = Activation.PReLU)]
[Conv2D(3, 3, Stride = 2)]
[Activation(Activation.PReLU)]
[Flatten]
[Dense(2)]
public partial class ConvPReLU;

/// <summary>A small LeNet with a fused Softmax + CrossEntropy head, in double.</summary>
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy, Seed = 6)]
[Input(1, 12, 12)]
[Conv2D(4, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(6, 3, Activation = Activation.ELU)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class TinyLeNetDouble;

/// <summary>LeNet-5 in float, as the example trains it: for the allocation and timing tests.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Seed = 7)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5;

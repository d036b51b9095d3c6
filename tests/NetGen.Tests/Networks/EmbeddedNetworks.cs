using NetGen;

namespace NetGen.Tests.Networks;

// Each inference-only class (weights compiled in from Weights/*.safetensors, written by
// Weights/make_weights.py) next to its trainable twin: the same layers, weights loaded at run time.

[Network(Loss = Loss.CrossEntropy)] [Input(17)] [Dense(9, Activation.ReLU)] [Dropout(0.25f)] [Dense(3, Activation.Softmax)]
public partial class EmbeddedMlpTrainable;

[Network(Weights = "Weights/embedded-mlp.safetensors")] [Input(17)] [Dense(9, Activation.ReLU)] [Dropout(0.25f)] [Dense(3, Activation.Softmax)]
public partial class EmbeddedMlp;

[Network] [Input(1, 6, 6)] [Conv2D(3, 3, Activation.Tanh, Name = "conv")] [MaxPool2D(2)] [Flatten] [Dense(5, Activation.Sigmoid)]
public partial class EmbeddedConvTrainable;

[Network(Weights = "Weights/embedded-conv.safetensors")] [Input(1, 6, 6)] [Conv2D(3, 3, Activation.Tanh, Name = "conv")] [MaxPool2D(2)] [Flatten] [Dense(5, Activation.Sigmoid)]
public partial class EmbeddedConv;

[Network(Precision = Precision.Double)] [Input(3)] [Dense(1, Activation.Tanh)]
public partial class EmbeddedDoubleTrainable;

[Network(Precision = Precision.Double, Weights = "Weights/embedded-mlp64.safetensors")] [Input(3)] [Dense(1, Activation.Tanh)]
public partial class EmbeddedDouble;

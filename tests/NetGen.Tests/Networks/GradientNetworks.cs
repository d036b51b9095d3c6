using NetGen;

// Double-precision networks for the finite-difference gradient checks: one per activation, loss and
// layer kind, and whole networks with odd sizes.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.Linear)] [Dense(2)] public partial class GcLinear;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.Sigmoid)] [Dense(2)] public partial class GcSigmoid;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(2)] public partial class GcTanh;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.ReLU)] [Dense(2)] public partial class GcReLU;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.LeakyReLU, Alpha = 0.1f)] [Dense(2)] public partial class GcLeakyReLU;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.PReLU)] [Dense(2)] public partial class GcPReLU;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.ELU, Alpha = 0.7f)] [Dense(2)] public partial class GcELU;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.Swish)] [Dense(2)] public partial class GcSwish;

// Softmax through its Jacobian (MSE), and fused with cross entropy from the logits.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class GcSoftmaxMse;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class GcSoftmaxCrossEntropy;
// Sigmoid fused with BCE; BCE on softmax probabilities (unfused); cross entropy on sigmoid probabilities (unfused).
[Network(Precision = Precision.Double, Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(2, Activation.Sigmoid)] public partial class GcSigmoidBce;
[Network(Precision = Precision.Double, Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(2, Activation.Softmax)] public partial class GcSoftmaxBce;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(3, Activation.Sigmoid)] public partial class GcSigmoidCrossEntropy;

// Standalone activation layers, PReLU as a layer, Maxout, Dropout.
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(5)] [Dense(4)] [Activation(Activation.ELU)] [Dense(3)] [Activation(Activation.Softmax)] public partial class GcActivationLayers;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(4)] [Activation(Activation.PReLU)] [Dense(2)] public partial class GcPReLULayer;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5)] [Maxout(3, 4)] [Dense(2)] public partial class GcMaxout;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(6, Activation.Tanh)] [Dropout(0.4f)] [Dense(2)] public partial class GcDropout;

// Whole networks with odd sizes.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1)] [Dense(3, Activation.Tanh)] [Dense(7, Activation.ReLU)] [Dense(17, Activation.Swish)] [Dense(1)] public partial class GcOdd1;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(17)] [Dense(7, Activation.ELU)] [Maxout(3, 2)] [Dense(3, Activation.Softmax)] public partial class GcOdd17;
[Network(Precision = Precision.Double, Loss = Loss.BinaryCrossEntropy)] [Input(7)] [Dense(17, Activation.LeakyReLU)] [Dense(3, Activation.PReLU)] [Dense(1, Activation.Sigmoid)] public partial class GcOdd7;

// A float network and its double twin.
[Network(Loss = Loss.CrossEntropy)] [Input(7)] [Dense(17, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class TwinFloat;
[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(7)] [Dense(17, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class TwinDouble;

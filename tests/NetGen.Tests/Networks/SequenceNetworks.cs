using NetGen;

// Sequence inputs, [Input(timeSteps, features)]: Dense, Activation and Dropout apply at every time step
// (nn.Linear on the last dimension), Flatten turns the [t, f] sample into a vector. Odd sizes throughout.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5, 3)] [Dense(4, Activation.Tanh)] [Flatten] [Dense(2)] public partial class GcSequenceDense;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3, 7)] [Dense(17, Activation.PReLU)] [Dropout(0.3f)] [Activation(Activation.ELU)] [Dense(1)] public partial class GcSequenceOut;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [Dense(5, Activation.Swish)] [Dense(3, Activation.Softmax)] public partial class GcSequenceSoftmax;

public partial class GcSequenceDense : IComposable;
public partial class GcSequenceOut : IComposable;
public partial class GcSequenceSoftmax : IComposable;

// Without dropout, so ComputeGradients and ComputeLoss see the same function (the parameter check compares them).
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(3, 7)] [Dense(17, Activation.PReLU)] [Activation(Activation.ELU)] [Dense(1)] public partial class GcSequencePReLU;

using NetGen;

// Token inputs, [Input(timeSteps)] [Embedding(vocabulary, dimensions)]: the input is integer ids, the
// Embedding's output a sequence [t, d] that per-time-step layers then read. Odd sizes throughout.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(7)] [Embedding(11, 3)] [Dense(5, Activation.Tanh)] [Flatten] [Dense(3)] public partial class GcTokenDense;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(7)] [Embedding(11, 3)] [Dense(5, Activation.Tanh)] [Flatten] [Dense(3, Activation.Softmax)] public partial class GcTokenClassifier;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(13)] [Embedding(17, 3)] [Dense(5, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class GcTokenPerStep;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(1)] [Embedding(1, 1)] [Dense(3, Activation.Softmax)] public partial class GcTokenSingle;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(5, 3)] [Dense(4, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class GcSequenceClassIds;

// Float precision, for the allocation test, the trainer and serialisation.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05f, Seed = 3)]
[Input(4)] [Embedding(5, 8)] [Flatten] [Dense(2, Activation.Softmax)]
public partial class TokenParity;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.02f, Seed = 5)]
[Input(6)] [Embedding(7, 4)] [Dense(9, Activation.Tanh)] [Dropout(0.1f)] [Dense(7, Activation.Softmax)]
public partial class TokenNextStep;

namespace NetGen.Tests.Networks;

// Linear outputs with CrossEntropy / BinaryCrossEntropy: the outputs are logits (PyTorch's CrossEntropyLoss, BCEWithLogitsLoss).
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 2)] [Input(4)] [Dense(16, Activation.ReLU)] [Dense(3)] public partial class LogitRepro;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(3)] [Dense(17, Activation.Tanh)] [Dense(3)] public partial class GcLogitCrossEntropy;
[Network(Precision = Precision.Double, Loss = Loss.BinaryCrossEntropy)] [Input(17)] [Dense(3, Activation.Tanh)] [Dense(1)] public partial class GcLogitBinaryCrossEntropy;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(3)] [Dense(3, Activation.Tanh)] [Dense(17)] public partial class GcLogitCrossEntropy17;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(3)] [Dense(3, Activation.Tanh)] [Dense(3, Activation.Tanh)] public partial class TanhCrossEntropy;

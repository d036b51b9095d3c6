namespace NetGen.Generator.Model;

// Mirrors of the runtime's public enums (the generator cannot reference the runtime assembly).
// The numeric values are the contract: they are read from attribute arguments as integers.

public enum ActivationKind { Linear = 0, BinaryStep = 1, Sigmoid = 2, Tanh = 3, ReLU = 4, LeakyReLU = 5, PReLU = 6, ELU = 7, Swish = 8, Softmax = 9, GELU = 10 }

public enum LossKind { MeanSquaredError = 0, BinaryCrossEntropy = 1, CrossEntropy = 2 }

public enum OptimizerKind { Sgd = 0, Momentum = 1, RmsProp = 2, Adam = 3, AdamW = 4 }

public enum PrecisionKind { Single = 0, Double = 1 }

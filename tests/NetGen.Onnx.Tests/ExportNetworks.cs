using NetGen;

namespace NetGen.Onnx.Tests;

// One small network per layer kind (and per activation), odd sizes, for the export round trips.

[Network] [Input(7)] [Dense(5, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class DenseSoftmaxNet { }

[Network] [Input(7)] [Dense(5, Activation.Sigmoid)] [Dense(3, Activation.Tanh)]
public partial class SigmoidTanhNet { }

[Network] [Input(7)] [Dense(5, Activation.LeakyReLU, Alpha = 0.2f)] [Dense(3, Activation.ELU, Alpha = 0.7f)]
public partial class LeakyEluNet { }

[Network] [Input(7)] [Dense(5, Activation.PReLU)] [Dense(3, Activation.Swish)]
public partial class PReluSwishNet { }

[Network] [Input(7)] [Dense(5, Activation.GELU)] [Dense(3)]
public partial class GeluNet { }

[Network] [Input(7)] [Dense(3, Activation.BinaryStep)]
public partial class BinaryStepNet { }

[Network] [Input(7)] [Dense(5)] [Activation(Activation.PReLU)] [Activation(Activation.Tanh)] [Dropout(0.3f)] [Dense(3)]
public partial class ActivationLayerNet { }

[Network] [Input(5)] [Maxout(4, 3)] [Dense(3)]
public partial class MaxoutNet { }

[Network] [Input(2, 9, 9)] [Conv2D(3, 3, Activation.ReLU, Padding = 1)] [MaxPool2D(2)] [Conv2D(5, 3, Activation.PReLU, Stride = 2)] [Flatten] [Dense(3)]
public partial class ConvMaxPoolNet { }

[Network] [Input(3, 7, 7)] [AvgPool2D(3, Stride = 2)] [BatchNorm] [Conv2D(3, 1, Activation.Sigmoid)] [Flatten] [Dense(3)]
public partial class AvgPoolBatchNormNet { }

[Network] [Input(2, 5, 5)] [Conv2D(3, 3, Activation.Softmax)]
public partial class ConvSoftmaxNet { }

[Network] [Input(5)] [Dense(7)] [BatchNorm] [Dense(3)]
public partial class BatchNorm1dNet { }

[Network] [Input(5)] [Dense(12)] [Reshape(3, 2, 2)] [ConvTranspose2D(2, 3, Stride = 2, Padding = 1, OutputPadding = 1, Activation = Activation.Tanh)] [Flatten] [Dense(3)]
public partial class ConvTransposeNet { }

[Network] [Input(5, 3)] [SimpleRnn(4, ReturnSequences = true)] [SimpleRnn(3)] [Dense(2)]
public partial class SimpleRnnNet { }

[Network] [Input(5, 3)] [Lstm(4, ReturnSequences = true)] [Dense(3, Activation.Tanh)] [Lstm(3)] [Dense(2)]
public partial class LstmNet { }

[Network] [Input(5)] [Embedding(11, 3)] [Gru(4, ReturnSequences = true)] [Gru(3)] [Dense(2)]
public partial class EmbeddingGruNet { }

[Network] [Input(5)] [Embedding(11, 6)] [PositionalEmbedding(7)] [MultiHeadAttention(3, Causal = true)] [LayerNorm] [GlobalAveragePooling1D] [Dense(3)]
public partial class AttentionNet { }

[Network] [Input(5, 6)] [TransformerBlock(2, 7)] [TransformerBlock(3, 5, Causal = true)] [Dense(3, Activation.Softmax)]
public partial class TransformerNet { }

[Network(Precision = Precision.Double)] [Input(6)] [Dense(5, Activation.Tanh)] [Dense(3)]
public partial class DoubleNet { }

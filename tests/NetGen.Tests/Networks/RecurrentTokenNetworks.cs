using NetGen;

// Token ids into recurrent layers, class ids per time step (or per sample after the last step). Odd sizes.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(13)] [Embedding(11, 3)] [Lstm(5, ReturnSequences = true)] [Dense(7, Activation.Softmax)] public partial class GcTokenLstm;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(13)] [Embedding(11, 3)] [Gru(3, ReturnSequences = true)] [Gru(1, ReturnSequences = true)] [Dense(3, Activation.Softmax)] public partial class GcTokenGru;
[Network(Precision = Precision.Double, Loss = Loss.CrossEntropy)] [Input(1)] [Embedding(7, 17)] [SimpleRnn(3)] [Dense(5, Activation.Softmax)] public partial class GcTokenRnnLast;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 2)]
[Input(9)] [Embedding(13, 8)] [Gru(17, ReturnSequences = true)] [Dropout(0.1f)] [Dense(13, Activation.Softmax)]
public partial class TokenGruModel;

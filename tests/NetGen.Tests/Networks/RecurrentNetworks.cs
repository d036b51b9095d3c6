using NetGen;

// Recurrent layers in double precision for the finite-difference, Step and hand-computed checks. For each kind:
// Last: the last step of 13, hidden 17; Seq: one time step, ReturnSequences and a per-step Dense; Stack: two
// stacked layers, hidden 3 then 1; Deep: a sequence out of two stacked layers (hidden 1 then 17). The *Steps twins
// have the same parameter layout with ReturnSequences on, so their Predict gives every prefix's output.
namespace NetGen.Tests.Networks;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [SimpleRnn(17)] [Dense(2)] public partial class GcSimpleRnnLast : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [SimpleRnn(17, ReturnSequences = true)] [Dense(2)] public partial class GcSimpleRnnLastSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(29, 3)] [SimpleRnn(17, ReturnSequences = true)] [Dense(2)] public partial class GcSimpleRnnLongSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [SimpleRnn(3, ReturnSequences = true)] [Dense(2, Activation.Tanh)] public partial class GcSimpleRnnSeq : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [SimpleRnn(3, ReturnSequences = true)] [SimpleRnn(1)] [Dense(1)] public partial class GcSimpleRnnStack : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [SimpleRnn(3, ReturnSequences = true)] [SimpleRnn(1, ReturnSequences = true)] [Dense(1)] public partial class GcSimpleRnnStackSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5, 3)] [SimpleRnn(1, ReturnSequences = true)] [SimpleRnn(17, ReturnSequences = true)] public partial class GcSimpleRnnDeep : IComposable;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [Lstm(17)] [Dense(2)] public partial class GcLstmLast : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [Lstm(17, ReturnSequences = true)] [Dense(2)] public partial class GcLstmLastSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(29, 3)] [Lstm(17, ReturnSequences = true)] [Dense(2)] public partial class GcLstmLongSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [Lstm(3, ReturnSequences = true)] [Dense(2, Activation.Tanh)] public partial class GcLstmSeq : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [Lstm(3, ReturnSequences = true)] [Lstm(1)] [Dense(1)] public partial class GcLstmStack : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [Lstm(3, ReturnSequences = true)] [Lstm(1, ReturnSequences = true)] [Dense(1)] public partial class GcLstmStackSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5, 3)] [Lstm(1, ReturnSequences = true)] [Lstm(17, ReturnSequences = true)] public partial class GcLstmDeep : IComposable;

[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [Gru(17)] [Dense(2)] public partial class GcGruLast : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 3)] [Gru(17, ReturnSequences = true)] [Dense(2)] public partial class GcGruLastSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(29, 3)] [Gru(17, ReturnSequences = true)] [Dense(2)] public partial class GcGruLongSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(1, 3)] [Gru(3, ReturnSequences = true)] [Dense(2, Activation.Tanh)] public partial class GcGruSeq : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [Gru(3, ReturnSequences = true)] [Gru(1)] [Dense(1)] public partial class GcGruStack : IComposable;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(13, 1)] [Gru(3, ReturnSequences = true)] [Gru(1, ReturnSequences = true)] [Dense(1)] public partial class GcGruStackSteps;
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(5, 3)] [Gru(1, ReturnSequences = true)] [Gru(17, ReturnSequences = true)] public partial class GcGruDeep : IComposable;

// Float, as users write them: every kind stacked with a per-step Dropout, for the allocation and Summary checks.
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Input(13, 3)] [SimpleRnn(7, ReturnSequences = true)] [Dropout(0.2f)] [Lstm(17, ReturnSequences = true, Name = "lstm")] [Gru(5)] [Dense(2, Activation.Tanh)]
public partial class RecurrentStack;

// No Step: Flatten needs the whole sequence.
[Network(Loss = Loss.MeanSquaredError)] [Input(4, 3)] [Lstm(5, ReturnSequences = true)] [Flatten] [Dense(2)] public partial class RecurrentFlattened;

// Step on a network over sequences without recurrent layers: per-step Dense and Activation.
[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError)] [Input(6, 3)] [Dense(5, Activation.ELU)] [Activation(Activation.Softmax)] public partial class GcPerStepOnly;

// Step through the tests' interface.
public partial class GcSimpleRnnLast : NetGen.Tests.ISteppable;
public partial class GcSimpleRnnSeq : NetGen.Tests.ISteppable;
public partial class GcSimpleRnnStack : NetGen.Tests.ISteppable;
public partial class GcSimpleRnnDeep : NetGen.Tests.ISteppable;
public partial class GcLstmLast : NetGen.Tests.ISteppable;
public partial class GcLstmSeq : NetGen.Tests.ISteppable;
public partial class GcLstmStack : NetGen.Tests.ISteppable;
public partial class GcLstmDeep : NetGen.Tests.ISteppable;
public partial class GcGruLast : NetGen.Tests.ISteppable;
public partial class GcGruSeq : NetGen.Tests.ISteppable;
public partial class GcGruStack : NetGen.Tests.ISteppable;
public partial class GcGruDeep : NetGen.Tests.ISteppable;
public partial class GcPerStepOnly : NetGen.Tests.ISteppable;

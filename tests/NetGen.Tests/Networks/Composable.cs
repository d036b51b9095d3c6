namespace NetGen.Tests.Networks;

// The generated Forward/Backward/InputGradients members satisfy the tests' IComposable view.
public partial class GcLinear : IComposable;
public partial class GcTanh : IComposable;
public partial class GcPReLU : IComposable;
public partial class GcSoftmaxMse : IComposable;
public partial class GcActivationLayers : IComposable;
public partial class GcPReLULayer : IComposable;
public partial class GcMaxout : IComposable;
public partial class GcDropout : IComposable;
public partial class GcOdd1 : IComposable;
public partial class GcOdd17 : IComposable;

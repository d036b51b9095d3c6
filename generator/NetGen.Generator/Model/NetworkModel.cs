using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>
/// What a tensor is for. Emitters and analyses find tensors by role, never by name. Roles the
/// current kinds use: Weight, Bias, Slope; the others are declared for the kinds on the way
/// (running statistics are buffers, not trained).
/// </summary>
public enum TensorRole
{
    Weight = 0,
    Bias = 1,
    /// <summary>PReLU's learned negative slopes.</summary>
    Slope = 2,
    /// <summary>BatchNorm's running mean (a buffer).</summary>
    RunningMean = 3,
    /// <summary>BatchNorm's running variance (a buffer).</summary>
    RunningVar = 4,
    /// <summary>An embedding table <c>[vocabulary, dimensions]</c>.</summary>
    Embedding = 5,
    /// <summary>A recurrent layer's input-to-hidden weights.</summary>
    InputWeight = 6,
    /// <summary>A recurrent layer's hidden-to-hidden weights.</summary>
    RecurrentWeight = 7,
    InputBias = 8,
    RecurrentBias = 9,
    /// <summary>A normalisation's scale (γ).</summary>
    Scale = 10,
    /// <summary>A normalisation's shift (β).</summary>
    Shift = 11,
    /// <summary>A learned positional table.</summary>
    Positional = 12,
}

/// <summary>How a tensor's values start.</summary>
public enum InitKind
{
    /// <summary>All zeros.</summary>
    Zeros = 0,
    /// <summary>Every value <see cref="InitRule.Value"/>.</summary>
    Constant = 1,
    /// <summary>U(−b, b), b = √(6 / fanIn).</summary>
    HeUniform = 2,
    /// <summary>U(−b, b), b = √(6 / (fanIn + fanOut)).</summary>
    GlorotUniform = 3,
    /// <summary>U(−Value, Value).</summary>
    Uniform = 4,
    /// <summary>N(Value, Deviation²).</summary>
    Normal = 5,
}

/// <summary>A tensor's initialisation: the rule and its numbers, and why (written as a comment).</summary>
public sealed record InitRule(InitKind Kind, int FanIn = 0, int FanOut = 0, double Value = 0, double Deviation = 0, string Why = "")
{
    public static InitRule Zeros { get; } = new(InitKind.Zeros);
    public static InitRule He(int fanIn, string why) => new(InitKind.HeUniform, FanIn: fanIn, Why: why);
    public static InitRule Glorot(int fanIn, int fanOut) => new(InitKind.GlorotUniform, FanIn: fanIn, FanOut: fanOut);
    public static InitRule Constant(double value, string why) => new(InitKind.Constant, Value: value, Why: why);
    public static InitRule Uniform(double bound, string why) => new(InitKind.Uniform, Value: bound, Why: why);
    public static InitRule Normal(double mean, double deviation, string why) => new(InitKind.Normal, Value: mean, Deviation: deviation, Why: why);
}

/// <summary>
/// One tensor of a layer: its PyTorch name, the C# view the emitted code declares, its role, whether
/// it is trained (a parameter) or not (a buffer), its offset in its flat array, its shape and its initialisation.
/// </summary>
public sealed record TensorModel(string Name, string Field, TensorRole Role, bool Trainable, int Offset, EquatableArray<int> Shape, InitRule Init)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// One analysed layer: its declaration, the kind that owns it, its shapes, its tensors and the facts
/// the emitters need about its place in the network.
/// </summary>
/// <param name="InputGradientAlways">
/// True when a layer before this one has parameters, so this layer must always pass d(loss)/d(input)
/// back; false when it does so only when the caller asks for input gradients (composition).
/// </param>
/// <param name="PassesInputThrough">The layer moves no data (Flatten): its output is its input.</param>
/// <param name="Producer">The nearest earlier layer that moves data, or −1 (the network input).</param>
public sealed record LayerModel(
    int Index,
    string KindName,
    LayerSpec Spec,
    TensorShape Input,
    TensorShape Output,
    EquatableArray<TensorModel> Tensors,
    bool InputGradientAlways,
    bool PassesInputThrough,
    int Producer,
    ActivationSpec? Activation)
{
    public EquatableArray<int> InputShape => Input.Dims;
    public EquatableArray<int> OutputShape => Output.Dims;
    public int InputSize => Input.Size;
    public int OutputSize => Output.Size;
    /// <summary>Trainable values.</summary>
    public int ParameterCount => Tensors.Where(t => t.Trainable).Sum(t => t.Length);
    public string OutputShapeText => Output.BatchText;

    /// <summary>The tensor of a role; throws when the kind declared none (an internal error, reported as NETGEN020).</summary>
    public TensorModel Tensor(TensorRole role)
        => Tensors.FirstOrDefault(t => t.Role == role) ?? throw new System.InvalidOperationException($"layer '{Spec.Name}' has no {role} tensor");

    /// <summary>The tensor of a role, or null.</summary>
    public TensorModel? TryTensor(TensorRole role) => Tensors.FirstOrDefault(t => t.Role == role);
}

/// <summary>Whether the loss is computed from the last layer's logits (its final activation fused into the loss).</summary>
public enum LossFusion
{
    None = 0,
    /// <summary>Softmax + CrossEntropy: log-sum-exp on the logits.</summary>
    SoftmaxCrossEntropy = 1,
    /// <summary>Sigmoid + BinaryCrossEntropy: BCE with logits.</summary>
    SigmoidBinaryCrossEntropy = 2,
    /// <summary>
    /// A Linear output + CrossEntropy: the outputs are logits (PyTorch's <c>CrossEntropyLoss</c>), the loss
    /// applies softmax inside (log-sum-exp) and <c>Predict</c> returns the logits.
    /// </summary>
    CrossEntropyFromLogits = 3,
    /// <summary>A Linear output + BinaryCrossEntropy: the outputs are logits (PyTorch's <c>BCEWithLogitsLoss</c>).</summary>
    BinaryCrossEntropyFromLogits = 4,
}

/// <summary>
/// The analysed network, built once in the pipeline and read by every emitter: plain values only (no
/// <c>ISymbol</c>, <c>SyntaxNode</c> or <c>Compilation</c>), equatable, so unrelated edits leave it unchanged.
/// </summary>
/// <param name="IsPerceptron">A single Dense(n, BinaryStep): trained by Rosenblatt's rule instead of backpropagation.</param>
/// <param name="OptimizerSlots">Parameter-sized blocks of optimizer state: SGD 0, Momentum and RMSprop 1, Adam 2.</param>
/// <param name="GpuUnsupportedReason">Why no GPU runner is emitted (NETGEN200), or null when one can be.</param>
/// <param name="HintName">The generated file's hint name without extension (letters, digits, '.', '_' only).</param>
public sealed record NetworkModel(
    NetworkSpec Spec,
    TensorShape Input,
    EquatableArray<LayerModel> Layers,
    bool IsPerceptron,
    LossFusion LossFusion,
    int OptimizerSlots,
    int ParameterCount,
    int BufferCount,
    string? GpuUnsupportedReason,
    string HintName)
{
    public LayerModel Last => Layers[Layers.Count - 1];
    public int InputSize => Input.Size;
    public int OutputSize => Last.OutputSize;
    /// <summary>The last activation (Softmax or Sigmoid) is fused into the loss: the loss writes d(loss)/d(its input).</summary>
    public bool IsLossFused => LossFusion is LossFusion.SoftmaxCrossEntropy or LossFusion.SigmoidBinaryCrossEntropy;
    /// <summary>The output is Linear and the loss reads it as logits: the loss writes d(loss)/d(output) and the backward runs as usual.</summary>
    public bool LossReadsLogitOutput => LossFusion is LossFusion.CrossEntropyFromLogits or LossFusion.BinaryCrossEntropyFromLogits;
    public System.Collections.Generic.IEnumerable<TensorModel> Parameters => Layers.SelectMany(l => l.Tensors).Where(t => t.Trainable);
    public System.Collections.Generic.IEnumerable<TensorModel> Buffers => Layers.SelectMany(l => l.Tensors).Where(t => !t.Trainable);
}

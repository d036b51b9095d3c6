using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>A shape error found while analysing: which layer, and why.</summary>
internal sealed record ShapeError(int LayerIndex, string InputShape, string Reason, bool TooLarge = false);

/// <summary>
/// The one analysis of a network: shape inference, tensor layout and initialisation, and the facts
/// both emitters read (input gradients, loss fusion, the perceptron rule, optimizer slots, GPU support).
/// Run once, by the parser; the emitters never plan again.
/// </summary>
internal static class NetworkModelBuilder
{
    /// <summary>The most parameters a network may have (the flat array is indexed by <see cref="int"/>).</summary>
    public const long MaxParameters = 1L << 30;

    /// <summary>The largest activation a layer may produce per sample.</summary>
    public const long MaxActivationSize = 1L << 28;

    /// <summary>The input shape an <c>[Input(...)]</c> declares: one int a vector (or tokens, when the first layer consumes them), two a sequence, three an image.</summary>
    public static TensorShape InputShape(IReadOnlyList<int> dims, LayerSpec? firstLayer)
        => dims.Count switch
        {
            1 when firstLayer is not null && LayerKinds.Of(firstLayer).ConsumesTokens => TensorShape.Tokens(dims[0]),
            1 => TensorShape.Vector(dims[0]),
            2 => TensorShape.Sequence(dims[0], dims[1]),
            _ => new TensorShape(ShapeKind.Image, dims.ToEquatableArray()),
        };

    /// <summary>Analyses a parsed network; returns null and the first error when its shapes do not chain.</summary>
    public static NetworkModel? Build(NetworkSpec spec, out ShapeError? error)
    {
        error = null;
        IReadOnlyList<LayerSpec> specs = spec.Layers;
        TensorShape input = InputShape(spec.InputShape, specs.Count > 0 ? specs[0] : null);
        if (input.LongSize > MaxActivationSize)
        {
            error = new ShapeError(0, input.DimsText, $"the input holds {input.LongSize:N0} values per sample, more than {MaxActivationSize:N0}", TooLarge: true);
            return null;
        }

        var layers = new List<LayerModel>(specs.Count);
        TensorShape shape = input;
        long parameterOffset = 0, bufferOffset = 0;
        bool parametersBefore = false;
        int producer = -1;
        for (int i = 0; i < specs.Count; i++)
        {
            LayerSpec layer = specs[i];
            LayerKind kind = LayerKinds.Of(layer);
            if (shape.Kind == ShapeKind.Tokens && !kind.ConsumesTokens)
            {
                error = new ShapeError(i, shape.DimsText, $"{kind.DisplayName(layer)} cannot take token ids");
                return null;
            }
            TensorShape? output = kind.OutputShape(layer, shape, out string? reason);
            if (output is null)
            {
                error = new ShapeError(i, shape.DimsText, reason ?? "the shapes do not fit");
                return null;
            }
            if (output.LongSize > MaxActivationSize)
            {
                error = new ShapeError(i, shape.DimsText, $"its output would hold {output.LongSize:N0} values per sample, more than {MaxActivationSize:N0}", TooLarge: true);
                return null;
            }

            // Each tensor gets its place: trainable ones in the parameter array, buffers in the buffer array.
            bool nextIsReluFamily = i + 1 < specs.Count && specs[i + 1] is ActivationLayerSpec { Activation.IsReluFamily: true };
            var tensors = new List<TensorModel>();
            foreach (TensorDeclaration t in kind.Tensors(layer, new TensorContext(shape, output, nextIsReluFamily)))
            {
                long length = t.Shape.Aggregate(1L, (a, b) => a * b);
                long offset = t.Trainable ? parameterOffset : bufferOffset;
                if (offset + length > MaxParameters)
                {
                    error = new ShapeError(i, shape.DimsText, $"the network would have more than {MaxParameters:N0} parameters", TooLarge: true);
                    return null;
                }
                tensors.Add(new TensorModel($"{layer.Name}.{t.Name}", $"L{i}{t.Field ?? t.Role.ToString()}", t.Role, t.Trainable, (int)offset,
                    t.Shape.Select(d => (int)d).ToEquatableArray(), t.Init));
                if (t.Trainable) parameterOffset += length;
                else bufferOffset += length;
            }

            layers.Add(new LayerModel(i, kind.DisplayName(layer), layer, shape, output, tensors.ToEquatableArray(),
                InputGradientAlways: parametersBefore, PassesInputThrough: kind.PassesInputThrough, Producer: producer, Activation: kind.Activation(layer)));
            parametersBefore |= tensors.Any(t => t.Trainable);
            if (!kind.PassesInputThrough) producer = i;
            shape = output;
        }

        // A sequence output trains with MeanSquaredError (every value) or CrossEntropy (one distribution per time step over the last dimension).
        if (layers.Count > 0 && shape.IsSequence && spec.Training.Loss == LossKind.BinaryCrossEntropy)
        {
            error = new ShapeError(layers.Count - 1, layers[layers.Count - 1].Input.DimsText,
                $"the network ends in a sequence {shape.DimsText}, and {spec.Training.Loss} over sequences is not supported yet; add [Flatten] before the last layer, or use Loss.CrossEntropy (per time step) or Loss.MeanSquaredError");
            return null;
        }

        bool perceptron = IsPerceptron(specs);
        LossFusion fusion = ChooseLossFusion(specs, spec.Training.Loss);
        int slots = spec.Training.Optimizer switch
        {
            OptimizerKind.Momentum or OptimizerKind.RmsProp => 1,
            OptimizerKind.Adam or OptimizerKind.AdamW => 2,
            _ => 0,
        };

        return new NetworkModel(spec, input, layers.ToEquatableArray(), perceptron, fusion, slots, (int)parameterOffset, (int)bufferOffset,
            GpuReason(spec, input, layers), HintName(spec));
    }

    /// <summary>
    /// How the loss reads the last layer (the one place this is decided, for the CPU and GPU emitters and the
    /// parser's NETGEN100/101/103): Softmax + CrossEntropy and Sigmoid + BCE are fused into the loss (computed
    /// from the logits); after a Linear output CrossEntropy and BCE read the outputs as logits, as PyTorch's
    /// <c>CrossEntropyLoss</c> and <c>BCEWithLogitsLoss</c> do; anything else reads probabilities.
    /// </summary>
    public static LossFusion ChooseLossFusion(IReadOnlyList<LayerSpec> layers, LossKind loss)
    {
        if (layers.Count == 0 || IsPerceptron(layers)) return LossFusion.None;
        LayerSpec last = layers[layers.Count - 1];
        ActivationKind? activation = LayerKinds.Of(last).Activation(last)?.Kind;
        ActivationKind output = OutputActivation(layers);
        return (activation, output, loss) switch
        {
            (ActivationKind.Softmax, _, LossKind.CrossEntropy) => LossFusion.SoftmaxCrossEntropy,
            (ActivationKind.Sigmoid, _, LossKind.BinaryCrossEntropy) => LossFusion.SigmoidBinaryCrossEntropy,
            (_, ActivationKind.Linear, LossKind.CrossEntropy) => LossFusion.CrossEntropyFromLogits,
            (_, ActivationKind.Linear, LossKind.BinaryCrossEntropy) => LossFusion.BinaryCrossEntropyFromLogits,
            _ => LossFusion.None,
        };
    }

    /// <summary>
    /// The activation the outputs come out of: the last layer's, looking through layers without one (Dropout,
    /// Flatten) and standalone Linear activations, so <c>[Dense(3, Sigmoid)] [Activation(Linear)]</c> is Sigmoid.
    /// </summary>
    private static ActivationKind OutputActivation(IReadOnlyList<LayerSpec> layers)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            ActivationSpec? a = LayerKinds.Of(layers[i]).Activation(layers[i]);
            if (a is null || (layers[i] is ActivationLayerSpec && a.Kind == ActivationKind.Linear)) continue;
            return a.Kind;
        }
        return ActivationKind.Linear;
    }

    /// <summary>A single Dense(n, BinaryStep) is Rosenblatt's perceptron, trained by the perceptron rule (the one place this is decided).</summary>
    public static bool IsPerceptron(IReadOnlyList<LayerSpec> layers)
        => layers.Count == 1 && layers[0] is DenseSpec { Activation.Kind: ActivationKind.BinaryStep };

    /// <summary>Why no GPU runner can be emitted (the first reason), or null.</summary>
    private static string? GpuReason(NetworkSpec spec, TensorShape input, IReadOnlyList<LayerModel> layers)
    {
        if (spec.Precision != PrecisionKind.Single) return "the GPU kernels are single precision; declare Precision = Precision.Single to get one";
        if (spec.IsAbstract) return $"the runner takes its initial parameters from new {spec.ClassName}(), and the class is abstract";
        foreach (LayerModel layer in layers)
        {
            if (LayerKinds.Of(layer.Spec).GpuUnsupportedReason(layer) is { } reason) return reason;
        }
        return null;
    }

    /// <summary>
    /// The generated files' hint name: namespace, containing types and class joined by '.', keeping only
    /// letters, digits, '.' and '_' (the '@' of an escaped keyword is not allowed in a hint name: CS8785).
    /// </summary>
    public static string HintName(NetworkSpec spec)
    {
        string hint = string.Join(".", new[] { spec.Namespace }.Concat(spec.ContainingTypes.Select(t => t.Name)).Concat(new[] { spec.ClassName }).Where(s => s is not null));
        return new string(hint.Where(c => char.IsLetterOrDigit(c) || c is '.' or '_').ToArray());
    }
}

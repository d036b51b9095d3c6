using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. Each message says what is wrong and how to fix it. Errors stop
/// generation for that class; warnings flag a legal but questionable declaration.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotPartial = Error("NETGEN001",
        "Network class must be partial",
        "The network class '{0}' must be declared 'partial' so NetGen can add its generated members; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor GenericNotSupported = Error("NETGEN002",
        "Network class cannot be generic",
        "The network class '{0}' is generic or nested in a generic type; networks have fixed sizes and element type, so declare it in a non-generic type");

    public static readonly DiagnosticDescriptor MissingInput = Error("NETGEN003",
        "Network has no Input",
        "The network '{0}' has no [Input(...)] attribute; add one before the first layer, e.g. [Input(784)]");

    public static readonly DiagnosticDescriptor RepeatedInput = Error("NETGEN004",
        "Input declared more than once",
        "The network '{0}' declares [Input] more than once; keep exactly one, before the first layer");

    public static readonly DiagnosticDescriptor InputNotFirst = Error("NETGEN005",
        "Input must come before the layers",
        "[Input] must be written before every layer attribute, because layers apply in the order written; move it above '{0}'");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error("NETGEN006",
        "Size must be positive",
        "{0} must be a positive integer, but is {1}");

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Error("NETGEN007",
        "Softmax must be the last layer",
        "Softmax normalises the network's output and must be on the last layer; '{0}' is not last. Use another activation here, or move the Softmax to the output layer");

    public static readonly DiagnosticDescriptor BinaryStepNotTrainable = Error("NETGEN008",
        "BinaryStep cannot be trained by backpropagation",
        "BinaryStep on '{0}' has a zero gradient almost everywhere, so a multi-layer network cannot learn through it; use Sigmoid or Tanh, or declare a perceptron (a single [Dense(n, Activation.BinaryStep)] layer)");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error("NETGEN009",
        "Layers split over several partial declarations",
        "The layers of '{0}' are written on more than one partial declaration, so their order is undefined; put [Input] and every layer attribute on one declaration");

    public static readonly DiagnosticDescriptor ValueOutOfRange = Error("NETGEN010",
        "Value out of range",
        "{0} must be {1}, but is {2}");

    public static readonly DiagnosticDescriptor UnknownEnumValue = Error("NETGEN011",
        "Unknown enum value",
        "{0} is not a known {1} value; use one of: {2}");

    public static readonly DiagnosticDescriptor NoLayers = Error("NETGEN012",
        "Network has no layers",
        "The network '{0}' has an [Input] but no layer; add at least one, e.g. [Dense(10)]");

    public static readonly DiagnosticDescriptor ShapeMismatch = Error("NETGEN013",
        "Layer does not fit its input",
        "'{0}' cannot take an input of shape {1}: {2}");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error("NETGEN014",
        "Network too large",
        "The network '{0}' is too large to compile: {1}");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error("NETGEN015",
        "Layer name is not unique or not valid",
        "The layer name '{0}' {1}; give each layer a distinct, non-empty Name without spaces or quotes");

    public static readonly DiagnosticDescriptor StaticClass = Error("NETGEN016",
        "Network class cannot be static",
        "The network class '{0}' is static; a network holds parameters per instance, so remove 'static'");

    public static readonly DiagnosticDescriptor InvalidArgument = Error("NETGEN017",
        "Attribute argument cannot be read",
        "An argument of [{0}] is not a valid constant; write a literal of the parameter's type");

    public static readonly DiagnosticDescriptor MemberNameClash = Error("NETGEN018",
        "Name taken by a generated member",
        "The network class '{0}' declares '{1}', which clashes with {2}; rename it (the generated part declares InputSize, Predict, TrainStep, Summary, fields such as _parameters and _y0, tensor views such as L0Weight, and the constructors () and (int seed))");

    public static readonly DiagnosticDescriptor NotAPlainClass = Error("NETGEN019",
        "Network must be a plain partial class",
        "The network '{0}' is {1}; declare it as a 'partial class' (public, internal or nested in a partial type)");

    public static readonly DiagnosticDescriptor InternalError = Error("NETGEN020",
        "Internal error in NetGen",
        "NetGen failed while {1} the network '{0}' ({2}); this is a bug in NetGen, not in your code: please report it with the declaration");

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Error("NETGEN040",
        "Weights file cannot be read",
        "The weights '{1}' of '{0}' cannot be read: {2}");

    public static readonly DiagnosticDescriptor WeightsTensorMissing = Error("NETGEN041",
        "Weights file lacks a tensor",
        "The weights '{1}' of '{0}' have no tensor '{2}' (the network needs {3}); save the weights from the trainable class with SafeTensors.Save");

    public static readonly DiagnosticDescriptor WeightsTensorExtra = Error("NETGEN042",
        "Weights file has a tensor the network does not",
        "The weights '{1}' of '{0}' hold a tensor '{2}' {3} that the network does not declare; remove it, or check that the layer names match");

    public static readonly DiagnosticDescriptor WeightsTensorShape = Error("NETGEN043",
        "Weights tensor has another shape",
        "The tensor '{2}' in the weights '{1}' of '{0}' is {3}, but the network needs {4}");

    public static readonly DiagnosticDescriptor WeightsTensorDType = Error("NETGEN044",
        "Weights tensor has a dtype NetGen cannot take",
        "The tensor '{2}' in the weights '{1}' of '{0}' is {3}; compiled-in weights must be F32 or F64");

    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = Warning("NETGEN100",
        "CrossEntropy without a Softmax output",
        "Loss.CrossEntropy expects probabilities from a Softmax output layer (or logits from a Linear one), but the last layer of '{0}' is neither; its outputs are read as probabilities, and log y counts as −100 where y ≤ 0 or log y < −100, so outputs outside (0, 1] train poorly. Use Activation.Softmax, or no activation (logits), on the last layer");

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = Warning("NETGEN101",
        "BinaryCrossEntropy without a Sigmoid output",
        "Loss.BinaryCrossEntropy expects probabilities from a Sigmoid output layer (or logits from a Linear one), but the last layer of '{0}' is neither; its outputs are read as probabilities, and log y and log(1 − y) count as −100 where their argument is ≤ 0 or their value < −100, so outputs outside [0, 1] train poorly. Use Activation.Sigmoid, or no activation (logits), on the last layer");

    public static readonly DiagnosticDescriptor OutputsAreLogits = new("NETGEN103",
        "Loss reads the Linear outputs as logits",
        "The last layer of '{0}' is Linear, so Loss.{1} reads its outputs as logits and applies {2} inside the loss, as PyTorch's {3} does; Predict returns logits (apply {2} to get probabilities, or declare {4} on the last layer to have Predict return them)",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor AlphaIgnored = Warning("NETGEN102",
        "Alpha has no effect",
        "Alpha only applies to LeakyReLU and ELU; it is ignored on '{0}' with {1}");
}

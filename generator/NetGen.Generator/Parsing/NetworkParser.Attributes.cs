using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

// Reading the arguments of each attribute, with range checks.
internal sealed partial class NetworkParser
{
    private TrainingSpec ParseTraining(AttributeData? data, AttributeSyntax? syntax, out PrecisionKind precision)
    {
        LossKind loss = LossKind.MeanSquaredError;
        OptimizerKind optimizer = OptimizerKind.Sgd;
        precision = PrecisionKind.Single;
        double learningRate = 0, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, rmsDecay = 0.99, weightDecay = 0;
        int seed = 0;
        if (data is not null && syntax is not null)
        {
            foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
            {
                TypedConstant v = named.Value;
                switch (named.Key)
                {
                    case "Loss": loss = Enum<LossKind>(v, syntax, "Loss"); break;
                    case "Optimizer": optimizer = Enum<OptimizerKind>(v, syntax, "Optimizer"); break;
                    case "Precision": precision = Enum<PrecisionKind>(v, syntax, "Precision"); break;
                    case "LearningRate": learningRate = Real(v); Check(learningRate >= 0 && IsFinite(learningRate), syntax, "LearningRate", "positive (or 0 for the optimizer's default)", learningRate); break;
                    case "Momentum": momentum = Real(v); Check(momentum >= 0 && momentum < 1, syntax, "Momentum", "in [0, 1)", momentum); break;
                    case "Beta1": beta1 = Real(v); Check(beta1 >= 0 && beta1 < 1, syntax, "Beta1", "in [0, 1)", beta1); break;
                    case "Beta2": beta2 = Real(v); Check(beta2 >= 0 && beta2 < 1, syntax, "Beta2", "in [0, 1)", beta2); break;
                    case "Epsilon": epsilon = Real(v); Check(epsilon > 0 && IsFinite(epsilon), syntax, "Epsilon", "positive", epsilon); break;
                    case "RmsDecay": rmsDecay = Real(v); Check(rmsDecay >= 0 && rmsDecay < 1, syntax, "RmsDecay", "in [0, 1)", rmsDecay); break;
                    case "WeightDecay": weightDecay = Real(v); Check(weightDecay >= 0 && IsFinite(weightDecay), syntax, "WeightDecay", "zero or positive", weightDecay); break;
                    case "Seed": seed = v.Value is int s ? s : 0; break;
                }
            }
        }
        if (learningRate == 0) learningRate = optimizer is OptimizerKind.Sgd or OptimizerKind.Momentum ? 0.01 : 0.001;
        return new TrainingSpec(loss, optimizer, learningRate, momentum, beta1, beta2, epsilon, rmsDecay, weightDecay, seed);
    }

    private int[]? ParseInput(List<(AttributeData Data, AttributeSyntax Syntax)> attributes, Location classLocation)
    {
        var inputs = attributes.Where(a => IsInput(a.Data)).ToList();
        if (inputs.Count == 0)
        {
            Report(DiagnosticDescriptors.MissingInput, classLocation, _type.Name);
            return null;
        }
        if (inputs.Count > 1)
        {
            Report(DiagnosticDescriptors.RepeatedInput, inputs[1].Syntax, _type.Name);
            return null;
        }
        var first = attributes[0];
        if (!IsInput(first.Data))
        {
            Report(DiagnosticDescriptors.InputNotFirst, inputs[0].Syntax, first.Data.AttributeClass!.Name.Replace("Attribute", ""));
            return null;
        }
        int[] shape = inputs[0].Data.ConstructorArguments.Select(c => c.Value is int i ? i : 0).ToArray();
        string[] names = shape.Length switch
        {
            1 => new[] { "size" },
            2 => new[] { "timeSteps", "features" },
            _ => new[] { "channels", "height", "width" },
        };
        for (int i = 0; i < shape.Length; i++)
            Positive(shape[i], inputs[0].Syntax, $"The input's {names[i]}");
        if (shape.Length == 2 && shape.All(s => s > 0))
        {
            Report(DiagnosticDescriptors.ShapeMismatch, inputs[0].Syntax, "Input", $"({shape[0]}, {shape[1]})", "sequence inputs need recurrent layers, which this version does not compile yet; flatten the sequence into Input(timeSteps × features)");
            return null;
        }
        return _failed ? null : shape;
    }

    private LayerSpec? ParseLayer(AttributeData data, AttributeSyntax syntax, string defaultName)
    {
        string kind = data.AttributeClass!.Name;
        kind = kind.EndsWith("Attribute", StringComparison.Ordinal) ? kind.Substring(0, kind.Length - "Attribute".Length) : kind;
        var args = data.ConstructorArguments;
        string name = defaultName;
        double alpha = double.NaN;
        int stride = 0, padding = 0;
        ActivationKind? namedActivation = null;
        foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
        {
            switch (named.Key)
            {
                case "Name": name = named.Value.Value as string ?? name; break;
                case "Alpha": alpha = Real(named.Value); break;
                case "Stride": stride = named.Value.Value is int s ? s : 0; break;
                case "Padding": padding = named.Value.Value is int p ? p : 0; break;
                case "Activation": namedActivation = Enum<ActivationKind>(named.Value, syntax, "Activation"); break;
            }
        }
        string what = $"'{name}'";
        switch (kind)
        {
            case "Dense":
            {
                int units = Int(args, 0);
                Positive(units, syntax, $"The units of {what}");
                return new DenseSpec(name, units, Activation(Enum<ActivationKind>(args[1], syntax, "Activation"), alpha, syntax, name));
            }
            case "Activation":
                return new ActivationLayerSpec(name, Activation(Enum<ActivationKind>(args[0], syntax, "Activation"), alpha, syntax, name));
            case "Maxout":
            {
                int units = Int(args, 0), pieces = Int(args, 1);
                Positive(units, syntax, $"The units of {what}");
                Positive(pieces, syntax, $"The pieces of {what}");
                return new MaxoutSpec(name, units, pieces);
            }
            case "Dropout":
            {
                double rate = Real(args[0]);
                Check(rate >= 0 && rate < 1, syntax, $"The dropout rate of {what}", "in [0, 1)", rate);
                return new DropoutSpec(name, rate);
            }
            case "Conv2D":
            {
                int filters = Int(args, 0), kernel = Int(args, 1);
                Positive(filters, syntax, $"The filters of {what}");
                Positive(kernel, syntax, $"The kernel size of {what}");
                if (stride == 0 && !data.NamedArguments.Any(n => n.Key == "Stride")) stride = 1;
                Positive(stride, syntax, $"The stride of {what}");
                Check(padding >= 0, syntax, $"The padding of {what}", "zero or positive", padding);
                ActivationKind act = namedActivation ?? Enum<ActivationKind>(args[2], syntax, "Activation");
                return new Conv2DSpec(name, filters, kernel, stride, padding, Activation(act, alpha, syntax, name));
            }
            case "MaxPool2D":
            case "AvgPool2D":
            {
                int size = Int(args, 0);
                Positive(size, syntax, $"The window size of {what}");
                if (data.NamedArguments.Any(n => n.Key == "Stride")) Positive(stride, syntax, $"The stride of {what}");
                return new Pool2DSpec(name, kind == "MaxPool2D", size, stride == 0 ? size : stride);
            }
            case "Flatten":
                return new FlattenSpec(name);
            default:
                Report(DiagnosticDescriptors.ShapeMismatch, syntax, name, "any", $"{kind} is not a layer this version of NetGen compiles");
                return null;
        }
    }

    private ActivationSpec Activation(ActivationKind kind, double alpha, AttributeSyntax syntax, string layer)
    {
        bool takesAlpha = kind is ActivationKind.LeakyReLU or ActivationKind.ELU;
        if (!double.IsNaN(alpha) && !takesAlpha)
            Report(DiagnosticDescriptors.AlphaIgnored, syntax, layer, kind.ToString());
        if (!takesAlpha) return new ActivationSpec(kind, 0);
        if (double.IsNaN(alpha)) return new ActivationSpec(kind, kind == ActivationKind.LeakyReLU ? 0.01 : 1.0);
        Check(IsFinite(alpha) && (kind != ActivationKind.ELU || alpha > 0), syntax, $"The Alpha of '{layer}'", kind == ActivationKind.ELU ? "positive and finite" : "finite", alpha);
        return new ActivationSpec(kind, alpha);
    }

    private void CheckNames(List<(LayerSpec Spec, AttributeSyntax Syntax)> layers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (spec, syntax) in layers)
        {
            if (string.IsNullOrWhiteSpace(spec.Name) || spec.Name.Any(c => char.IsWhiteSpace(c) || c == '"' || c == '\\' || char.IsControl(c)))
                Report(DiagnosticDescriptors.DuplicateLayerName, syntax, spec.Name, "is empty or contains spaces, quotes or control characters");
            else if (!seen.Add(spec.Name))
                Report(DiagnosticDescriptors.DuplicateLayerName, syntax, spec.Name, "is used by an earlier layer");
        }
    }

    private void CheckActivationPlacement(List<(LayerSpec Spec, AttributeSyntax Syntax)> layers, TrainingSpec training)
    {
        bool perceptron = layers.Count == 1 && layers[0].Spec is DenseSpec { Activation.Kind: ActivationKind.BinaryStep };
        for (int i = 0; i < layers.Count; i++)
        {
            ActivationKind? kind = ActivationOf(layers[i].Spec);
            if (kind == ActivationKind.Softmax && i != layers.Count - 1)
                Report(DiagnosticDescriptors.SoftmaxNotLast, layers[i].Syntax, layers[i].Spec.Name);
            if (kind == ActivationKind.BinaryStep && !perceptron)
                Report(DiagnosticDescriptors.BinaryStepNotTrainable, layers[i].Syntax, layers[i].Spec.Name);
        }
        if (layers.Count == 0 || perceptron) return;
        var (last, lastSyntax) = layers[layers.Count - 1];
        ActivationKind? lastKind = ActivationOf(last);
        if (training.Loss == LossKind.CrossEntropy && lastKind != ActivationKind.Softmax)
            Report(DiagnosticDescriptors.CrossEntropyWithoutSoftmax, lastSyntax, _type.Name);
        if (training.Loss == LossKind.BinaryCrossEntropy && lastKind != ActivationKind.Sigmoid)
            Report(DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid, lastSyntax, _type.Name);
    }

    private static ActivationKind? ActivationOf(LayerSpec spec) => spec switch
    {
        DenseSpec d => d.Activation.Kind,
        ActivationLayerSpec a => a.Activation.Kind,
        Conv2DSpec c => c.Activation.Kind,
        _ => null,
    };

    // ---- argument readers ------------------------------------------------------------------

    private static int Int(System.Collections.Immutable.ImmutableArray<TypedConstant> args, int i)
        => i < args.Length && args[i].Value is int v ? v : 0;

    private static double Real(TypedConstant c) => c.Value switch
    {
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double d => d,
        int i => i,
        _ => double.NaN,
    };

    private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

    private TEnum Enum<TEnum>(TypedConstant c, AttributeSyntax syntax, string what) where TEnum : struct, Enum
    {
        int value = c.Value is int i ? i : -1;
        if (System.Enum.IsDefined(typeof(TEnum), value)) return (TEnum)(object)value;
        string typeName = what == "Precision" ? "Precision" : typeof(TEnum).Name.Replace("Kind", "");
        Report(DiagnosticDescriptors.UnknownEnumValue, syntax, $"{typeName} value {value}", typeName, string.Join(", ", System.Enum.GetNames(typeof(TEnum))));
        return default;
    }

    private void Positive(int value, AttributeSyntax syntax, string what)
    {
        if (value <= 0) Report(DiagnosticDescriptors.NonPositiveSize, syntax, what, value.ToString(CultureInfo.InvariantCulture));
    }

    private void Check(bool ok, AttributeSyntax syntax, string what, string range, double value)
    {
        if (!ok) Report(DiagnosticDescriptors.ValueOutOfRange, syntax, what, range, value.ToString("R", CultureInfo.InvariantCulture));
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

// Reading the arguments of each attribute, with range checks.
internal sealed partial class NetworkParser
{
    /// <summary><c>Weights = "model.safetensors"</c>: the file name, and where the argument is written (the attribute when it is not).</summary>
    private static string? WeightsArgument(AttributeData? data, AttributeSyntax? syntax, out LocationInfo? at)
    {
        at = null;
        if (data is null || syntax is null) return null;
        foreach (KeyValuePair<string, TypedConstant> named in data.NamedArguments)
        {
            if (named.Key != "Weights" || named.Value.Value is not string path) continue;
            AttributeArgumentSyntax? argument = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "Weights");
            at = LocationInfo.From((argument ?? (SyntaxNode)syntax).GetLocation());
            return path;
        }
        return null;
    }

    private TrainingSpec ParseTraining(AttributeData? data, AttributeSyntax? syntax, out PrecisionKind precision)
    {
        LossKind loss = LossKind.MeanSquaredError;
        OptimizerKind optimizer = OptimizerKind.Sgd;
        precision = PrecisionKind.Single;
        double learningRate = 0, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, rmsDecay = 0.99, weightDecay = double.NaN, clipNorm = 0;
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
                    case "ClipNorm": clipNorm = Real(v); Check(clipNorm >= 0 && IsFinite(clipNorm), syntax, "ClipNorm", "zero (off) or positive", clipNorm); break;
                    case "Seed": seed = v.Value is int s ? s : 0; break;
                }
            }
        }
        if (learningRate == 0) learningRate = optimizer is OptimizerKind.Sgd or OptimizerKind.Momentum ? 0.01 : 0.001;
        // Unset weight decay: torch.optim.AdamW's 0.01, 0 for the others.
        if (double.IsNaN(weightDecay)) weightDecay = optimizer == OptimizerKind.AdamW ? 0.01 : 0;
        return new TrainingSpec(loss, optimizer, learningRate, momentum, beta1, beta2, epsilon, rmsDecay, weightDecay, seed, clipNorm);
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
        return _failed ? null : shape;
    }

    private LayerSpec? ParseLayer(AttributeData data, AttributeSyntax syntax, string defaultName)
    {
        string kindName = data.AttributeClass!.Name;
        kindName = kindName.EndsWith("Attribute", StringComparison.Ordinal) ? kindName.Substring(0, kindName.Length - "Attribute".Length) : kindName;
        var attribute = new LayerAttribute(data, syntax, kindName, defaultName, (descriptor, args) => Report(descriptor, syntax, args));
        if (LayerKinds.ForAttribute(kindName) is not { } kind)
        {
            Report(DiagnosticDescriptors.ShapeMismatch, syntax, attribute.Name, "any", $"{kindName} is not a layer this version of NetGen compiles");
            return null;
        }
        return kind.Read(attribute);
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
        bool perceptron = Analysis.NetworkModelBuilder.IsPerceptron(layers.Select(l => l.Spec).ToList());
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
        // The analysis decides how the loss reads the output; the diagnostics say what it decided.
        LossFusion fusion = Analysis.NetworkModelBuilder.ChooseLossFusion(layers.Select(l => l.Spec).ToList(), training.Loss);
        if (fusion == LossFusion.CrossEntropyFromLogits)
            Report(DiagnosticDescriptors.OutputsAreLogits, lastSyntax, _type.Name, "CrossEntropy", "softmax", "CrossEntropyLoss", "Activation.Softmax");
        else if (fusion == LossFusion.BinaryCrossEntropyFromLogits)
            Report(DiagnosticDescriptors.OutputsAreLogits, lastSyntax, _type.Name, "BinaryCrossEntropy", "sigmoid", "BCEWithLogitsLoss", "Activation.Sigmoid");
        else if (training.Loss == LossKind.CrossEntropy && fusion != LossFusion.SoftmaxCrossEntropy)
            Report(DiagnosticDescriptors.CrossEntropyWithoutSoftmax, lastSyntax, _type.Name);
        else if (training.Loss == LossKind.BinaryCrossEntropy && fusion != LossFusion.SigmoidBinaryCrossEntropy)
            Report(DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid, lastSyntax, _type.Name);
    }

    private static ActivationKind? ActivationOf(LayerSpec spec) => LayerKinds.Of(spec).Activation(spec)?.Kind;

    // ---- argument readers ------------------------------------------------------------------

    private static double Real(TypedConstant c) => LayerAttribute.ToReal(c);

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

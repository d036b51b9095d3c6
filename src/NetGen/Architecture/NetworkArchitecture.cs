using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>
/// A generated network that can say what it is at run time: its input, its layers in order with their
/// settings, shapes and tensors. Interchange (ONNX export) reads this; the generator writes it from the
/// same analysed model the forward pass is emitted from, in a file of its own (<c>{Class}.Architecture.g.cs</c>).
/// </summary>
public interface IDescribedNetwork
{
    /// <summary>The network's architecture as declared and analysed.</summary>
    NetworkArchitecture Architecture { get; }
}

/// <summary>
/// A network's architecture: the input (kind and shape of one sample), the layers in order, the element type and the loss.
/// Plain data written by the generator; nothing here is computed by reflection.
/// </summary>
/// <param name="ClassName">The declaring class's name.</param>
/// <param name="InputKind">What one input sample is: <c>Vector</c>, <c>Image</c> (channels, height, width), <c>Sequence</c> (time steps, features) or <c>Tokens</c> (time steps of integer ids).</param>
/// <param name="InputShape">The shape of one input sample, without the batch.</param>
/// <param name="ElementType"><c>float</c> or <c>double</c>.</param>
/// <param name="Loss">The declared loss (<c>MeanSquaredError</c>, <c>BinaryCrossEntropy</c>, <c>CrossEntropy</c>).</param>
/// <param name="Layers">The layers after the input, in order.</param>
public sealed record NetworkArchitecture(string ClassName, string InputKind, int[] InputShape, string ElementType, string Loss, IReadOnlyList<LayerArchitecture> Layers);

/// <summary>
/// One layer: its kind (as <c>Summary</c> names kinds: <c>Dense</c>, <c>Conv2D</c>, <c>Pool2D</c>, <c>Lstm</c>, ...), its name
/// (the prefix of its tensors, <c>layers.0</c>), its input and output shapes per sample, its declared settings and its tensors.
/// </summary>
/// <param name="Kind">The layer kind's name.</param>
/// <param name="Name">The layer's name: its tensors are <c>{Name}.weight</c>, ...</param>
/// <param name="InputKind">The kind of its input (<c>Vector</c>, <c>Image</c>, <c>Sequence</c>, <c>Tokens</c>).</param>
/// <param name="InputShape">Its input shape per sample.</param>
/// <param name="OutputKind">The kind of its output.</param>
/// <param name="OutputShape">Its output shape per sample.</param>
/// <param name="Settings">The declared settings by name (<c>Units</c>, <c>KernelSize</c>, <c>Activation</c>, <c>ActivationAlpha</c>, ...), invariant-culture text.</param>
/// <param name="Tensors">Its tensors in PyTorch's order: parameters and buffers.</param>
public sealed record LayerArchitecture(
    string Kind,
    string Name,
    string InputKind,
    int[] InputShape,
    string OutputKind,
    int[] OutputShape,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<LayerTensor> Tensors)
{
    /// <summary>True when the layer declares the setting.</summary>
    public bool Has(string setting) => Settings.ContainsKey(setting);

    /// <summary>A setting as text.</summary>
    /// <exception cref="KeyNotFoundException">The layer has no such setting (the message names the layer and the setting).</exception>
    public string Text(string setting)
        => Settings.TryGetValue(setting, out string? value) ? value
           : throw new KeyNotFoundException($"layer '{Name}' ({Kind}) has no setting '{setting}'; it has: {string.Join(", ", Settings.Keys)}");

    /// <summary>An integer setting.</summary>
    public int Int(string setting) => int.Parse(Text(setting), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>A real setting.</summary>
    public double Real(string setting) => double.Parse(Text(setting), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A boolean setting.</summary>
    public bool Bool(string setting) => bool.Parse(Text(setting));

    /// <summary>The tensor of a role (<c>Weight</c>, <c>Bias</c>, <c>InputWeight</c>, ...; see <see cref="LayerTensor.Role"/>).</summary>
    /// <exception cref="KeyNotFoundException">The layer has no tensor of that role.</exception>
    public LayerTensor Tensor(string role, string? field = null)
    {
        foreach (LayerTensor t in Tensors)
            if (t.Role == role && (field is null || t.Field == field)) return t;
        throw new KeyNotFoundException($"layer '{Name}' ({Kind}) has no {role} tensor{(field is null ? "" : " " + field)}");
    }

    /// <summary>The tensor of a role, or null.</summary>
    public LayerTensor? TryTensor(string role)
    {
        foreach (LayerTensor t in Tensors)
            if (t.Role == role) return t;
        return null;
    }
}

/// <summary>One tensor of a layer.</summary>
/// <param name="Name">Its full name (<c>{layer}.weight</c>), as in <c>ParameterTensors</c> or <c>BufferTensors</c>.</param>
/// <param name="Role">What it is for: <c>Weight</c>, <c>Bias</c>, <c>Slope</c>, <c>RunningMean</c>, <c>RunningVar</c>, <c>Embedding</c>,
/// <c>InputWeight</c>, <c>RecurrentWeight</c>, <c>InputBias</c>, <c>RecurrentBias</c>, <c>Scale</c>, <c>Shift</c>, <c>Positional</c>.</param>
/// <param name="Field">The name that tells apart two tensors of one role (<c>OutWeight</c>), else the role.</param>
/// <param name="Shape">Its shape, row-major (PyTorch's).</param>
/// <param name="Trainable">True for a parameter (in <c>Parameters</c>), false for a buffer (in <c>Buffers</c>).</param>
public sealed record LayerTensor(string Name, string Role, string Field, int[] Shape, bool Trainable);

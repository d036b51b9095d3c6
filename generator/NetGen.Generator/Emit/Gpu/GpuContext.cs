using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>
/// A device buffer of the runner: field, values per sample (or in all when not <paramref name="PerSample"/>:
/// per-channel batch statistics), element type, meaning.
/// </summary>
internal sealed record DeviceBuffer(string Name, int Size, string Type, string Meaning, bool PerSample = true);

/// <summary>
/// What the GPU layer emitters share: the network's plan, the device buffers that carry activations
/// and gradients between layers (as the host expressions passed to kernels), and the kernels written so far.
/// </summary>
internal sealed class GpuContext
{
    public GpuContext(NetworkModel model)
    {
        Model = model;
        Cpu = new EmitContext(model);
    }

    /// <summary>The analysed network, the same one the CPU emitter reads.</summary>
    public NetworkModel Model { get; }
    public NetworkSpec Spec => Model.Spec;
    public EquatableArray<LayerModel> Plans => Model.Layers;
    /// <summary>The CPU emitter's context, for literals written the same way.</summary>
    public EmitContext Cpu { get; }
    public int InputSize => Model.InputSize;
    public int OutputSize => Model.OutputSize;

    /// <summary>The kernels, in the order they were first launched.</summary>
    public List<GpuKernel> Kernels { get; } = new();

    /// <summary>Whether some layer writes d(loss)/d(input) (then the runner keeps a buffer for it).</summary>
    public bool UsesInputGradient { get; private set; }

    /// <summary>Layers whose d(loss)/d(pre-activation) is written by the next layer's input-gradient product (f' fused into its epilogue).</summary>
    public HashSet<int> DerivativeWrittenByNext { get; } = new();

    /// <summary>The last layer's pre-activation gradient is written by the fused loss.</summary>
    public bool LastDerivativeWrittenByLoss { get; set; }

    public const string Parameters = "_parameters.View";
    public const string Gradients = "_gradients.View";
    /// <summary>The non-trainable tensors (BatchNorm's running statistics) at their <see cref="TensorModel.Offset"/>s, as the CPU class's Buffers.</summary>
    public const string NetworkBuffers = "_networkBuffers.View";

    /// <summary>A float literal.</summary>
    public string F(double value) => Cpu.Literal(value);

    /// <summary>The layer's input on the device (the network input <c>x</c> for the first layer).</summary>
    public string InputOf(int i) => i == 0 ? "x" : OutputOf(i - 1);

    /// <summary>The layer's output; Flatten moves no data, so it passes its input on.</summary>
    public string OutputOf(int i) => Plans[i].PassesInputThrough ? InputOf(i) : $"_y{i}.View";

    /// <summary>d(loss)/d(the layer's output).</summary>
    public string OutputGradientOf(int i) => Plans[i].PassesInputThrough ? InputGradientOf(i) : $"_dy{i}.View";

    /// <summary>d(loss)/d(the layer's input).</summary>
    public string InputGradientOf(int i)
    {
        if (i > 0) return OutputGradientOf(i - 1);
        UsesInputGradient = true;
        return "_dx.View";
    }

    /// <summary>Whether layer i must write d(loss)/d(input): only when a layer before it has parameters (the runner has no composition API).</summary>
    public bool NeedsInputGradient(int i) => Plans[i].InputGradientAlways;

    /// <summary>The nearest layer before <paramref name="i"/> that moves data (not a Flatten), or −1.</summary>
    public int Producer(int i) => Plans[i].Producer;

    /// <summary>Adds a kernel and writes its launch.</summary>
    public void Launch(SourceWriter w, GpuKernel kernel)
    {
        if (!Kernels.Contains(kernel)) Kernels.Add(kernel);
        kernel.EmitLaunch(w);
        LaunchCount++;
    }

    /// <summary>Declares a device function the kernels call (once) and returns its name.</summary>
    public string Function(DeviceFunction function)
    {
        if (!Kernels.Any(k => k.Name == function.Name)) Kernels.Add(function);
        return function.Name;
    }

    /// <summary>Launches written so far (the emitter reads it per pass to count the launches of a training step).</summary>
    public int LaunchCount { get; set; }
}

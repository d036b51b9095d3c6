using System;
using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Layers;

/// <summary>What the three recurrent layers' attributes say: the hidden size H and whether every step is returned.</summary>
public abstract record RecurrentSpec(string Name, int Units, bool ReturnSequences) : LayerSpec(Name);

/// <summary><c>[SimpleRnn(units)]</c>.</summary>
public sealed record SimpleRnnSpec(string Name, int Units, bool ReturnSequences) : RecurrentSpec(Name, Units, ReturnSequences);

/// <summary><c>[Lstm(units)]</c>.</summary>
public sealed record LstmSpec(string Name, int Units, bool ReturnSequences) : RecurrentSpec(Name, Units, ReturnSequences);

/// <summary><c>[Gru(units)]</c>.</summary>
public sealed record GruSpec(string Name, int Units, bool ReturnSequences) : RecurrentSpec(Name, Units, ReturnSequences);

/// <summary>
/// What SimpleRnn, Lstm and Gru share: a sequence [t, features] in, [t, H] (ReturnSequences) or the last
/// step's [H] out, PyTorch's four tensors (weight_ih_l0 [G·H, in], weight_hh_l0 [G·H, H], bias_ih_l0 [G·H],
/// bias_hh_l0 [G·H]) initialised U(−1/√H, 1/√H), and one emitter over the kind's <see cref="RecurrentCell"/>.
/// </summary>
internal abstract class RecurrentKind<TSpec> : LayerKind<TSpec> where TSpec : RecurrentSpec
{
    /// <summary>The kernel class and the buffers its calls take.</summary>
    public abstract RecurrentCell Cell { get; }

    public override string Name => Cell.Kernel;

    public override string Example => $"[Input(4, 3)] [{Name}(5, ReturnSequences = true)] [{Name}(3)] [Dense(2)]";

    /// <summary>The spec of this kind from its name and arguments.</summary>
    protected abstract TSpec Create(string name, int units, bool returnSequences);

    public override LayerSpec? Read(LayerAttribute a)
    {
        int units = a.Int(0);
        a.Positive(units, $"The units of {a.What}");
        return Create(a.Name, units, a.NamedBool("ReturnSequences") ?? false);
    }

    protected override TensorShape? OutputShape(TSpec spec, TensorShape input, out string? reason)
    {
        reason = null;
        if (input.IsSequence) return spec.ReturnSequences ? TensorShape.Sequence(input.TimeSteps, spec.Units) : TensorShape.Vector(spec.Units);
        reason = input.Kind == ShapeKind.Image
            ? $"{Name} takes a sequence, not an image; declare [Input(timeSteps, features)]"
            : $"{Name} takes a sequence [timeSteps, features]; declare [Input(timeSteps, features)] (a recurrent layer before it must set ReturnSequences = true)";
        return null;
    }

    protected override IEnumerable<TensorDeclaration> Tensors(TSpec spec, TensorContext c)
    {
        int h = spec.Units, gh = Cell.Gates * h;
        InitRule init = InitRule.Uniform(1 / Math.Sqrt(h), "PyTorch's U(−1/√H, 1/√H)");
        yield return new TensorDeclaration("weight_ih_l0", TensorRole.InputWeight, new long[] { gh, c.Input.Features }, init);
        yield return new TensorDeclaration("weight_hh_l0", TensorRole.RecurrentWeight, new long[] { gh, h }, init);
        yield return new TensorDeclaration("bias_ih_l0", TensorRole.InputBias, new long[] { gh }, init);
        yield return new TensorDeclaration("bias_hh_l0", TensorRole.RecurrentBias, new long[] { gh }, init);
    }

    public override LayerEmitter CreateCpuEmitter(EmitContext context, LayerModel layer) => new RecurrentEmitter(context, layer, Cell);

    public override string? GpuUnsupportedReason(LayerModel layer) => null;

    /// <summary>The kind's GPU emitter (GpuRecurrentEmitter and its cell).</summary>
    protected abstract GpuLayerEmitter CreateGpuCell(GpuContext context, LayerModel layer);

    public override GpuLayerEmitter CreateGpuEmitter(GpuContext context, LayerModel layer) => CreateGpuCell(context, layer);
}

/// <summary>Elman RNN: h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh) (<c>nn.RNN</c>).</summary>
internal sealed class SimpleRnnKind : RecurrentKind<SimpleRnnSpec>
{
    public override RecurrentCell Cell => RecurrentCell.SimpleRnn;
    protected override SimpleRnnSpec Create(string name, int units, bool returnSequences) => new(name, units, returnSequences);
    protected override GpuLayerEmitter CreateGpuCell(GpuContext context, LayerModel layer) => new GpuSimpleRnnEmitter(context, layer);
}

/// <summary>LSTM, gates i, f, g, o (<c>nn.LSTM</c>).</summary>
internal sealed class LstmKind : RecurrentKind<LstmSpec>
{
    public override RecurrentCell Cell => RecurrentCell.Lstm;
    protected override LstmSpec Create(string name, int units, bool returnSequences) => new(name, units, returnSequences);
    protected override GpuLayerEmitter CreateGpuCell(GpuContext context, LayerModel layer) => new GpuLstmEmitter(context, layer);
}

/// <summary>GRU, gates r, z, n (<c>nn.GRU</c>).</summary>
internal sealed class GruKind : RecurrentKind<GruSpec>
{
    public override RecurrentCell Cell => RecurrentCell.Gru;
    protected override GruSpec Create(string name, int units, bool returnSequences) => new(name, units, returnSequences);
    protected override GpuLayerEmitter CreateGpuCell(GpuContext context, LayerModel layer) => new GpuGruEmitter(context, layer);
}

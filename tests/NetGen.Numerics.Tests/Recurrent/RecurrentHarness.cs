using System;
using System.Numerics;

namespace NetGen.Numerics.Tests.Recurrent;

public enum RecurrentKind { SimpleRnn, Lstm, Gru }

/// <summary>
/// One recurrent layer with its parameters, its output and every scratch span sized from the
/// formulas in the kernels' XML docs (so the tests also check those formulas are enough).
/// </summary>
internal sealed class RecurrentHarness<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly RecurrentKind Kind;
    public readonly int Batch, Time, Inputs, Hidden, Gates;
    public readonly bool ReturnSequences;
    public readonly T[] WeightIh, WeightHh, BiasIh, BiasHh;
    public readonly T[] Y, GateCache, ExtraCache, PreviousStates, State, StepProducts;
    public readonly T[] DWeightIh, DWeightHh, DBiasIh, DBiasHh, Dx;
    public readonly T[] GateGradients, HiddenGateGradients, StepGradients, StateGradient, ExtraGradient;

    public RecurrentHarness(RecurrentKind kind, int batch, int time, int inputs, int hidden, bool returnSequences, int seed)
    {
        Kind = kind; Batch = batch; Time = time; Inputs = inputs; Hidden = hidden; ReturnSequences = returnSequences;
        Gates = kind switch { RecurrentKind.SimpleRnn => 1, RecurrentKind.Lstm => 4, _ => 3 };
        int gh = Gates * hidden, rows = batch * time;
        // Parameters: U(−1/√H, 1/√H) as PyTorch initialises them.
        var rng = SplitMix64.FromSeed(seed);
        WeightIh = new T[gh * inputs]; WeightHh = new T[gh * hidden]; BiasIh = new T[gh]; BiasHh = new T[gh];
        foreach (T[] p in new[] { WeightIh, WeightHh, BiasIh, BiasHh }) SequenceInitializers.Recurrent<T>(p, hidden, ref rng);
        Y = new T[returnSequences ? rows * hidden : batch * hidden];
        GateCache = new T[rows * gh];
        ExtraCache = new T[kind == RecurrentKind.SimpleRnn ? 0 : rows * hidden]; // cells (LSTM) or hidden candidates (GRU)
        PreviousStates = new T[rows * hidden];
        State = new T[batch * hidden];
        StepProducts = new T[batch * gh];
        DWeightIh = new T[WeightIh.Length]; DWeightHh = new T[WeightHh.Length]; DBiasIh = new T[gh]; DBiasHh = new T[gh];
        Dx = new T[rows * inputs];
        GateGradients = new T[rows * gh];
        HiddenGateGradients = new T[kind == RecurrentKind.Gru ? rows * gh : 0];
        StepGradients = new T[batch * gh];
        StateGradient = new T[batch * hidden];
        ExtraGradient = new T[kind == RecurrentKind.SimpleRnn ? 0 : batch * hidden]; // cell gradient (LSTM) or direct gradient (GRU)
    }

    public T[][] Parameters => [WeightIh, WeightHh, BiasIh, BiasHh];
    public T[][] ParameterGradients => [DWeightIh, DWeightHh, DBiasIh, DBiasHh];
    public static readonly string[] ParameterNames = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];

    public T[] Forward(ReadOnlySpan<T> x)
    {
        switch (Kind)
        {
            case RecurrentKind.SimpleRnn:
                SimpleRnn.Forward<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, Y, GateCache, PreviousStates, State, StepProducts, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
            case RecurrentKind.Lstm:
                Lstm.Forward<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, Y, GateCache, ExtraCache, PreviousStates, State, StepProducts, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
            default:
                Gru.Forward<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, Y, GateCache, ExtraCache, PreviousStates, State, StepProducts, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
        }
        return Y;
    }

    /// <summary>Backward after <see cref="Forward"/>; dx is skipped when <paramref name="withInputGradient"/> is false.</summary>
    public void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, bool withInputGradient = true)
    {
        Span<T> dx = withInputGradient ? Dx : default;
        switch (Kind)
        {
            case RecurrentKind.SimpleRnn:
                SimpleRnn.Backward<T>(x, WeightIh, WeightHh, dy, GateCache, PreviousStates, DWeightIh, DWeightHh, DBiasIh, DBiasHh, dx,
                    GateGradients, StepGradients, StateGradient, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
            case RecurrentKind.Lstm:
                Lstm.Backward<T>(x, WeightIh, WeightHh, dy, GateCache, ExtraCache, PreviousStates, DWeightIh, DWeightHh, DBiasIh, DBiasHh, dx,
                    GateGradients, StepGradients, StateGradient, ExtraGradient, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
            default:
                Gru.Backward<T>(x, WeightIh, WeightHh, dy, GateCache, ExtraCache, PreviousStates, DWeightIh, DWeightHh, DBiasIh, DBiasHh, dx,
                    GateGradients, HiddenGateGradients, StepGradients, StateGradient, ExtraGradient, Batch, Time, Inputs, Hidden, ReturnSequences);
                break;
        }
    }

    /// <summary>One generation step on x [batch, inputs]; state (and cell) [batch, H] updated in place; scratch 2·batch·G·H.</summary>
    public void Step(ReadOnlySpan<T> x, Span<T> state, Span<T> cell, Span<T> scratch)
    {
        switch (Kind)
        {
            case RecurrentKind.SimpleRnn: SimpleRnn.Step<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, state, scratch, Batch, Inputs, Hidden); break;
            case RecurrentKind.Lstm: Lstm.Step<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, state, cell, scratch, Batch, Inputs, Hidden); break;
            default: Gru.Step<T>(x, WeightIh, WeightHh, BiasIh, BiasHh, state, scratch, Batch, Inputs, Hidden); break;
        }
    }

    /// <summary>The same layer's parameters as another element type (for float-vs-double checks).</summary>
    public void CopyParametersFrom<TOther>(RecurrentHarness<TOther> other) where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        T[][] mine = Parameters; TOther[][] theirs = other.Parameters;
        for (int p = 0; p < mine.Length; p++)
            for (int i = 0; i < mine[p].Length; i++) mine[p][i] = T.CreateTruncating(theirs[p][i]);
    }
}

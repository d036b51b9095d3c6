using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// SimpleRnn, Lstm and Gru on the CPU: Forward over whole sequences (all steps' input products as one
/// product), backpropagation through time, and Step for generation with the state carried in fields.
/// The calls and scratch sizes are those of docs/recurrent-kernels.md.
/// </summary>
internal sealed class RecurrentEmitter : LayerEmitter
{
    private readonly RecurrentSpec _spec;
    private readonly RecurrentCell _cell;

    public RecurrentEmitter(EmitContext ctx, LayerModel layer, RecurrentCell cell) : base(ctx, layer)
    {
        _spec = (RecurrentSpec)layer.Spec;
        _cell = cell;
    }

    private int Inputs => Layer.Input.Features;
    private int Time => Layer.Input.TimeSteps;
    private int H => _spec.Units;
    private int GH => _cell.Gates * H;
    private string Rs => _spec.ReturnSequences ? "true" : "false";
    private string Kernel => $"{K}.{_cell.Kernel}";
    private TensorModel WeightIh => Layer.Tensor(TensorRole.InputWeight);
    private TensorModel WeightHh => Layer.Tensor(TensorRole.RecurrentWeight);
    private TensorModel BiasIh => Layer.Tensor(TensorRole.InputBias);
    private TensorModel BiasHh => Layer.Tensor(TensorRole.RecurrentBias);

    /// <summary>The forward pass's scratch after its caches: the running state and one step's hidden products.</summary>
    private IEnumerable<RecurrentScratch> ForwardScratch => _cell.ForwardCaches.Concat(new[]
    {
        new RecurrentScratch("state", 1, false, "the running h"),
        new RecurrentScratch("stepProducts", _cell.Gates, false, "W_hh·h_{t−1} + b_hh of one step"),
    });

    private string Field(RecurrentScratch s) => $"_{s.Name}{I}";
    private int PerSample(RecurrentScratch s) => (s.PerTimeStep ? Time : 1) * s.Width * H;
    private string Arg(RecurrentScratch s) => $"{s.Name}: {EmitContext.Rows(Field(s), PerSample(s))}";

    // The state Step carries between calls (one sample): h, c for the LSTM, and the step's products.
    private string StepState => $"_stepState{I}";
    private string StepCell => $"_stepCell{I}";
    private string StepProducts => $"_stepScratch{I}";

    public override string Describe()
        => $"{_cell.Kernel} {Inputs} → {H} over {Time} time steps, " + (_spec.ReturnSequences ? "returning every step" : "returning the last step");

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        foreach (RecurrentScratch s in ForwardScratch.Concat(_cell.BackwardScratch))
            yield return new BufferField(Field(s), PerSample(s), T, $"{_spec.Name}: {s.Meaning}");
        yield return new BufferField(StepState, H, T, $"{_spec.Name}: h carried by Step", PerSample: false);
        if (_cell.HasCell) yield return new BufferField(StepCell, H, T, $"{_spec.Name}: c carried by Step", PerSample: false);
        yield return new BufferField(StepProducts, 2 * GH, T, $"{_spec.Name}: W_ih·x + b_ih and W_hh·h + b_hh of one Step", PerSample: false);
    }

    private string Parameters => $"{EmitContext.Param(WeightIh)}, {EmitContext.Param(WeightHh)}, {EmitContext.Param(BiasIh)}, {EmitContext.Param(BiasHh)}";

    public override void EmitForward(SourceWriter w)
    {
        w.Line($"// {_cell.Math} for t = 0..{Time - 1}, h_{{−1}} = 0   (W_ih: {GH}×{Inputs}, W_hh: {GH}×{H}; the input products of all steps in one product)");
        w.Line($"// y{I} = " + (_spec.ReturnSequences ? $"h_t of every step [{Time}, {H}]" : $"h_{Time - 1}, the last step [{H}]"));
        w.Line($"{Kernel}.Forward<{T}>({Ctx.InputOf(I)}, {Parameters}, {Ctx.OutputOf(I)},");
        w.Line($"    {string.Join(", ", ForwardScratch.Select(Arg))},");
        w.Line($"    batch: n, time: {Time}, inputs: {Inputs}, hidden: {H}, returnSequences: {Rs});");
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        string dx = Ctx.InputGradientOf(I);
        if (!Layer.InputGradientAlways)
        {
            w.Line($"// dx{I} only when the caller asks for input gradients (an empty span skips it)");
            w.Line($"global::System.Span<{T}> dx{I} = inputGradient ? {dx} : default;");
            dx = $"dx{I}";
        }
        w.Line($"// Backpropagation through time from step {Time - 1} to 0: dW_ih, dW_hh, db_ih, db_hh (overwritten) and dx{I}");
        w.Line($"{Kernel}.Backward<{T}>({Ctx.InputOf(I)}, {EmitContext.Param(WeightIh)}, {EmitContext.Param(WeightHh)}, {Ctx.OutputGradientOf(I)},");
        w.Line($"    {string.Join(", ", _cell.ForwardCaches.Select(Arg))},");
        w.Line($"    {EmitContext.Grad(WeightIh)}, {EmitContext.Grad(WeightHh)}, {EmitContext.Grad(BiasIh)}, {EmitContext.Grad(BiasHh)}, dx: {dx},");
        w.Line($"    {string.Join(", ", _cell.BackwardScratch.Select(Arg))},");
        w.Line($"    batch: n, time: {Time}, inputs: {Inputs}, hidden: {H}, returnSequences: {Rs});");
    }

    /// <summary>Needs no one-step view: the state of the steps before is in the Step fields.</summary>
    public override string? StepUnsupportedReason => null;

    public override void EmitStep(SourceWriter w)
    {
        w.Line($"// {_cell.Math.Replace("_{t−1}", "").Replace("_t", "")}, with h{(_cell.HasCell ? " and c" : "")} carried from the previous Step (O(1) per step)");
        string cell = _cell.HasCell ? $"cell: {StepCell}, " : "";
        w.Line($"{Kernel}.Step<{T}>({Ctx.InputOf(I)}, {Parameters}, state: {StepState}, {cell}stepProducts: {StepProducts}, batch: 1, inputs: {Inputs}, hidden: {H});");
        w.Line($"// y{I} = h");
        w.Line($"new global::System.ReadOnlySpan<{T}>({StepState}).CopyTo({Ctx.OutputOf(I)});");
    }

    public override void EmitResetState(SourceWriter w)
    {
        w.Line($"global::System.Array.Clear({StepState}); // {_spec.Name}: h = 0");
        if (_cell.HasCell) w.Line($"global::System.Array.Clear({StepCell}); // {_spec.Name}: c = 0");
    }
}

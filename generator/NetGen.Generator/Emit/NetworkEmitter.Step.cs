using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// Generation (DESIGN.md §6): ResetState() and Step(...) for networks over sequences, one time step in,
// that step's output out, each layer's part written by its emitter over the one-step view of the network.
internal sealed partial class NetworkEmitter
{
    private void EmitGeneration()
    {
        if (_model.Input.Kind is not (ShapeKind.Sequence or ShapeKind.Tokens)) return;
        // Token ids or float features, one step at a time.
        string? reason = _layers.Select(l => l.StepUnsupportedReason).FirstOrDefault(r => r is not null);
        if (reason is not null)
        {
            _w.Line($"// No Step or ResetState: {reason}.");
            _w.Line();
            return;
        }

        NetworkModel view = OneStepView(_model);
        var stepCtx = new EmitContext(view) { StepCapacity = _model.Input.TimeSteps };
        List<LayerEmitter> steps = view.Layers.Select(l => LayerKinds.Of(l.Spec).CreateCpuEmitter(stepCtx, l)).ToList();
        int stepInputs = view.InputSize, stepOutputs = view.OutputSize;
        // The most steps before ResetState: the smallest limit a layer sets (attention's cache capacity), or none;
        // on a tie the deepest such layer is named (an attention cache rather than the position table before it).
        LayerEmitter? limiting = steps.Where(s => s.StepLimit is not null).OrderBy(s => s.StepLimit!.Value).ThenByDescending(s => s.Layer.Index).FirstOrDefault();

        if (!IsTokenInput)
        {
            _w.Line("/// <summary>Values <see cref=\"Step\"/> takes: the features of one time step.</summary>");
            _w.Line($"public const int StepInputSize = {stepInputs};");
        }
        _w.Line("/// <summary>Values <see cref=\"Step\"/> gives: the output for the sequence so far.</summary>");
        _w.Line($"public const int StepOutputSize = {stepOutputs};");
        if (limiting is not null)
        {
            _w.Line($"/// <summary>Steps <see cref=\"Step\"/> can take after <see cref=\"ResetState\"/>: layer '{limiting.Layer.Spec.Name}' holds {limiting.StepLimit} positions.</summary>");
            _w.Line($"public const int MaxSteps = {limiting.StepLimit};");
        }
        _w.Line();
        _w.Line("private long _position; // time steps Step has taken since ResetState (attention: the next cache slot)");
        _w.Line();
        _w.Line(limiting is null
            ? "/// <summary>Forgets the sequence <see cref=\"Step\"/> has seen: every recurrent state back to zero.</summary>"
            : "/// <summary>Forgets the sequence <see cref=\"Step\"/> has seen: the next step is position 0 again (cached keys and values are overwritten from there).</summary>");
        _w.Open("public void ResetState()");
        _w.Line("_position = 0;");
        foreach (LayerEmitter step in steps) step.EmitResetState(_w);
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// One time step of generation: <paramref name=\"" + (IsTokenInput ? "token" : "input") + "\"/> is the next step's " + (IsTokenInput ? "token id" : "StepInputSize features") + ", <paramref name=\"output\"/>");
        _w.Line("/// receives StepOutputSize values, what <see cref=\"Predict(global::System.ReadOnlySpan{" + InputElement + "}, global::System.Span{" + T + "})\"/> gives for the sequence seen");
        _w.Line("/// since <see cref=\"ResetState\"/> (for a network that outputs the last step: as if the sequence ended here).");
        if (limiting is null)
            _w.Line("/// O(1) per step, no limit on the number of steps; allocates nothing after the first call. Shares the activation buffers with Predict.");
        else
        {
            _w.Line($"/// At most MaxSteps = {limiting.StepLimit} steps after <see cref=\"ResetState\"/> (then <see cref=\"global::System.InvalidOperationException\"/>); step t costs O(t) (attention reads");
            _w.Line("/// the cached keys and values of the steps before). Allocates nothing after the first call. Shares the activation buffers with Predict.");
        }
        _w.Line("/// </summary>");
        if (IsTokenInput)
        {
            _w.Open($"public void Step(int token, {Span} output)");
            _w.Line("global::System.ReadOnlySpan<int> input = new(in token); // an id outside the vocabulary throws, naming it");
        }
        else
        {
            _w.Open($"public void Step({ReadOnlySpan} input, {Span} output)");
            _w.Line("if (input.Length != StepInputSize) throw new global::System.ArgumentException($\"Expected {StepInputSize} input values (one time step), but got {input.Length}.\", nameof(input));");
        }
        _w.Line("if (output.Length != StepOutputSize) throw new global::System.ArgumentException($\"Expected {StepOutputSize} output values (one time step), but got {output.Length}.\", nameof(output));");
        if (limiting is not null)
            _w.Line($"if (_position >= MaxSteps) throw new global::System.InvalidOperationException($\"Step has taken {{MaxSteps}} steps since ResetState, the most layer '{limiting.Layer.Spec.Name}' ({limiting.Layer.KindName}) holds; call ResetState() to start a new sequence.\");");
        _w.Line("const int n = 1;");
        _w.Line("EnsureCapacity(n);");
        _w.Line("_trainingRows = _evaluationRows = 0; // Step writes its one row over the output buffer");
        _w.Line("RunStep(input, n, training: false);");
        _w.Line("_position++;");
        _w.Line($"{stepCtx.OutputOf(steps.Count - 1)}.CopyTo(output);");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>Runs every layer on one time step <paramref name=\"x\"/> of <paramref name=\"n\"/> = 1 sample, carrying the recurrent state.</summary>");
        _w.Open($"private void RunStep({InputSpan} x, int n, bool training)");
        for (int i = 0; i < steps.Count; i++)
        {
            if (i > 0) _w.Line();
            _w.Line($"// ---- {view.Layers[i].Spec.Name}: one step ----");
            steps[i].EmitStep(_w);
        }
        _w.Close();
        _w.Line();
    }

    /// <summary>The network as one time step sees it: every sequence [t, f] becomes [1, f] (tokens [t] become [1]).</summary>
    private static NetworkModel OneStepView(NetworkModel model)
        => model with
        {
            Input = OneStep(model.Input),
            Layers = model.Layers.Select(l => l with { Input = OneStep(l.Input), Output = OneStep(l.Output) }).ToEquatableArray(),
        };

    private static TensorShape OneStep(TensorShape shape) => shape.Kind switch
    {
        ShapeKind.Sequence => TensorShape.Sequence(1, shape.Features),
        ShapeKind.Tokens => TensorShape.Tokens(1),
        _ => shape,
    };
}

using NetGen.Generator.Model;

namespace NetGen.Generator.Emit.Gpu;

// A runner over token ids: the device input holds the ids as floats (exact below 2²⁴), so the runner keeps
// IGpuNetwork's float API; these overloads take the CPU class's int ids, and every host batch is checked
// against the vocabulary as the CPU class checks it.
internal sealed partial class GpuNetworkEmitter
{
    /// <summary>The vocabulary of the first layer's table (an Embedding: the only kind that consumes tokens).</summary>
    private int Vocabulary => _model.Layers[0].Tensor(TensorRole.Embedding).Shape[0];

    private void EmitTokenOverloads()
    {
        int v = Vocabulary;
        _w.Line("// Token ids as ints, converted into one host array grown to the largest batch seen (then reused).");
        _w.Line("private float[] _tokenStaging = global::System.Array.Empty<float>();");
        _w.Line();
        _w.Line("/// <summary>Runs a batch of token ids forward (dropout off), as the CPU class's Predict.</summary>");
        _w.Line("public void Predict(global::System.ReadOnlySpan<int> inputs, global::System.Span<float> outputs, int batchSize) => Predict(StageTokens(inputs), outputs, batchSize);");
        _w.Line("/// <summary>The mean loss of a batch of token ids; dropout is off and the gradients are left as they are.</summary>");
        _w.Line("public float ComputeLoss(global::System.ReadOnlySpan<int> inputs, global::System.ReadOnlySpan<float> targets, int batchSize) => ComputeLoss(StageTokens(inputs), targets, batchSize);");
        _w.Line("/// <summary>Overwrites the device gradients for a batch of token ids and returns its loss.</summary>");
        _w.Line("public float ComputeGradients(global::System.ReadOnlySpan<int> inputs, global::System.ReadOnlySpan<float> targets, int batchSize) => ComputeGradients(StageTokens(inputs), targets, batchSize);");
        _w.Line("/// <summary>One training step on a batch of token ids; returns the loss before the update.</summary>");
        _w.Line("public float TrainStep(global::System.ReadOnlySpan<int> inputs, global::System.ReadOnlySpan<float> targets, int batchSize) => TrainStep(StageTokens(inputs), targets, batchSize);");
        _w.Line();
        _w.Line($"/// <summary>The ids as floats, each checked to lie in [0, {v}).</summary>");
        _w.Open("private global::System.ReadOnlySpan<float> StageTokens(global::System.ReadOnlySpan<int> ids)");
        _w.Line("if (_tokenStaging.Length < ids.Length) _tokenStaging = new float[ids.Length];");
        _w.Open("for (int p = 0; p < ids.Length; p++)");
        _w.Line($"if ((uint)ids[p] >= {v}u) throw new global::System.ArgumentOutOfRangeException(\"inputs\", ids[p], $\"Token id {{ids[p]}} at position {{p}} is outside the vocabulary [0, {v}).\");");
        _w.Line("_tokenStaging[p] = ids[p];");
        _w.Close();
        _w.Line("return new global::System.ReadOnlySpan<float>(_tokenStaging, 0, ids.Length);");
        _w.Close();
        _w.Line();
        _w.Line($"/// <summary>Throws naming the first position whose value is not a whole token id in [0, {v}) (batches on the device are not checked: there an id outside gives a row of zeros).</summary>");
        _w.Open("private static void CheckTokens(global::System.ReadOnlySpan<float> ids)");
        _w.Line("for (int p = 0; p < ids.Length; p++)");
        _w.Line($"    if (!(ids[p] >= 0f && ids[p] < {v}f) || ids[p] != global::System.MathF.Floor(ids[p]))");
        _w.Line($"        throw new global::System.ArgumentOutOfRangeException(\"inputs\", ids[p], $\"Token id {{ids[p]}} at position {{p}} is outside the vocabulary [0, {v}) or not a whole number.\");");
        _w.Close();
        _w.Line();
    }
}

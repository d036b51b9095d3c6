using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// MaxPool2D and AvgPool2D over NCHW activations, square windows, no padding (PyTorch's
/// <c>nn.MaxPool2d</c>/<c>nn.AvgPool2d</c>). Max pooling keeps each output's arg-max for the backward pass.
/// </summary>
internal sealed class Pool2DEmitter : LayerEmitter
{
    private readonly Pool2DSpec _pool;

    public Pool2DEmitter(EmitContext ctx, LayerModel layer) : base(ctx, layer) => _pool = (Pool2DSpec)layer.Spec;

    private int Channels => Layer.InputShape[0];
    private string ArgMax => EmitContext.Rows($"_argmax{I}", Layer.OutputSize);
    private string Shape => $"new {K}.Pool2DShape({Channels}, {Layer.InputShape[1]}, {Layer.InputShape[2]}, {_pool.Size}, {_pool.Stride})";
    private string Kind => _pool.IsMax ? "MaxPool2D" : "AvgPool2D";

    public override string Describe()
        => $"{Kind} {_pool.Size}×{_pool.Size}, stride {_pool.Stride}: {string.Join("×", Layer.InputShape)} → {string.Join("×", Layer.OutputShape)}";

    public override IEnumerable<BufferField> Buffers()
    {
        foreach (BufferField b in base.Buffers()) yield return b;
        if (_pool.IsMax) yield return new BufferField($"_argmax{I}", Layer.OutputSize, "int", $"{_pool.Name}: where in the sample each window's maximum was");
    }

    public override void EmitForward(SourceWriter w)
    {
        if (_pool.IsMax)
        {
            w.Line($"// y{I}[c, i, j] = max of x{I}[c] over the {_pool.Size}×{_pool.Size} window at ({_pool.Stride}·i, {_pool.Stride}·j); remember where it was");
            w.Line($"{K}.Pooling.MaxForward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputOf(I)}, {ArgMax}, n, {Shape});");
        }
        else
        {
            w.Line($"// y{I}[c, i, j] = mean of x{I}[c] over the {_pool.Size}×{_pool.Size} window at ({_pool.Stride}·i, {_pool.Stride}·j)");
            w.Line($"{K}.Pooling.AverageForward<{T}>({Ctx.InputOf(I)}, {Ctx.OutputOf(I)}, n, {Shape});");
        }
    }

    public override void EmitBackward(SourceWriter w, bool mayBeFused)
    {
        bool open = OpenIfInputGradientWanted(w);
        if (_pool.IsMax)
        {
            w.Line($"// dx{I} = dy{I} routed to each window's arg-max (added where windows overlap)");
            w.Line($"{K}.Pooling.MaxBackward<{T}>({Ctx.OutputGradientOf(I)}, {ArgMax}, {Ctx.InputGradientOf(I)}, n, {Shape});");
        }
        else
        {
            w.Line($"// dx{I} = dy{I} / {_pool.Size * _pool.Size} spread over each window (added where windows overlap)");
            w.Line($"{K}.Pooling.AverageBackward<{T}>({Ctx.OutputGradientOf(I)}, {Ctx.InputGradientOf(I)}, n, {Shape});");
        }
        if (open) w.Close();
    }
}

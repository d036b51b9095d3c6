using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// MaxPool2D and AvgPool2D on the GPU: forward, one thread per output (max pooling also records the
/// arg-max within the sample, by the CPU's rule <c>PoolingMath.Takes</c>); backward, one thread per
/// input value gathering from the windows that cover it, in output order as the CPU adds them, so
/// overlapping windows (stride &lt; size) need no atomics.
/// </summary>
internal sealed class GpuPool2DEmitter : GpuLayerEmitter
{
    private readonly Pool2DSpec _pool;

    public GpuPool2DEmitter(GpuContext ctx, LayerModel layer) : base(ctx, layer) => _pool = (Pool2DSpec)layer.Spec;

    private int Height => Layer.InputShape[1];
    private int Width => Layer.InputShape[2];
    private int OutHeight => Layer.OutputShape[1];
    private int OutWidth => Layer.OutputShape[2];
    private int Size => _pool.Size;
    private int Stride => _pool.Stride;
    private string ArgMax => $"_argmax{I}.View";

    public override IEnumerable<DeviceBuffer> Buffers()
    {
        foreach (DeviceBuffer b in base.Buffers()) yield return b;
        if (_pool.IsMax) yield return new DeviceBuffer($"_argmax{I}", Layer.OutputSize, "int", $"{_pool.Name}: where in the sample each window's maximum was");
    }

    public override void EmitForward(SourceWriter w)
    {
        var parameters = new List<KernelParam> { KernelParam.Floats("x", Ctx.InputOf(I)), KernelParam.Floats("y", Ctx.OutputOf(I)) };
        if (_pool.IsMax)
        {
            w.Line($"// y{I}[c, i, j] = max of x{I}[c] over the {Size}×{Size} window at ({Stride}·i, {Stride}·j); remember where it was");
            parameters.Add(KernelParam.Ints("argmax", ArgMax));
        }
        else w.Line($"// y{I}[c, i, j] = mean of x{I}[c] over the {Size}×{Size} window at ({Stride}·i, {Stride}·j)");
        Ctx.Launch(w, new ElementKernel($"{L}{(_pool.IsMax ? "Max" : "Average")}Forward",
            _pool.IsMax ? "y = the window's maximum (a larger value or a NaN takes its place), argmax = its index in the sample." : "y = the window's mean.",
            parameters, $"n * {Layer.OutputSize}",
            ew =>
            {
                ew.Line($"int b = i / {Layer.OutputSize}, o = i % {Layer.OutputSize};");
                ew.Line($"int c = o / {OutHeight * OutWidth}, oy = o % {OutHeight * OutWidth} / {OutWidth}, ox = o % {OutWidth};");
                ew.Line($"int start = c * {Height * Width} + oy * {Stride * Width} + ox * {Stride}, sample = b * {Layer.InputSize};");
                if (_pool.IsMax)
                {
                    ew.Line("int best = start;");
                    ew.Line("float max = x[sample + start];");
                    ew.Open($"for (int ky = 0; ky < {Size}; ky++)");
                    ew.Open($"for (int kx = 0; kx < {Size}; kx++)");
                    ew.Line($"int at = start + ky * {Width} + kx;");
                    ew.Line("float v = x[sample + at];");
                    ew.Line("if (Kernels.PoolingMath.Takes(v, max)) { max = v; best = at; } // the CPU kernel's rule");
                    ew.Close();
                    ew.Close();
                    ew.Line("y[i] = max;");
                    ew.Line("argmax[i] = best;");
                }
                else
                {
                    ew.Line("float sum = 0f;");
                    ew.Line($"for (int ky = 0; ky < {Size}; ky++) for (int kx = 0; kx < {Size}; kx++) sum += x[sample + start + ky * {Width} + kx];");
                    ew.Line($"y[i] = sum * (1f / {Size * Size});");
                }
            }));
    }

    public override void EmitBackward(SourceWriter w)
    {
        if (!Ctx.NeedsInputGradient(I)) return;
        var parameters = new List<KernelParam> { KernelParam.Floats("dy", Ctx.OutputGradientOf(I)), KernelParam.Floats("dx", Ctx.InputGradientOf(I)) };
        if (_pool.IsMax)
        {
            w.Line($"// dx{I} = dy{I} routed to each window's arg-max (summed where windows overlap)");
            parameters.Add(KernelParam.Ints("argmax", ArgMax));
        }
        else w.Line($"// dx{I} = dy{I} / {Size * Size} spread over each window (summed where windows overlap)");
        Ctx.Launch(w, new ElementKernel($"{L}{(_pool.IsMax ? "Max" : "Average")}Backward",
            _pool.IsMax ? "dx = Σ over the windows covering this value whose arg-max it is of dy." : "dx = Σ over the windows covering this value of dy / size².",
            parameters, $"n * {Layer.InputSize}",
            ew =>
            {
                ew.Line($"int b = i / {Layer.InputSize}, at = i % {Layer.InputSize};");
                ew.Line($"int c = at / {Height * Width}, iy = at % {Height * Width} / {Width}, ix = at % {Width};");
                ew.Line($"// the windows covering (iy, ix): oy·{Stride} ≤ iy < oy·{Stride} + {Size}, likewise ox");
                ew.Line($"int oy0 = iy - {Size} + 1 > 0 ? (iy - {Size} + {Stride}) / {Stride} : 0, oy1 = global::System.Math.Min({OutHeight - 1}, iy / {Stride});");
                ew.Line($"int ox0 = ix - {Size} + 1 > 0 ? (ix - {Size} + {Stride}) / {Stride} : 0, ox1 = global::System.Math.Min({OutWidth - 1}, ix / {Stride});");
                ew.Line($"int outputs = b * {Layer.OutputSize} + c * {OutHeight * OutWidth};");
                ew.Line("float sum = 0f;");
                ew.Open("for (int oy = oy0; oy <= oy1; oy++)");
                ew.Open("for (int ox = ox0; ox <= ox1; ox++)");
                ew.Line($"int o = outputs + oy * {OutWidth} + ox;");
                ew.Line(_pool.IsMax ? "if (argmax[o] == at) sum += dy[o];" : $"sum += dy[o] * (1f / {Size * Size});");
                ew.Close();
                ew.Close();
                ew.Line("dx[i] = sum;");
            }));
    }
}

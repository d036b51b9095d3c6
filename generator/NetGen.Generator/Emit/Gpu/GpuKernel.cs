using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Emit.Gpu;

/// <summary>One kernel parameter: its C# type, its name inside the kernel, and what the host passes.</summary>
internal sealed record KernelParam(string Type, string Name, string Argument)
{
    public const string FloatView = "global::ILGPU.ArrayView<float>";
    public const string IntView = "global::ILGPU.ArrayView<int>";

    public static KernelParam Floats(string name, string argument) => new(FloatView, name, argument);
    public static KernelParam Ints(string name, string argument) => new(IntView, name, argument);
}

/// <summary>
/// A kernel of the runner: a static method the accelerator compiles, a delegate field, the line that
/// loads it and the line that launches it. Every kernel takes the batch size <c>n</c> last; every
/// other size is a constant in its body.
/// </summary>
internal abstract class GpuKernel(string name, string summary, IReadOnlyList<KernelParam> parameters)
{
    public string Name { get; } = name;
    public string Summary { get; } = summary;
    public IReadOnlyList<KernelParam> Params { get; } = parameters;

    /// <summary>Whether the kernel takes the batch size <c>n</c> (every kernel but the optimizer update).</summary>
    public bool TakesBatch { get; init; } = true;

    private IEnumerable<string> Batch(string text) => TakesBatch ? new[] { text } : Array.Empty<string>();
    protected string ParamList => string.Join(", ", Params.Select(p => $"{p.Type} {p.Name}").Concat(Batch("int n")));
    protected string TypeList => string.Join(", ", Params.Select(p => p.Type).Concat(Batch("int")));
    protected string ArgList => string.Join(", ", Params.Select(p => p.Argument).Concat(Batch("n")));

    /// <summary>Writes the kernel method(s).</summary>
    public abstract void EmitMethods(SourceWriter w);

    /// <summary>Writes the delegate field(s).</summary>
    public abstract void EmitFields(SourceWriter w);

    /// <summary>Writes the loading statement(s); in scope: <c>accelerator</c>, <c>_tiled</c>.</summary>
    public abstract void EmitLoad(SourceWriter w);

    /// <summary>Writes the launch.</summary>
    public abstract void EmitLaunch(SourceWriter w);
}

/// <summary>
/// An implicitly grouped kernel: one thread per index <c>i</c> in [0, extent). The body sees <c>i</c>,
/// its parameters and <c>n</c>.
/// </summary>
internal sealed class ElementKernel(string name, string summary, IReadOnlyList<KernelParam> parameters, string extent, Action<SourceWriter> body)
    : GpuKernel(name, summary, parameters)
{
    public string Extent { get; } = extent;

    public override void EmitMethods(SourceWriter w)
    {
        w.Line($"/// <summary>{Summary} One thread per index in [0, {Extent}).</summary>");
        w.Open($"private static void {Name}(global::ILGPU.Index1D index, {ParamList})");
        w.Line("int i = index;");
        body(w);
        w.Close();
        w.Line();
    }

    public override void EmitFields(SourceWriter w)
        => w.Line($"private readonly global::System.Action<global::ILGPU.Index1D, {TypeList}> _{Name};");

    public override void EmitLoad(SourceWriter w)
        => w.Line($"_{Name} = accelerator.LoadAutoGroupedStreamKernel<global::ILGPU.Index1D, {TypeList}>({Name});");

    public override void EmitLaunch(SourceWriter w) => w.Line($"_{Name}({Extent}, {ArgList});");
}

/// <summary>
/// C[row, col] = Σₖ A[row, k]·B[k, col] for row &lt; Rows, col &lt; Cols, k &lt; Depth, then an epilogue
/// that sees <c>row</c>, <c>col</c> and the sum <c>s</c>. Written twice: tiled (explicit 16×16 groups, 64×64
/// blocks, 4×4 sums per thread in registers, both operands staged through shared memory, for GPUs) and direct (one thread per output, for
/// ILGPU's CPU accelerator, where group barriers are expensive). Both read the operands through the
/// same expressions and run the same epilogue.
/// </summary>
internal sealed class ProductKernel : GpuKernel
{
    public ProductKernel(string name, string summary, IReadOnlyList<KernelParam> parameters,
        string rows, int cols, string depth,
        Func<string, string, string> a, bool aStoredByColumn,
        Func<string, string, string> b, bool bStoredByColumn,
        Action<SourceWriter> epilogue)
        : base(name, summary, parameters)
    {
        Rows = rows; Cols = cols; Depth = depth;
        _a = a; _aStoredByColumn = aStoredByColumn; _b = b; _bStoredByColumn = bStoredByColumn; _epilogue = epilogue;
    }

    public string Rows { get; }
    public int Cols { get; }
    public string Depth { get; }

    /// <summary>
    /// Split-k: the tiled variant's grid has a third dimension; group z sums k in [z·chunk, (z + 1)·chunk)
    /// (the kernel takes <c>chunk</c>), and the epilogue sees <c>split</c> = z. The direct variant runs
    /// the whole depth as split 0. Used for dW, whose depth is the batch.
    /// </summary>
    public bool SplitsDepth { get; init; }
    private readonly Func<string, string, string> _a, _b;
    private readonly bool _aStoredByColumn, _bStoredByColumn;
    private readonly Action<SourceWriter> _epilogue;

    public override void EmitMethods(SourceWriter w)
    {
        string names = string.Join(", ", Params.Select(p => p.Name).Concat(new[] { "n" }));
        string depth = SplitsDepth ? "kEnd" : Depth;

        w.Line($"/// <summary>{Summary} Tiled: a 16×16 group computes a 64×64 block of the {Rows}×{Cols} result, 4×4 values per thread");
        w.Line($"/// (rows ty + 16i, columns tx + 16j), stepping through k = 0..{Depth} in 16-wide tiles of A and B staged in shared memory.</summary>");
        w.Open($"private static void {Name}Tiled({ParamList})");
        w.Line("global::ILGPU.ArrayView<float> aTile = global::ILGPU.SharedMemory.Allocate<float>(Block * (Tile + 1)); // aTile[r, k], padded against bank conflicts");
        w.Line("global::ILGPU.ArrayView<float> bTile = global::ILGPU.SharedMemory.Allocate<float>(Tile * (Block + 1)); // bTile[k, c]");
        w.Line("int tx = global::ILGPU.Group.IdxX, ty = global::ILGPU.Group.IdxY;");
        w.Line("int rowBase = global::ILGPU.Grid.IdxY * Block, colBase = global::ILGPU.Grid.IdxX * Block;");
        if (SplitsDepth)
        {
            w.Line("int split = global::ILGPU.Grid.IdxZ;");
            w.Line($"int kBegin = split * chunk, kEnd = global::System.Math.Min({Depth}, kBegin + chunk);");
        }
        for (int i = 0; i < 4; i++)
            w.Line($"float {string.Join(", ", Enumerable.Range(0, 4).Select(j => $"s{i}{j} = 0f"))};");
        w.Open(SplitsDepth ? "for (int k0 = kBegin; k0 < kEnd; k0 += Tile)" : $"for (int k0 = 0; k0 < {Depth}; k0 += Tile)");
        // Each thread loads four elements of each tile; the thread index that runs along memory is the one
        // that runs along the operand's stored rows, so neighbouring threads read neighbouring floats.
        w.Open("for (int q = 0; q < 4; q++)");
        if (_aStoredByColumn)
        {
            w.Line("int al = tx + 16 * q, ar = rowBase + al, ak = k0 + ty; // A is stored k-major: threads along x walk its rows");
            w.Line($"aTile[al * (Tile + 1) + ty] = ar < {Rows} && ak < {depth} ? {_a("ar", "ak")} : 0f;");
        }
        else
        {
            w.Line("int al = ty + 16 * q, ar = rowBase + al, ak = k0 + tx;");
            w.Line($"aTile[al * (Tile + 1) + tx] = ar < {Rows} && ak < {depth} ? {_a("ar", "ak")} : 0f;");
        }
        if (_bStoredByColumn)
        {
            w.Line("int bl = ty + 16 * q, bc = colBase + bl, bk = k0 + tx; // B is stored column-major (as Wᵀ): threads along x walk k");
            w.Line($"bTile[tx * (Block + 1) + bl] = bk < {depth} && bc < {Cols} ? {_b("bk", "bc")} : 0f;");
        }
        else
        {
            w.Line("int bl = tx + 16 * q, bc = colBase + bl, bk = k0 + ty;");
            w.Line($"bTile[ty * (Block + 1) + bl] = bk < {depth} && bc < {Cols} ? {_b("bk", "bc")} : 0f;");
        }
        w.Close();
        w.Line("global::ILGPU.Group.Barrier();");
        w.Open("for (int kk = 0; kk < Tile; kk++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, 4).Select(i => $"a{i} = aTile[(ty + {16 * i}) * (Tile + 1) + kk]"))};");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, 4).Select(j => $"b{j} = bTile[kk * (Block + 1) + tx + {16 * j}]"))};");
        for (int i = 0; i < 4; i++)
            w.Line(string.Join(" ", Enumerable.Range(0, 4).Select(j => $"s{i}{j} += a{i} * b{j};")));
        w.Close();
        w.Line("global::ILGPU.Group.Barrier();");
        w.Close();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                string row = $"rowBase + ty + {16 * i}", col = $"colBase + tx + {16 * j}";
                w.Line($"if ({row} < {Rows} && {col} < {Cols}) {Name}Epilogue({row}, {col}, s{i}{j}{(SplitsDepth ? ", split" : "")}, {names});");
            }
        w.Close();
        w.Line();

        w.Line($"/// <summary>{Summary} Direct: one thread per element of the {Rows}×{Cols} result.</summary>");
        w.Open($"private static void {Name}Direct(global::ILGPU.Index1D index, {ParamList})");
        w.Line($"int row = index / {Cols}, col = index % {Cols};");
        w.Line("float s = 0f;");
        w.Line($"for (int k = 0; k < {Depth}; k++) s += {_a("row", "k")} * {_b("k", "col")};");
        w.Line($"{Name}Epilogue(row, col, s{(SplitsDepth ? ", 0" : "")}, {names}); // the direct kernels never split k");
        w.Close();
        w.Line();

        w.Line($"/// <summary>The epilogue of {Name}: what becomes of the sum s at [row, col].</summary>");
        w.Open($"private static void {Name}Epilogue(int row, int col, float s, {(SplitsDepth ? "int split, " : "")}{ParamList})");
        _epilogue(w);
        w.Close();
        w.Line();
    }

    public override void EmitFields(SourceWriter w)
    {
        w.Line($"private readonly global::System.Action<global::ILGPU.KernelConfig, {TypeList}>? _{Name}Tiled;");
        w.Line($"private readonly global::System.Action<global::ILGPU.Index1D, {TypeList}>? _{Name}Direct;");
    }

    public override void EmitLoad(SourceWriter w)
    {
        w.Line($"if (_tiled) _{Name}Tiled = accelerator.LoadStreamKernel<{TypeList}>({Name}Tiled);");
        w.Line($"else _{Name}Direct = accelerator.LoadAutoGroupedStreamKernel<global::ILGPU.Index1D, {TypeList}>({Name}Direct);");
    }

    public override void EmitLaunch(SourceWriter w)
    {
        w.Line($"if (_tiled) _{Name}Tiled!(Blocks({Rows}, {Cols}{(SplitsDepth ? ", _splits" : "")}), {ArgList});");
        w.Line($"else _{Name}Direct!({Rows} * {Cols}, {ArgList});");
    }
}

/// <summary>
/// A device function the kernels call (an index gather, say): a private static method of the runner,
/// compiled into every kernel that calls it. Nothing is loaded or launched for it.
/// </summary>
internal sealed class DeviceFunction(string name, string summary, string signature, Action<SourceWriter> body)
    : GpuKernel(name, summary, Array.Empty<KernelParam>())
{
    public override void EmitMethods(SourceWriter w)
    {
        w.Line($"/// <summary>{Summary}</summary>");
        w.Open($"private static {signature}");
        body(w);
        w.Close();
        w.Line();
    }

    public override void EmitFields(SourceWriter w) { }

    public override void EmitLoad(SourceWriter w) { }

    public override void EmitLaunch(SourceWriter w) { }
}

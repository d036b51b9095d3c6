using System.Globalization;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Writes a tensor's initialisation from its <see cref="InitRule"/> (the kind chose the rule; nobody writes init code by hand).</summary>
internal static class TensorInitialization
{
    /// <summary>One tensor's initialisation; <c>random</c> (a SplitMix64) is in scope, and draws happen in tensor order.</summary>
    public static void Emit(SourceWriter w, EmitContext ctx, TensorModel t)
    {
        string k = EmitContext.Kernels, field = EmitContext.Param(t);
        InitRule r = t.Init;
        switch (r.Kind)
        {
            case InitKind.Zeros:
                w.Line($"{field}.Clear();");
                break;
            case InitKind.Constant:
                w.Line($"{field}.Fill({ctx.Literal(r.Value)}); // {r.Why}");
                break;
            case InitKind.HeUniform:
                w.Line($"// {t.Name} ~ U(−b, b), b = √(6 / {r.FanIn})   ({r.Why})");
                w.Line($"{k}.Initializers.HeUniform<{ctx.T}>({field}, fanIn: {r.FanIn}, ref random);");
                break;
            case InitKind.GlorotUniform:
                w.Line($"// {t.Name} ~ U(−b, b), b = √(6 / ({r.FanIn} + {r.FanOut}))   (Glorot uniform)");
                w.Line($"{k}.Initializers.GlorotUniform<{ctx.T}>({field}, fanIn: {r.FanIn}, fanOut: {r.FanOut}, ref random);");
                break;
            case InitKind.Uniform:
                w.Line($"// {t.Name} ~ U(−{Number(r.Value)}, {Number(r.Value)})   ({r.Why})");
                w.Line($"{k}.Initializers.Uniform<{ctx.T}>({field}, bound: {Number(r.Value)}, ref random);");
                break;
            case InitKind.Normal:
                w.Line($"// {t.Name} ~ N({Number(r.Value)}, {Number(r.Deviation)}²)   ({r.Why})");
                w.Line($"{k}.Initializers.Normal<{ctx.T}>({field}, mean: {Number(r.Value)}, deviation: {Number(r.Deviation)}, ref random);");
                break;
        }
    }

    private static string Number(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains(".") || s.Contains("E") ? s : s + ".0";
    }
}

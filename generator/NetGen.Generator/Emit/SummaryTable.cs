using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>The Keras-style summary table, built at compile time.</summary>
internal static class SummaryTable
{
    /// <summary>The table: one row for the input, one per layer (its kind's <see cref="LayerKind.SummaryType"/>), the totals.</summary>
    public static string Build(NetworkModel model)
    {
        NetworkSpec spec = model.Spec;
        const int width = 65;
        var rows = new List<(string Layer, string Shape, string Params)>
        {
            ("input (Input)", model.Input.BatchText, "0"),
        };
        foreach (LayerModel p in model.Layers)
            rows.Add(($"{p.Spec.Name} ({LayerKinds.Of(p.Spec).SummaryType(p.Spec)})", p.OutputShapeText, Count(p.Tensors.Sum(t => t.Length))));
        int c1 = System.Math.Max(28, rows.Max(r => r.Layer.Length) + 2), c2 = System.Math.Max(26, rows.Max(r => r.Shape.Length) + 2);
        int trainable = model.ParameterCount, total = trainable + model.BufferCount;
        string rule = new string('_', System.Math.Max(width, c1 + c2 + 12));
        string thick = new string('=', rule.Length);
        var s = new StringBuilder();
        s.Append("Model: \"").Append(spec.ClassName).Append("\"\n");
        s.Append(rule).Append('\n');
        s.Append(" Layer (type)".PadRight(c1)).Append("Output Shape".PadRight(c2)).Append("Param #\n");
        s.Append(thick).Append('\n');
        for (int i = 0; i < rows.Count; i++)
        {
            s.Append((" " + rows[i].Layer).PadRight(c1)).Append(rows[i].Shape.PadRight(c2)).Append(rows[i].Params).Append('\n');
            if (i < rows.Count - 1) s.Append('\n');
        }
        s.Append(thick).Append('\n');
        s.Append("Total params: ").Append(Count(total)).Append('\n');
        s.Append("Trainable params: ").Append(Count(trainable)).Append('\n');
        s.Append("Non-trainable params: ").Append(Count(model.BufferCount)).Append('\n');
        s.Append(rule);
        return s.ToString();
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

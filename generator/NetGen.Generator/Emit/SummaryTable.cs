using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Analysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>The Keras-style summary table, built at compile time.</summary>
internal static class SummaryTable
{
    public static string Build(NetworkSpec spec, IReadOnlyList<LayerPlan> plans)
    {
        const int width = 65;
        var rows = new List<(string Layer, string Shape, string Params)>
        {
            ("input (Input)", "(None, " + string.Join(", ", spec.InputShape) + ")", "0"),
        };
        foreach (LayerPlan p in plans)
        {
            string kind = p.Kind + (p.Spec switch
            {
                DenseSpec d when d.Activation.IsNonLinear => ", " + d.Activation.Kind,
                ActivationLayerSpec a => ", " + a.Activation.Kind,
                Conv2DSpec c when c.Activation.IsNonLinear => ", " + c.Activation.Kind,
                _ => "",
            });
            rows.Add(($"{p.Spec.Name} ({kind})", p.OutputShapeText, Count(p.ParameterCount)));
        }
        int c1 = System.Math.Max(28, rows.Max(r => r.Layer.Length) + 2), c2 = System.Math.Max(26, rows.Max(r => r.Shape.Length) + 2);
        int total = plans.Sum(p => p.ParameterCount);
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
        s.Append("Trainable params: ").Append(Count(total)).Append('\n');
        s.Append("Non-trainable params: 0\n");
        s.Append(rule);
        return s.ToString();
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

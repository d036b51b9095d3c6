using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Trust.Tests.Cases;

namespace NetGen.Trust.Tests.Hostile;

/// <summary>
/// Mutates valid declarations from <see cref="CaseGenerator"/> into hostile ones: odd numbers and enum
/// values, dropped, doubled and swapped attributes, removed arguments, wrong literal types, changed
/// modifiers and targets, odd containers, truncated text.
/// </summary>
public static partial class DeclarationMutator
{
    private static readonly string[] OddInts = { "0", "-1", "-7", "int.MaxValue", "int.MinValue", "1000000", "65536", "(1 << 28)", "3.5", "\"4\"", "null", "true" };
    private static readonly string[] OddReals = { "float.NaN", "float.PositiveInfinity", "-0.5f", "0f", "1f", "2f", "1e38f", "-1e-45f", "\"x\"", "1", "1.0" };
    private static readonly string[] OddEnums = { "(Activation)99", "(Activation)(-1)", "Activation.Softmax", "Activation.BinaryStep", "(Activation)9", "Loss.CrossEntropy", "0" };

    [GeneratedRegex(@"(?<![\w.])\d+(?![\w.])")]
    private static partial Regex IntLiteral();
    [GeneratedRegex(@"-?\d+(\.\d+)?(e-?\d+)?f")]
    private static partial Regex RealLiteral();
    [GeneratedRegex(@"(Activation|Loss|Optimizer|Precision)\.\w+")]
    private static partial Regex EnumValue();
    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Attribute();
    [GeneratedRegex(@"\(([^()]*)\)")]
    private static partial Regex ArgumentList();

    public static string Mutate(string declaration, Random r)
    {
        string text = declaration;
        int count = 1 + r.Next(3);
        for (int i = 0; i < count; i++) text = MutateOnce(text, r);
        return text;
    }

    private static string ReplaceRandom(string text, Regex regex, Random r, Func<Match, string> replacement)
    {
        var matches = regex.Matches(text);
        if (matches.Count == 0) return text;
        Match m = matches[r.Next(matches.Count)];
        return text[..m.Index] + replacement(m) + text[(m.Index + m.Length)..];
    }

    private static string MutateOnce(string text, Random r)
    {
        T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
        switch (r.Next(15))
        {
            case 0: return ReplaceRandom(text, IntLiteral(), r, _ => Pick(OddInts));
            case 1: return ReplaceRandom(text, RealLiteral(), r, _ => Pick(OddReals));
            case 2: return ReplaceRandom(text, EnumValue(), r, m => m.Value.StartsWith("Activation", StringComparison.Ordinal) ? Pick(OddEnums) : $"({m.Groups[1].Value}){Pick(new[] { "7", "-2", "255", "1" })}");
            case 3: return ReplaceRandom(text, Attribute(), r, _ => ""); // drop an attribute
            case 4: return ReplaceRandom(text, Attribute(), r, m => m.Value + " " + m.Value); // double it
            case 5:
            {
                var attrs = Attribute().Matches(text).ToList();
                if (attrs.Count < 2) return text;
                Match a = attrs[r.Next(attrs.Count)], b = attrs[r.Next(attrs.Count)];
                if (a.Index == b.Index) return text;
                if (a.Index > b.Index) (a, b) = (b, a);
                return text[..a.Index] + b.Value + text[(a.Index + a.Length)..b.Index] + a.Value + text[(b.Index + b.Length)..];
            }
            case 6:
                // Drop one argument.
                return ReplaceRandom(text, ArgumentList(), r, m =>
                {
                    var args = m.Groups[1].Value.Split(',').ToList();
                    args.RemoveAt(r.Next(args.Count));
                    return "(" + string.Join(",", args) + ")";
                });
            case 7: return text.Replace("partial ", "");
            case 8: return text.Replace("public partial class", Pick(new[] { "public static partial class", "public partial struct", "public partial record", "file partial class", "internal abstract partial class", "public partial interface" }));
            case 9:
            {
                string outer = Pick(new[] { "public partial class Outer<T>", "public class Outer", "public partial struct Outer", "public partial record Outer", "public static partial class Outer", "public partial interface IOuter" });
                return $"{outer} {{ {text} }}";
            }
            case 10: return text[..r.Next(text.Length)]; // truncated
            case 11: return ReplaceRandom(text, Attribute(), r, m => m.Value.Replace(")]", $", Name = {Pick(new[] { "\"\"", "\"a b\"", "\"x\"", "\"layers.0\"", "null", "\"\\t\"" })})]"));
            case 12:
            {
                // Split the layers over two partial declarations.
                int cut = text.IndexOf("[Dense", StringComparison.Ordinal);
                int end = text.LastIndexOf("public", StringComparison.Ordinal);
                if (cut < 0 || end < cut) return text;
                return text[..cut] + text[end..] + "\n" + text[cut..];
            }
            case 13: return text.Replace("[Input(", Pick(new[] { "[Input(2, ", "[Input(1, 2, ", "[Input(-" }));
            default:
                return ReplaceRandom(text, Attribute(), r, m => m.Value + " " + Pick(new[] { "[Flatten]", "[Conv2D(2, 2)]", "[MaxPool2D(2)]", "[Dropout(0.99f)]", "[Activation(Activation.PReLU)]", "[Input(3)]", "[Network]" }));
        }
    }
}

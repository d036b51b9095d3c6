using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>An unrelated edit leaves the pipeline cached; a changed attribute re-emits; the models hold no compiler objects.</summary>
public class IncrementalTests
{
    private const string Network = """
        using NetGen;
        [Network(Optimizer = Optimizer.Adam)] [Input(4)] [Dense(8, Activation.Tanh)] [Dense(2)]
        public partial class Net;
        """;

    private static IncrementalStepRunReason[] Reasons(GeneratorDriverRunResult result, string step)
        => result.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(string network)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(network, "public class Other { public int A; }");
        return (GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation), compilation);
    }

    [Fact]
    public void UnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun(Network);
        SyntaxTree other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("public class Other { public int A; public int B; }")));
        GeneratorDriverRunResult result = driver.RunGenerators(edited).GetRunResult();
        foreach (string step in new[] { NetworkGenerator.Steps.ParseNetwork, NetworkGenerator.Steps.Models })
            Assert.All(Reasons(result, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
    }

    [Fact]
    public void EditInsideTheNetworkFileThatKeepsTheAttributesGivesUnchangedSpec()
    {
        var (driver, compilation) = FirstRun(Network);
        SyntaxTree tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Network + "\n// a comment\n")));
        GeneratorDriverRunResult result = driver.RunGenerators(edited).GetRunResult();
        Assert.All(Reasons(result, NetworkGenerator.Steps.Models), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void ChangedAttributeGivesModified()
    {
        var (driver, compilation) = FirstRun(Network);
        SyntaxTree tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Network.Replace("Dense(8", "Dense(9"))));
        GeneratorDriverRunResult result = driver.RunGenerators(edited).GetRunResult();
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, NetworkGenerator.Steps.Models));
    }

    [Fact]
    public void ModelsHoldNoCompilerObjects()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree) };
        var seen = new HashSet<Type>();
        void Walk(Type type, string path)
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) return;
            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Type ft = field.FieldType.IsArray ? field.FieldType.GetElementType()! : field.FieldType;
                Assert.False(forbidden.Any(f => f.IsAssignableFrom(ft)), $"{path}.{field.Name} is a {ft.Name}");
                if (ft.IsGenericType) foreach (Type arg in ft.GetGenericArguments()) Walk(arg, path + "." + field.Name);
                if (ft.Namespace?.StartsWith("NetGen", StringComparison.Ordinal) == true) Walk(ft, path + "." + field.Name);
            }
        }
        Walk(typeof(NetworkModel), nameof(NetworkModel));
        foreach (Type t in typeof(LayerSpec).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LayerSpec)))) Walk(t, t.Name);
        Assert.Contains(typeof(DenseSpec), seen);
    }

    [Fact]
    public void EqualDeclarationsGiveEqualSpecs()
    {
        var a = new DenseSpec("layers.0", 3, new ActivationSpec(ActivationKind.Tanh, 0));
        var b = new DenseSpec("layers.0", 3, new ActivationSpec(ActivationKind.Tanh, 0));
        Assert.Equal(a, b);
        var arr1 = new EquatableArray<LayerSpec>(new LayerSpec[] { a });
        var arr2 = new EquatableArray<LayerSpec>(new LayerSpec[] { b });
        Assert.Equal(arr1, arr2);
        Assert.Equal(arr1.GetHashCode(), arr2.GetHashCode());
    }
}

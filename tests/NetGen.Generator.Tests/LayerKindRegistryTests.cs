using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Emit;
using NetGen.Generator.Emit.Gpu;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every registered layer kind is complete: its example compiles, and each of its layers has a Summary
/// row, an initialisation for every tensor, a CPU emitter, and a GPU emitter or a NETGEN200 reason.
/// A new kind is covered by registering it (its <see cref="LayerKind.Example"/> is the test input).
/// </summary>
public class LayerKindRegistryTests
{
    public static TheoryData<string> Kinds => new(LayerKinds.All.Select(k => k.Name));

    /// <summary>The analysed model of a declaration, read from the pipeline's Models step.</summary>
    internal static NetworkModel ModelOf(string attributes, string className = "KindExample")
    {
        string source = $"using NetGen;\nnamespace Registry;\n[Network(Loss = Loss.MeanSquaredError)] {attributes} public partial class {className};";
        CSharpCompilation compilation = GeneratorHarness.Compilation(source);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return result.Results.Single().TrackedSteps[NetworkGenerator.Steps.Models]
            .SelectMany(s => s.Outputs).Select(o => o.Value).OfType<NetworkModel>().Single();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindIsComplete(string name)
    {
        LayerKind kind = LayerKinds.All.Single(k => k.Name == name);
        NetworkModel model = ModelOf(kind.Example);
        var ofKind = model.Layers.Where(l => LayerKinds.Of(l.Spec) == kind).ToList();
        Assert.True(ofKind.Count > 0, $"{name}'s Example declares no {name} layer");
        Assert.All(kind.AttributeNames, a => Assert.Same(kind, LayerKinds.ForAttribute(a)));

        string cpu = NetworkEmitter.Emit(model);
        var ctx = new EmitContext(model);
        foreach (LayerModel layer in ofKind)
        {
            // Summary row: "name (Type...)" with the layer's output shape.
            string row = cpu.Split('\n').Single(l => l.Contains($" {layer.Spec.Name} ({kind.SummaryType(layer.Spec)})"));
            Assert.Contains(layer.Output.BatchText, row);

            // Every tensor has a defined initialisation, written in InitializeParameters.
            string init = cpu.Substring(cpu.IndexOf("public void InitializeParameters", StringComparison.Ordinal));
            init = init.Substring(0, init.IndexOf("global::System.Array.Clear(_gradients);", StringComparison.Ordinal));
            foreach (TensorModel t in layer.Tensors)
            {
                Assert.True(Enum.IsDefined(typeof(InitKind), t.Init.Kind), $"{t.Name}: no initialisation");
                Assert.Contains(t.Field, init);
            }
            Assert.Equal(layer.Tensors.Count, layer.Tensors.Select(t => t.Field).Distinct().Count());

            // A CPU emitter that writes both passes.
            LayerEmitter emitter = kind.CreateCpuEmitter(ctx, layer);
            Assert.False(string.IsNullOrWhiteSpace(emitter.Describe()));
            Assert.Contains($"// ---- {layer.Spec.Name}: {emitter.Describe()} ----", cpu);

            // A GPU emitter, or the reason there is none.
            string? reason = kind.GpuUnsupportedReason(layer);
            if (reason is null) Assert.NotNull(kind.CreateGpuEmitter(new GpuContext(model), layer));
            else Assert.Contains(layer.Spec.Name, reason);
        }

        string? gpu = GpuNetworkEmitter.Emit(model, out string? gpuReason);
        Assert.True(gpu is not null ^ gpuReason is not null, "the GPU emitter gives a runner or a reason, exactly one");
    }

    [Fact]
    public void TheRegistryHasOneKindPerSpecAndAttribute()
    {
        Assert.Equal(LayerKinds.All.Count, LayerKinds.All.Select(k => k.SpecType).Distinct().Count());
        var attributes = LayerKinds.All.SelectMany(k => k.AttributeNames).ToList();
        Assert.Equal(attributes.Count, attributes.Distinct().Count());
        // Every layer attribute of the runtime has a kind, and every kind an attribute.
        var runtime = typeof(NetGen.LayerAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(NetGen.LayerAttribute)) && !t.IsAbstract)
            .Select(t => t.Name.Substring(0, t.Name.Length - "Attribute".Length)).OrderBy(n => n).ToList();
        Assert.Equal(runtime, attributes.OrderBy(n => n).ToList());
    }

    [Fact]
    public void TensorsAreFoundByRoleAndBuffersAreNotTrained()
    {
        NetworkModel model = ModelOf("[Input(4)] [Dense(3, Activation.PReLU)] [Activation(Activation.PReLU)] [Dense(2)]");
        LayerModel dense = model.Layers[0];
        Assert.Equal(new[] { TensorRole.Weight, TensorRole.Bias, TensorRole.Slope }, dense.Tensors.Select(t => t.Role));
        Assert.Equal("layers.0.prelu.weight", dense.Tensor(TensorRole.Slope).Name);
        Assert.Equal("layers.1.weight", model.Layers[1].Tensor(TensorRole.Slope).Name);
        Assert.All(model.Layers.SelectMany(l => l.Tensors), t => Assert.True(t.Trainable));
        Assert.Equal(0, model.BufferCount);
        Assert.Equal(3 * 4 + 3 + 3 + 3 + 2 * 3 + 2, model.ParameterCount);
    }

    [Fact]
    public void TheAnalysisDecidesFusionPerceptronSlotsAndInputGradients()
    {
        NetworkModel perceptron = ModelOf("[Input(3)] [Dense(1, Activation.BinaryStep)]");
        Assert.True(perceptron.IsPerceptron);
        Assert.Equal(LossFusion.None, perceptron.LossFusion);

        NetworkModel model = ModelOf("[Input(3)] [Flatten] [Dense(4, Activation.ReLU)] [Dropout(0.5f)] [Dense(2)]");
        Assert.Equal(new[] { false, false, true, true }, model.Layers.Select(l => l.InputGradientAlways));
        Assert.Equal(new[] { -1, -1, 1, 2 }, model.Layers.Select(l => l.Producer));
        Assert.True(model.Layers[0].PassesInputThrough);
        Assert.Equal(0, model.OptimizerSlots);
    }

    [Fact]
    public void SequencesAndTheirShapes()
    {
        NetworkModel model = ModelOf("[Input(5, 3)] [Dense(4, Activation.Tanh)] [Dropout(0.1f)] [Activation(Activation.ReLU)] [Flatten] [Dense(2)]");
        Assert.Equal(ShapeKind.Sequence, model.Input.Kind);
        Assert.Equal(new[] { ShapeKind.Sequence, ShapeKind.Sequence, ShapeKind.Sequence, ShapeKind.Vector, ShapeKind.Vector }, model.Layers.Select(l => l.Output.Kind));
        Assert.Equal("(None, 5, 4)", model.Layers[0].OutputShapeText);
        Assert.Equal(new[] { 4, 3 }, model.Layers[0].Tensor(TensorRole.Weight).Shape);
        Assert.Null(model.GpuUnsupportedReason); // Dense, Dropout and Activation at every time step have GPU kernels
        Assert.Null(ModelOf("[Input(5, 3)] [Dense(4, Activation.Softmax)]").GpuUnsupportedReason); // softmax per time step
        Assert.Contains("sequence", ModelOf("[Input(5, 3)] [Dense(4, Activation.PReLU)]").GpuUnsupportedReason);
        string cpu = NetworkEmitter.Emit(model);
        Assert.Contains("Dense.Forward<float, Kernels.TanhOperator<float>>(default, x, L0Weight, L0Bias, Rows(_z0, n * 20), Rows(_y0, n * 20), batch: n * 5, inputs: 3, units: 4);", cpu);
    }
}

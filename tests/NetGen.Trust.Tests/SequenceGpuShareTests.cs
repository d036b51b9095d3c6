using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using NetGen.Gpu;
using NetGen.Trust.Tests.Harness;
using NetGen.Trust.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// The random sequence stacks of <see cref="SequenceDifferentialTests"/> (SimpleRnn/Lstm/Gru stacked, ReturnSequences both
/// ways, Embedding or float steps, per-step Dense/Activation/Dropout, MSE or per-step softmax CrossEntropy, ClipNorm), as
/// float networks compiled with ILGPU referenced: on ILGPU's CPU accelerator each GPU runner must agree with its CPU class
/// on outputs, loss, gradients and the parameters after a training step (the tolerances of <see cref="GpuShareTests"/>).
/// </summary>
public sealed class SequenceGpuShareTests(ITestOutputHelper output)
{
    private const string Namespace = "TrustSequenceGpuCases";
    private const int Seeds = 40;

    [Fact]
    public void GpuRunnerAgreesWithTheCpuClassOnRandomSequenceStacks()
    {
        var specs = Enumerable.Range(1, Seeds).Select(s => SequenceCase.Generate(s, $"SeqGpu{s}")).ToList();
        var source = new StringBuilder("using System;\nusing NetGen;\n\nnamespace " + Namespace + ";\n\n");
        foreach (SequenceCase c in specs) source.Append(Single(c)).Append("\n\n");
        using LoadedCases loaded = CaseCompiler.CompileAndLoad(source.ToString(), withGpu: true);
        using GpuDevice device = AcceleratorChoice.Open(AcceleratorPreference.Cpu);
        var failures = new List<string>();
        foreach (SequenceCase spec in specs)
        {
            Type? gpuType = loaded.Type($"{Namespace}.{spec.ClassName}Gpu");
            Assert.True(gpuType is not null, $"no GPU runner emitted for {Single(spec)}");
            object cpu = loaded.Create($"{Namespace}.{spec.ClassName}");
            ConstructorInfo ctor = gpuType!.GetConstructors().First(c => c.GetParameters().FirstOrDefault()?.ParameterType == typeof(GpuDevice));
            using var gpu = (IGpuNetwork)ctor.Invoke(ctor.GetParameters().Select((p, i) => i == 0 ? device : p.DefaultValue).ToArray());
            try { Compare(cpu, gpu, spec); }
            catch (Exception e) { failures.Add($"{Single(spec)}  // batch {spec.BatchSize}\n    {e.Message}"); }
        }
        output.WriteLine($"sequence GPU share: {specs.Count - failures.Count} of {specs.Count} cases agree with the CPU class on ILGPU's CPU accelerator");
        Assert.Contains(specs, s => s.ClipNorm is not null);
        Assert.Contains(specs, s => s.Loss == Loss.CrossEntropy && s.Output.Steps > 0);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The case's declaration in single precision (the GPU runner has no double).</summary>
    private static string Single(SequenceCase c) => c.Declaration(multiline: false).Replace(", Precision = Precision.Double", "");

    private static void Compare(object cpuObject, IGpuNetwork gpu, SequenceCase spec)
    {
        var state = (INetworkState<float>)cpuObject;
        gpu.CopyParametersFrom(state);
        int n = Math.Max(1, spec.BatchSize);
        var rng = new Random(spec.DataSeed);
        float[] x = Enumerable.Range(0, n * state.InputSize).Select(_ => spec.TokenInput ? rng.Next(spec.Vocabulary) : (float)(2 * rng.NextDouble() - 1)).ToArray();
        int rows = n * spec.LabelsPerSample, classes = state.OutputSize / spec.LabelsPerSample;
        float[] t = new float[n * state.OutputSize];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < classes; o++)
                t[r * classes + o] = spec.Loss == Loss.CrossEntropy ? (o == rng.Next(classes) ? 1 : 0) : (float)(2 * rng.NextDouble() - 1);
        int[] ids = Array.ConvertAll(x, v => (int)v);
        var tokens = cpuObject as ITokenNetwork;
        var floats = cpuObject as INetwork;
        void Predict(float[] y) { if (tokens is not null) tokens.Predict(ids, y, n); else floats!.Predict(x, y, n); }
        float CpuLoss() => tokens is not null ? tokens.ComputeLoss(ids, t, n) : floats!.ComputeLoss(x, t, n);
        float Gradients() => tokens is not null ? tokens.ComputeGradients(ids, t, n) : floats!.ComputeGradients(x, t, n);
        float Train() => tokens is not null ? tokens.TrainStep(ids, t, n) : floats!.TrainStep(x, t, n);

        float[] expected = new float[n * state.OutputSize], actual = new float[expected.Length];
        Predict(expected);
        gpu.Predict(x, actual, n);
        Near(expected, actual, "outputs");
        Near(new[] { CpuLoss() }, new[] { gpu.ComputeLoss(x, t, n) }, "loss");
        Near(new[] { Gradients() }, new[] { gpu.ComputeGradients(x, t, n) }, "loss of the gradient pass");
        float[] gradients = new float[state.ParameterCount];
        gpu.CopyGradientsTo(gradients);
        float[] cpuGradients = state.Gradients.ToArray();
        Near(cpuGradients, gradients, "gradients");

        float[] before = state.Parameters.ToArray();
        Near(new[] { Train() }, new[] { gpu.TrainStep(x, t, n) }, "loss of the training step");
        float[] parameters = new float[state.ParameterCount];
        gpu.CopyParametersTo(parameters);
        for (int i = 0; i < parameters.Length; i++)
        {
            float e = state.Parameters[i], a = parameters[i];
            if (!(Math.Abs(e - a) <= 1e-4f * (1 + Math.Abs(before[i])) + 1e-3f * Math.Abs(e - before[i])))
                throw new Exception($"parameter {i} after one step: CPU {e:R}, GPU {a:R} (was {before[i]:R})");
        }
    }

    private static void Near(float[] expected, float[] actual, string what)
    {
        float scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + scale) + 1e-3f * Math.Abs(expected[i])))
                throw new Exception($"{what}[{i}]: CPU {expected[i]:R}, GPU {actual[i]:R}");
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NetGen.Gpu;
using NetGen.Trust.Tests.Cases;
using NetGen.Trust.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Trust.Tests;

/// <summary>
/// A share of the random cases (every tenth CI seed and six convolutional ones, as float networks;
/// the GPU runner has no double precision) compiled with ILGPU referenced, so the generator
/// also emits each network's GPU runner; on ILGPU's CPU accelerator the runner must agree with the CPU
/// class on outputs, loss, gradients and the parameters after a training step.
/// </summary>
public sealed class GpuShareTests(ITestOutputHelper output)
{
    private const string Namespace = "TrustGpuCases";

    /// <summary>Every tenth CI seed, and the first six convolutional cases among the other seeds.</summary>
    private static IEnumerable<CaseSpec> Specs()
    {
        IEnumerable<CaseSpec> Generate(IEnumerable<int> seeds) => seeds.Select(s => CaseGenerator.Generate(s, $"GpuCase{s}") with { Double = false });
        return Generate(Enumerable.Range(1, 200).Where(s => s % 10 == 0))
            .Concat(Generate(Enumerable.Range(1, 400).Where(s => s % 10 != 0)).Where(IsConvolutional).Take(6));
    }

    private static bool IsConvolutional(CaseSpec c) => c.Image is not null && c.Layers.Any(l => l.Kind is LayerKind.Conv2D or LayerKind.MaxPool2D or LayerKind.AvgPool2D);

    [Fact]
    public void GpuRunnerAgreesWithTheCpuClassOnAShareOfTheRandomCases()
    {
        List<CaseSpec> specs = Specs().ToList();
        Assert.True(specs.Count >= 10, $"only {specs.Count} GPU-eligible cases");
        Assert.True(specs.Count(IsConvolutional) >= 6, $"only {specs.Count(IsConvolutional)} convolutional cases");
        using LoadedCases loaded = CaseCompiler.CompileAndLoad(DifferentialSuite.Source(specs, Namespace), withGpu: true);
        using GpuDevice device = AcceleratorChoice.Open(AcceleratorPreference.Cpu);
        var failures = new List<string>();
        int run = 0;
        foreach (CaseSpec spec in specs)
        {
            Type? gpuType = loaded.Type($"{Namespace}.{spec.ClassName}Gpu");
            Assert.True(gpuType is not null, $"no GPU runner emitted for {spec.Declaration(multiline: false)}");
            var cpu = (INetwork<float>)loaded.Create($"{Namespace}.{spec.ClassName}");
            ConstructorInfo ctor = gpuType!.GetConstructors().First(c => c.GetParameters().FirstOrDefault()?.ParameterType == typeof(GpuDevice));
            object?[] args = ctor.GetParameters().Select((p, i) => i == 0 ? device : p.DefaultValue).ToArray();
            using var gpu = (IGpuNetwork)ctor.Invoke(args);
            try
            {
                Compare(cpu, gpu, spec);
                run++;
            }
            catch (Exception e)
            {
                failures.Add($"{spec.Declaration(multiline: false)}\n    {e.Message}");
            }
        }
        output.WriteLine($"GPU share: {run} of {specs.Count} cases ({specs.Count(IsConvolutional)} convolutional) agree with the CPU class on ILGPU's CPU accelerator");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void Compare(INetwork<float> cpu, IGpuNetwork gpu, CaseSpec spec)
    {
        // Predict through the fused small-MLP kernel where the generator emitted one (off by default on the CPU accelerator).
        gpu.GetType().GetProperty("UseFusedPredict")?.SetValue(gpu, true);
        gpu.CopyParametersFrom(cpu);
        int n = Math.Max(1, spec.BatchSize);
        var rng = new Random(spec.DataSeed);
        float[] x = Enumerable.Range(0, n * cpu.InputSize).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        float[] t = new float[n * cpu.OutputSize];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cpu.OutputSize; o++)
                t[b * cpu.OutputSize + o] = spec.Loss switch
                {
                    Loss.CrossEntropy => o == b % cpu.OutputSize ? 1 : 0,
                    Loss.BinaryCrossEntropy => rng.NextDouble() < 0.5 ? 0 : 1,
                    _ => (float)(2 * rng.NextDouble() - 1),
                };

        float[] expected = new float[n * cpu.OutputSize], actual = new float[expected.Length];
        cpu.Predict(x, expected, n);
        gpu.Predict(x, actual, n);
        Near(expected, actual, "outputs");
        Near(new[] { cpu.ComputeLoss(x, t, n) }, new[] { gpu.ComputeLoss(x, t, n) }, "loss");

        Near(new[] { cpu.ComputeGradients(x, t, n) }, new[] { gpu.ComputeGradients(x, t, n) }, "loss of the gradient pass");
        float[] gradients = new float[cpu.ParameterCount];
        gpu.CopyGradientsTo(gradients);
        float[] cpuGradients = cpu.Gradients.ToArray();
        Near(cpuGradients, gradients, "gradients");

        float[] before = cpu.Parameters.ToArray();
        cpu.TrainStep(x, t, n);
        gpu.TrainStep(x, t, n);
        float[] parameters = new float[cpu.ParameterCount];
        gpu.CopyParametersTo(parameters);
        // Adam and RMSprop move every parameter by about lr whatever the gradient's size, so a gradient
        // within rounding of 0 may move either way: compare the parameters whose gradient is not tiny.
        bool normalised = spec.Optimizer is Optimizer.Adam or Optimizer.RmsProp;
        float scale = cpuGradients.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (normalised && Math.Abs(cpuGradients[i]) <= 1e-3f * scale) continue;
            float e = cpu.Parameters[i], a = parameters[i];
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

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using NetGen.Gpu;

namespace NetGen.Trust.Tests.Harness;

/// <summary>What <see cref="SequenceGpuParity.Compare"/> needs to know of a random sequence or attention case.</summary>
/// <param name="BatchSize">Samples in the batch (0 reads as 1).</param>
/// <param name="DataSeed">Seed of the inputs and targets.</param>
/// <param name="Vocabulary">Token vocabulary, or 0 for float steps.</param>
/// <param name="LabelsPerSample">Rows of the output per sample (time steps of a sequence output, else 1).</param>
/// <param name="Loss">The declared loss: CrossEntropy gets one-hot targets, the others uniform ones in [−1, 1].</param>
/// <param name="NormalisedSteps">
/// The optimizer's first step is normalised (Adam, AdamW, RMSprop: about lr·sign(g)), so a parameter whose gradient agrees
/// with the CPU's only as noise around 0 (|g| within the gradient tolerance: an exactly-zero gradient such as attention's key
/// bias, or any query weight when every score of a row is equal) steps by ±lr on either side; such parameters' values after
/// the step are not compared (their gradients are).
/// </param>
public sealed record GpuParityCase(int BatchSize, int DataSeed, int Vocabulary, int LabelsPerSample, Loss Loss, bool NormalisedSteps = false);

/// <summary>
/// One random case's GPU runner against its CPU class on ILGPU's CPU accelerator: outputs, loss, gradients, and the
/// parameters after one training step, within the tolerances of <see cref="GpuShareTests"/> (1e-4 of the row's scale plus
/// 1e-3 relative). Throws naming the first value that disagrees.
/// </summary>
public static class SequenceGpuParity
{
    /// <summary>
    /// Compiles every case (its single-precision declaration) with ILGPU referenced in one compilation, opens ILGPU's CPU
    /// accelerator, and compares each case's GPU runner with its CPU class; returns one line per case that disagrees.
    /// </summary>
    public static List<string> CompareAll<TCase>(IReadOnlyList<TCase> cases, string ns, Func<TCase, string> className,
        Func<TCase, string> declaration, Func<TCase, GpuParityCase> parity)
    {
        var source = new StringBuilder("using System;\nusing NetGen;\n\nnamespace " + ns + ";\n\n");
        foreach (TCase c in cases) source.Append(declaration(c)).Append("\n\n");
        using LoadedCases loaded = CaseCompiler.CompileAndLoad(source.ToString(), withGpu: true);
        using GpuDevice device = AcceleratorChoice.Open(AcceleratorPreference.Cpu);
        var failures = new List<string>();
        foreach (TCase spec in cases)
        {
            Type? gpuType = loaded.Type($"{ns}.{className(spec)}Gpu");
            if (gpuType is null) { failures.Add($"no GPU runner emitted for {declaration(spec)}"); continue; }
            object cpu = loaded.Create($"{ns}.{className(spec)}");
            ConstructorInfo ctor = gpuType.GetConstructors().First(c => c.GetParameters().FirstOrDefault()?.ParameterType == typeof(GpuDevice));
            using var gpu = (IGpuNetwork)ctor.Invoke(ctor.GetParameters().Select((p, i) => i == 0 ? device : p.DefaultValue).ToArray());
            GpuParityCase setup = parity(spec);
            try { Compare(cpu, gpu, setup); }
            catch (Exception e) { failures.Add($"{declaration(spec)}  // batch {setup.BatchSize}\n    {e.Message}"); }
        }
        return failures;
    }

    public static void Compare(object cpuObject, IGpuNetwork gpu, GpuParityCase spec)
    {
        var state = (INetworkState<float>)cpuObject;
        gpu.CopyParametersFrom(state);
        int n = Math.Max(1, spec.BatchSize);
        var rng = new Random(spec.DataSeed);
        float[] x = Enumerable.Range(0, n * state.InputSize).Select(_ => spec.Vocabulary > 0 ? rng.Next(spec.Vocabulary) : (float)(2 * rng.NextDouble() - 1)).ToArray();
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
        float gradientFloor = 1e-4f * (1 + cpuGradients.Select(Math.Abs).DefaultIfEmpty(0).Max());

        float[] before = state.Parameters.ToArray();
        Near(new[] { Train() }, new[] { gpu.TrainStep(x, t, n) }, "loss of the training step");
        float[] parameters = new float[state.ParameterCount];
        gpu.CopyParametersTo(parameters);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (spec.NormalisedSteps && Math.Abs(cpuGradients[i]) <= gradientFloor) continue;
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

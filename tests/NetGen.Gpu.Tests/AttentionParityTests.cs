using System;
using NetGen.Gpu.Tests.Networks;
using Xunit;
using static NetGen.Gpu.Tests.CpuParityTests;

namespace NetGen.Gpu.Tests;

/// <summary>
/// The GPU runner against the CPU class on ILGPU's CPU accelerator for GELU, AdamW, MultiHeadAttention and
/// TransformerBlock: outputs, loss, gradients, parameters and optimizer state after three training steps agree
/// within 1e-4 + 1e-4·|CPU| (the CPU classes' attention and GELU are themselves checked against finite differences).
/// </summary>
public sealed class AttentionParityTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    private const int Steps = 3;

    [Fact] public void GeluDenseStandaloneAndFusedAdamW() => Check<GeluAdamW, GeluAdamWGpu>(new(), d => new(d), TargetKind.OneHot, 1, 3);
    [Fact] public void GeluAtEveryStepAdam() => Check<GeluAtEveryStepAdam, GeluAtEveryStepAdamGpu>(new(), d => new(d), TargetKind.Values, 1, 3);

    // MultiHeadAttention: causal and not, heads 1 and heads = width, sequence lengths 7 and 1, batches 1 and 3.
    [Fact] public void CausalAttentionTwoHeadsAdamW() => Check<CausalAttentionAdamW, CausalAttentionAdamWGpu>(new(), d => new(d), TargetKind.Values, 1, 3);
    [Fact] public void OneHeadAttentionAfterDenseAdam() => Check<OneHeadAttentionAdam, OneHeadAttentionAdamGpu>(new(), d => new(d), TargetKind.Values, 1, 3);
    [Fact] public void HeadsEqualToTheWidthCausalThenNotMomentum() => Check<HeadsEqualWidthMomentum, HeadsEqualWidthMomentumGpu>(new(), d => new(d), TargetKind.Values, 1, 3);
    [Fact] public void AttentionOverOneStepSgd() => Check<OneStepAttentionSgd, OneStepAttentionSgdGpu>(new(), d => new(d), TargetKind.Binary, 1, 3);
    [Fact] public void AttentionDropoutDrawsTheCpuMasksAdam() => Check<AttentionDropoutAdam, AttentionDropoutAdamGpu>(new(), d => new(d), TargetKind.Values, 1, 3);

    // TransformerBlock: causal and not, stacked after a Dense; a block over one step; a BERT-style classifier over token ids.
    [Fact] public void TransformerBlocksCausalAndNotAdamW() => Check<TransformerBlocksAdamW, TransformerBlocksAdamWGpu>(new(), d => new(d), TargetKind.Values, 1, 3);
    [Fact] public void TransformerBlockOverOneStepAdam() => Check<OneStepTransformerBlockAdam, OneStepTransformerBlockAdamGpu>(new(), d => new(d), TargetKind.Values, 1, 3);
    [Fact] public void TransformerBlockDropoutDrawsTheCpuMasksAdamW() => CheckTokens<BlockDropoutClassifierAdamW, BlockDropoutClassifierAdamWGpu>(new(), 13, d => new(d), TargetKind.OneHot, 1, 3);
    [Fact] public void BertStyleClassifierAdamW() => CheckTokens<BertClassifierAdamW, BertClassifierAdamWGpu>(new(), 13, d => new(d), TargetKind.OneHot, 1, 3);

    [Fact]
    public void TiledProductsWithSplitWeightGradientsMatchTheCpu()
    {
        // The attention and feed-forward products tiled; batch 20 cut into slices of 16 and 4 samples (chunk·7 rows) for
        // every weight gradient, the norms' γ and β written whole beside them.
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        var cpu = new TransformerBlocksAdamW();
        var gpu = new TransformerBlocksAdamWGpu(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 7 };
        Assert.True(gpu.UsesTiledProducts);
        Run(cpu, new FloatInputs(cpu), gpu, (n, seed) => Batch.Make(TransformerBlocksAdamW.InputSize, TransformerBlocksAdamW.OutputSize, n, TargetKind.Values, seed), new[] { 20 }, steps: 1);
    }

    [Fact]
    public void AdamWDecaysMatricesOnly()
    {
        // Every parameter moved to about ±1 first, so decaying a bias by mistake (lr·λ·|b| = 5e-3) would exceed the tolerance.
        var cpu = new GeluAdamW { LearningRate = 0.05 };
        Span<float> p = cpu.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += p[i] < 0 ? -1f : 1f;
        using var gpu = new GeluAdamWGpu(fixture.Device);
        gpu.CopyParametersFrom(cpu);
        var data = Batch.Make(GeluAdamW.InputSize, GeluAdamW.OutputSize, 3, TargetKind.OneHot, seed: 9);
        Near(cpu.TrainStep(data.Inputs, data.Targets, 3), gpu.TrainStep(data.Inputs, data.Targets, 3), "loss of the step");
        var after = new float[GeluAdamW.ParameterCount];
        gpu.CopyParametersTo(after);
        Near(cpu.Parameters, after, "parameters after one AdamW step");
    }

    [Fact]
    public void GeluDeviceAgreesWithTheCpuOperator()
    {
        // The kernels' table-free GELU against the CPU's operator over [−10, 10] in steps of 1/64, 0 and +∞.
        var cpu = default(NetGen.Numerics.GeluOperator<float>);
        float worstValue = 0, worstSlope = 0;
        for (int i = -640; i <= 640; i++)
        {
            float z = i / 64f;
            worstValue = MathF.Max(worstValue, MathF.Abs(cpu.Invoke(z) - NetGen.Numerics.GeluDevice.Value(z)) / (1 + MathF.Abs(z)));
            worstSlope = MathF.Max(worstSlope, MathF.Abs(cpu.Derivative(z, cpu.Invoke(z)) - NetGen.Numerics.GeluDevice.Slope(z)));
        }
        Assert.True(worstValue <= 1e-6f, $"f differs by {worstValue}·(1 + |z|)");
        Assert.True(worstSlope <= 1e-6f, $"f' differs by {worstSlope}");
        Assert.Equal(float.PositiveInfinity, NetGen.Numerics.GeluDevice.Value(float.PositiveInfinity));
        Assert.Equal(0f, NetGen.Numerics.GeluDevice.Value(0f));
    }

    private void Check<TCpu, TGpu>(TCpu cpu, Func<GpuDevice, TGpu> createGpu, TargetKind targets, params int[] batches)
        where TCpu : INetwork where TGpu : IGpuNetwork
        => Run(cpu, new FloatInputs(cpu), createGpu(fixture.Device), (n, seed) => Batch.Make(cpu.InputSize, cpu.OutputSize, n, targets, seed), batches);

    private void CheckTokens<TCpu, TGpu>(TCpu cpu, int vocabulary, Func<GpuDevice, TGpu> createGpu, TargetKind targets, params int[] batches)
        where TCpu : ITokenNetwork where TGpu : IGpuNetwork
        => Run(cpu, new TokenInputs(cpu), createGpu(fixture.Device), (n, seed) => Batch.Tokens(cpu.InputSize, vocabulary, cpu.OutputSize, n, targets, seed), batches);

    /// <summary>CpuParityTests' protocol: per batch size, outputs, loss, gradients, then three steps and the state they leave.</summary>
    private static void Run(INetworkState<float> cpu, ICpuCalls calls, IGpuNetwork gpu, Func<int, int, Batch> makeBatch, int[] batches, int steps = Steps)
    {
        using (gpu)
        {
            gpu.CopyParametersFrom(cpu);
            // Entries of every in_proj_bias's key third [E, 2E).
            var keyBias = new System.Collections.Generic.List<int>();
            foreach (ParameterTensor t in cpu.ParameterTensors)
                if (t.Name.EndsWith("in_proj_bias", StringComparison.Ordinal))
                    for (int j = t.Shape[0] / 3; j < 2 * t.Shape[0] / 3; j++) keyBias.Add(t.Offset + j);
            int seed = 0;
            foreach (int n in batches)
            {
                var data = makeBatch(n, seed++);
                var expected = new float[n * cpu.OutputSize];
                var actual = new float[n * cpu.OutputSize];
                calls.Predict(data.Inputs, expected, n);
                gpu.Predict(data.Inputs, actual, n);
                Near(expected, actual, $"outputs (batch {n})");
                Near(calls.ComputeLoss(data.Inputs, data.Targets, n), gpu.ComputeLoss(data.Inputs, data.Targets, n), $"loss (batch {n})");
                Near(calls.ComputeGradients(data.Inputs, data.Targets, n), gpu.ComputeGradients(data.Inputs, data.Targets, n), $"gradient pass loss (batch {n})");
                var gradients = new float[cpu.ParameterCount];
                gpu.CopyGradientsTo(gradients);
                Near(cpu.Gradients, gradients, $"gradients (batch {n})");
                // The key bias's gradient is 0 in exact arithmetic (adding one vector to every key shifts a softmax row by a
                // constant), so both sides hold rounding noise there, which Adam turns into ±lr steps of either sign.
                foreach (int i in keyBias)
                    Assert.True(MathF.Abs(cpu.Gradients[i]) <= 1e-5f && MathF.Abs(gradients[i]) <= 1e-5f, $"key bias gradient [{i}]: CPU {cpu.Gradients[i]}, GPU {gradients[i]}");
                for (int step = 0; step < steps; step++)
                    Near(calls.TrainStep(data.Inputs, data.Targets, n), gpu.TrainStep(data.Inputs, data.Targets, n), $"loss of step {step} (batch {n})");
                var parameters = new float[cpu.ParameterCount];
                gpu.CopyParametersTo(parameters);
                float[] expectedParameters = cpu.Parameters.ToArray();
                foreach (int i in keyBias) parameters[i] = expectedParameters[i]; // noise-driven, see above
                Near(expectedParameters, parameters, $"parameters after {steps} steps, the key biases aside (batch {n})");
                var state = new float[cpu.OptimizerStateSlots * cpu.ParameterCount];
                gpu.CopyOptimizerStateTo(state);
                Near(cpu.OptimizerState, state, $"optimizer state (batch {n})");
                Assert.Equal(cpu.OptimizerStep, gpu.OptimizerStep);
                Assert.Equal(cpu.RandomState, gpu.RandomState);
            }
        }
    }
}

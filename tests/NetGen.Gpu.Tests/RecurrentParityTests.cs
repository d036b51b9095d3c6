using System;
using System.Linq;
using NetGen.Gpu.Tests.Networks;
using Xunit;

namespace NetGen.Gpu.Tests;

/// <summary>
/// SimpleRnn, Lstm and Gru on the GPU runner against the CPU class, on ILGPU's CPU accelerator (outputs, loss,
/// gradients, parameters and optimizer state after three training steps, 1e-4 + 1e-4·|x|), returning the last
/// step and every step, stacked, after a per-step Dense and after an Embedding, batches 1 and 3.
/// </summary>
public sealed partial class CpuParityTests
{
    private static readonly int[] RecurrentBatches = { 1, 3 };

    [Fact] public void SimpleRnnLastStepMseAdam() => Check<SimpleRnnLastStepAdam, SimpleRnnLastStepAdamGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void SimpleRnnSequenceOutputMseMomentum() => Check<SimpleRnnSequenceMomentum, SimpleRnnSequenceMomentumGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void LstmLastStepSoftmaxCrossEntropyAdam() => Check<LstmLastStepSoftmaxAdam, LstmLastStepSoftmaxAdamGpu>(new(), d => new(d), TargetKind.OneHot, RecurrentBatches);
    [Fact] public void LstmOneStepSequenceRmsProp() => Check<LstmOneStepSequenceRmsProp, LstmOneStepSequenceRmsPropGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void GruOneStepBceSgdWeightDecay() => Check<GruOneStepBceSgd, GruOneStepBceSgdGpu>(new(), d => new(d), TargetKind.Binary, RecurrentBatches);
    [Fact] public void GruSequenceLayerNormAverageAdam() => Check<GruSequenceAverageAdam, GruSequenceAverageAdamGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void StackedLstmGruSimpleRnnAdam() => Check<StackedRecurrentAdam, StackedRecurrentAdamGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void DenseAtEveryStepBeforeGruMomentum() => Check<DenseBeforeGruMomentum, DenseBeforeGruMomentumGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);
    [Fact] public void EmbeddingBeforeStackedLstmAdam() => CheckTokens<TokenLstmAdam, TokenLstmAdamGpu>(new(), 11, d => new(d), TargetKind.OneHot, RecurrentBatches);

    [Fact]
    public void TiledRecurrentProductsWithSplitWeightGradientsMatchTheCpu()
    {
        // The input products, dW_ih, dW_hh and dx tiled; the weight gradients' n·T rows cut into slices of chunk·T rows
        // (batch 20 in slices of 16 and 4 samples).
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<StackedRecurrentAdam, StackedRecurrentAdamGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 7 }, TargetKind.Values, batches: new[] { 20 }, steps: 1, expectTiled: true);
    }

    // Per-time-step cross entropy: one-hot targets per step, the loss the mean over n·T rows.
    [Fact]
    public void CharLstmShapePerStepSoftmaxCrossEntropyAdam()
    {
        var cpu = new CharLstmAdam();
        CheckRunner(cpu, new TokenInputs(cpu), d => new CharLstmAdamGpu(d),
            (n, seed) => PerStepOneHot(Batch.Tokens(CharLstmAdam.InputSize, 7, CharLstmAdam.OutputSize, n, TargetKind.Values, seed), 5, 7, seed), RecurrentBatches, 3, expectTiled: false);
    }

    [Fact]
    public void GruLinearLogitsPerStepCrossEntropyMomentum()
    {
        var cpu = new GruLogitsPerStepMomentum();
        CheckRunner(cpu, new FloatInputs(cpu), d => new GruLogitsPerStepMomentumGpu(d),
            (n, seed) => PerStepOneHot(Batch.Make(GruLogitsPerStepMomentum.InputSize, GruLogitsPerStepMomentum.OutputSize, n, TargetKind.Values, seed), 5, 3, seed), RecurrentBatches, 3, expectTiled: false);
    }

    [Fact] public void SoftmaxAtEveryStepUnderMseSgd() => Check<SoftmaxPerStepMseSgd, SoftmaxPerStepMseSgdGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);

    [Fact] public void ClipNormUnderSgd() => Check<ClippedLstmSgd, ClippedLstmSgdGpu>(new(), d => new(d), TargetKind.Values, RecurrentBatches);

    [Fact]
    public void ClipNormLeavesTheGradientsClippedAsTheCpu()
    {
        var cpu = new ClippedLstmSgd();
        using var gpu = new ClippedLstmSgdGpu(fixture.Device);
        gpu.CopyParametersFrom(cpu);
        var data = Batch.Make(ClippedLstmSgd.InputSize, ClippedLstmSgd.OutputSize, 3, TargetKind.Values, seed: 8);
        cpu.ComputeGradients(data.Inputs, data.Targets, 3);
        float norm = MathF.Sqrt(cpu.Gradients.ToArray().Sum(g => g * g));
        Assert.True(norm > 0.03f, $"the test needs a norm well above ClipNorm 0.01, got {norm}");
        Near(cpu.TrainStep(data.Inputs, data.Targets, 3), gpu.TrainStep(data.Inputs, data.Targets, 3), "loss");
        var clipped = new float[ClippedLstmSgd.ParameterCount];
        gpu.CopyGradientsTo(clipped);
        Near(cpu.Gradients, clipped, "gradients after the step (clipped)");
        Assert.True(MathF.Abs(MathF.Sqrt(clipped.Sum(g => g * g)) - 0.01f) < 1e-5f, "the clipped norm is ClipNorm");
    }

    [Fact]
    public void CharLstmTakesClassIdsPerStepAsTheCpu()
    {
        var cpu = new CharLstmAdam();
        using var gpu = new CharLstmAdamGpu(fixture.Device);
        gpu.CopyParametersFrom(cpu);
        Assert.Equal(5, CharLstmAdamGpu.LabelsPerSample);
        Assert.Equal(7, CharLstmAdamGpu.ClassCount);
        int[] ids = { 0, 6, 3, 3, 5, 1, 2, 3, 4, 6 }, labels = { 6, 3, 3, 5, 1, 2, 3, 4, 6, 0 };
        Near(cpu.ComputeLoss(ids, labels, 2), gpu.ComputeLoss(ids, labels, 2), "loss against class ids");
        Near(cpu.ComputeGradients(ids, labels, 2), gpu.ComputeGradients(ids, labels, 2), "gradient pass loss");
        var gradients = new float[CharLstmAdam.ParameterCount];
        gpu.CopyGradientsTo(gradients);
        Near(cpu.Gradients, gradients, "gradients against class ids");
        for (int step = 0; step < 3; step++) Near(cpu.TrainStep(ids, labels, 2), gpu.TrainStep(ids, labels, 2), $"loss of step {step}");
        var parameters = new float[CharLstmAdam.ParameterCount];
        gpu.CopyParametersTo(parameters);
        Near(cpu.Parameters, parameters, "parameters after three steps against class ids");
        // Float inputs take class ids too; an id outside the classes throws as the CPU class does.
        Near(cpu.ComputeLoss(ids, labels, 2), gpu.ComputeLoss(System.Array.ConvertAll(ids, v => (float)v), labels, 2), "loss from float inputs");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => gpu.TrainStep(ids, new[] { 0, 1, 2, 7, 0, 0, 0, 0, 0, 0 }, 2));
        Assert.Contains("position 3", ex.Message);
        Assert.Throws<ArgumentException>(() => gpu.TrainStep(ids, new[] { 0, 1 }, 2));
    }

    /// <summary>The batch with one-hot targets at every time step (<paramref name="steps"/> rows of <paramref name="classes"/> per sample).</summary>
    private static Batch PerStepOneHot(Batch batch, int steps, int classes, int seed)
    {
        var random = new Random(99 + seed);
        var targets = new float[batch.Targets.Length];
        for (int row = 0; row < targets.Length / classes; row++) targets[row * classes + random.Next(classes)] = 1f;
        Assert.Equal(0, targets.Length % (steps * classes));
        return batch with { Targets = targets };
    }
}

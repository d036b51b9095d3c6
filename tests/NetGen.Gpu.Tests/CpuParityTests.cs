using System;
using ILGPU;
using ILGPU.Runtime;
using NetGen.Gpu.Tests.Networks;
using Xunit;

namespace NetGen.Gpu.Tests;

/// <summary>One CPU accelerator for the whole test run (opening one compiles nothing, but is not free).</summary>
public sealed class DeviceFixture : IDisposable
{
    public GpuDevice Device { get; } = AcceleratorChoice.Open(AcceleratorPreference.Cpu);
    public void Dispose() => Device.Dispose();
}

/// <summary>
/// The generated GPU runner against the CPU class, on ILGPU's CPU accelerator: outputs, loss,
/// gradients, and parameters and optimizer state after several training steps agree within float
/// tolerance, for every activation, layer kind, loss and optimizer, with odd sizes and batch sizes.
/// </summary>
public sealed partial class CpuParityTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    private const int Steps = 3;

    [Fact] public void SigmoidMseSgd() => Check<SigmoidMseSgd, SigmoidMseSgdGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void TanhMseMomentumWeightDecay() => Check<TanhMseMomentum, TanhMseMomentumGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void ReluSoftmaxCrossEntropyAdam() => Check<ReluSoftmaxCrossEntropyAdam, ReluSoftmaxCrossEntropyAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void LeakyReluSigmoidBceRmsProp() => Check<LeakySigmoidBceRmsProp, LeakySigmoidBceRmsPropGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void PReluMseAdamWeightDecay() => Check<PReluMseAdamDecay, PReluMseAdamDecayGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void EluSigmoidMseMomentum() => Check<EluSigmoidMseMomentum, EluSigmoidMseMomentumGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void SwishSoftmaxMseSgd() => Check<SwishSoftmaxMseSgd, SwishSoftmaxMseSgdGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void StandaloneActivationsAdam() => Check<StandaloneActivationsAdam, StandaloneActivationsAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void PlainBinaryCrossEntropyAdam() => Check<PlainBceAdam, PlainBceAdamGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void PlainCrossEntropySgdWeightDecay() => Check<PlainCrossEntropySgdDecay, PlainCrossEntropySgdDecayGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void MaxoutMseAdam() => Check<MaxoutMseAdam, MaxoutMseAdamGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void DropoutMasksMatchTheCpu() => Check<DropoutAdam, DropoutAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void FlattenSwishBceRmsPropWeightDecay() => Check<FlattenSigmoidBceRmsPropDecay, FlattenSigmoidBceRmsPropDecayGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void LinearLogitsCrossEntropyAdam() => Check<LinearLogitsCrossEntropyAdam, LinearLogitsCrossEntropyAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void LinearLogitsBceSgd() => Check<LinearLogitsBceSgd, LinearLogitsBceSgdGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void ConvMaxPoolCrossEntropyAdam() => Check<ConvMaxPoolAdam, ConvMaxPoolAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void ConvPReluAveragePoolMomentum() => Check<ConvPReluAvgPoolMomentum, ConvPReluAvgPoolMomentumGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void ReshapeConvOverlappingMaxPoolRmsProp() => Check<ReshapeConvOverlappingMaxPoolRmsProp, ReshapeConvOverlappingMaxPoolRmsPropGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void ConvLastLayerFusedSigmoidBceDropout() => Check<ConvSigmoidBceDropoutAdam, ConvSigmoidBceDropoutAdamGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void ConvWholeImageSwishSgd() => Check<ConvWholeImageSgd, ConvWholeImageSgdGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void LayerNormBetweenDenseLayersAdam() => Check<LayerNormBetweenDenseAdam, LayerNormBetweenDenseAdamGpu>(new(), d => new(d), TargetKind.OneHot);
    [Fact] public void LayerNormFirstSgd() => Check<LayerNormFirstSgd, LayerNormFirstSgdGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void ConvTransposeGeneratorAdam() => Check<ConvTransposeGeneratorAdam, ConvTransposeGeneratorAdamGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void ConvTransposeStride3Momentum() => Check<ConvTransposeStride3Momentum, ConvTransposeStride3MomentumGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void BatchNorm1dFirstAndBetweenDenseLayersAdam() => Check<BatchNorm1dAdam, BatchNorm1dAdamGpu>(new(), d => new(d), TargetKind.OneHot, batches: new[] { 3, 7 });
    [Fact] public void BatchNorm2dInADcganGeneratorMomentum() => Check<DcganGeneratorMomentum, DcganGeneratorMomentumGpu>(new(), d => new(d), TargetKind.Values, batches: new[] { 1, 5 });

    [Fact]
    public void BatchNormTrainingOnOneValuePerChannelThrowsAsTheCpu()
    {
        using var gpu = new BatchNorm1dAdamGpu(fixture.Device);
        var data = Batch.Make(BatchNorm1dAdam.InputSize, BatchNorm1dAdam.OutputSize, 1, TargetKind.OneHot, seed: 3);
        Assert.Throws<ArgumentException>(() => new BatchNorm1dAdam().TrainStep(data.Inputs, data.Targets, 1));
        var ex = Assert.Throws<ArgumentException>(() => gpu.TrainStep(data.Inputs, data.Targets, 1));
        Assert.Contains("at least 2", ex.Message);
        // Inference takes any batch: the running statistics.
        var expected = new float[BatchNorm1dAdam.OutputSize];
        var actual = new float[BatchNorm1dAdam.OutputSize];
        new BatchNorm1dAdam().Predict(data.Inputs, expected, 1);
        gpu.Predict(data.Inputs, actual, 1);
        Near(expected, actual, "outputs from the running statistics");
    }

    [Fact] public void EmbeddingPositionsLayerNormAverageAdam() => CheckTokens<TokenAverageAdam, TokenAverageAdamGpu>(new(), 17, d => new(d), TargetKind.OneHot, batches: new[] { 1, 7 });
    [Fact] public void EmbeddingOfOneStepSgd() => CheckTokens<TokenSingleStepSgd, TokenSingleStepSgdGpu>(new(), 3, d => new(d), TargetKind.Values, batches: new[] { 1, 7 });
    [Fact] public void DenseAndLayerNormAtEveryStepMomentum() => Check<SequenceDenseMomentum, SequenceDenseMomentumGpu>(new(), d => new(d), TargetKind.Values);
    [Fact] public void SequenceOfOneStepRmsProp() => Check<SingleStepSequenceRmsProp, SingleStepSequenceRmsPropGpu>(new(), d => new(d), TargetKind.Binary);
    [Fact] public void SequenceOutputMseAdam() => Check<SequenceOutputMseAdam, SequenceOutputMseAdamGpu>(new(), d => new(d), TargetKind.Values);

    [Fact]
    public void TokenRunnerTakesIntIdsAndRejectsOnesOutsideTheVocabulary()
    {
        var cpu = new TokenAverageAdam();
        using var gpu = new TokenAverageAdamGpu(fixture.Device);
        int[] ids = { 0, 16, 3, 3, 5, 1, 2, 3, 4, 16 };
        var expected = new float[2 * TokenAverageAdam.OutputSize];
        var actual = new float[2 * TokenAverageAdam.OutputSize];
        cpu.Predict(ids, expected, 2);
        gpu.Predict(ids, actual, 2);
        Near(expected, actual, "outputs from int ids");
        var targets = new float[] { 1, 0, 0, 0, 0, 1 };
        Near(cpu.TrainStep(ids, targets, 2), gpu.TrainStep(ids, targets, 2), "loss of a step from int ids");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Predict(new[] { 0, 1, 17, 2, 3 }, new float[3], 1));
        Assert.Contains("position 2", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Predict(new[] { 0f, 1f, 2.5f, 2f, 3f }, new float[3], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.TrainStep(new[] { 0f, -1f, 2f, 2f, 3f }, new float[3], 1));
    }

    [Fact] public void DeepMseRmsProp() => Check<DeepMseRmsProp, DeepMseRmsPropGpu>(new(), d => new(d), TargetKind.Values);

    [Fact]
    public void TiledProductsMatchTheCpu()
    {
        // The tiled kernels need 256-thread groups: a CPU accelerator shaped for them (slow, so one small network).
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<ReluSoftmaxCrossEntropyAdam, ReluSoftmaxCrossEntropyAdamGpu>(new(), _ => new(device, ProductKernels.Tiled), TargetKind.OneHot, batches: new[] { 17 }, steps: 2, expectTiled: true);
    }

    [Fact]
    public void TiledProductsSpanSeveralBlocks()
    {
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<WiderThanABlock, WiderThanABlockGpu>(new(), _ => new(device, ProductKernels.Tiled), TargetKind.OneHot, batches: new[] { 65 }, steps: 1, expectTiled: true);
    }

    [Fact]
    public void SplitWeightGradientsMatchTheCpu()
    {
        // Batch 40 cut into slices of 16 samples (three slices, the last one short), PReLU slopes beside them.
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<PReluMseAdamDecay, PReluMseAdamDecayGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 13 }, TargetKind.Values, batches: new[] { 40 }, steps: 1, expectTiled: true);
    }

    [Fact]
    public void TiledConvolutionsWithSplitWeightGradientsMatchTheCpu()
    {
        // Batch 40 in slices of 16 samples: the convolutions' implicit products tiled, their weight gradients split over the batch.
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<ConvMaxPoolAdam, ConvMaxPoolAdamGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 13 }, TargetKind.OneHot, batches: new[] { 40 }, steps: 1, expectTiled: true);
        Check<ReshapeConvOverlappingMaxPoolRmsProp, ReshapeConvOverlappingMaxPoolRmsPropGpu>(new(), _ => new(device, ProductKernels.Tiled), TargetKind.Binary, batches: new[] { 3 }, steps: 1, expectTiled: true);
        Check<ConvTransposeGeneratorAdam, ConvTransposeGeneratorAdamGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 13 }, TargetKind.Values, batches: new[] { 40 }, steps: 1, expectTiled: true);
    }

    [Fact]
    public void TiledProductsOverSequenceRowsWithSplitWeightGradientsMatchTheCpu()
    {
        // Dense at every step: products over n·t rows, the weight gradients' batch cut into slices of chunk·t rows
        // (batch 20 in two slices of 16 and 4 samples), LayerNorm's γ, β and the position table written whole beside them.
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<SequenceDenseMomentum, SequenceDenseMomentumGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 7 }, TargetKind.Values, batches: new[] { 20 }, steps: 1, expectTiled: true);
    }

    [Fact]
    public void SplitWeightGradientsLeaveLayerNormParametersWhole()
    {
        // γ and β are written whole by one thread each; the split-k reduction must not overwrite them.
        using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
        Check<LayerNormBetweenDenseAdam, LayerNormBetweenDenseAdamGpu>(new(), _ => new(device, ProductKernels.Tiled) { WeightGradientSplitSamples = 13 }, TargetKind.OneHot, batches: new[] { 40 }, steps: 1, expectTiled: true);
    }

    [Fact]
    public void CopyParametersToRoundTripsTheTrainingState()
    {
        var cpu = new DropoutAdam();
        using var gpu = new DropoutAdamGpu(fixture.Device);
        gpu.CopyParametersFrom(cpu);
        var data = Batch.Make(DropoutAdam.InputSize, DropoutAdam.OutputSize, 3, TargetKind.OneHot, seed: 5);
        gpu.TrainStep(data.Inputs, data.Targets, 3);
        var back = new DropoutAdam(seed: 99);
        gpu.CopyParametersTo(back);
        Assert.Equal(1, back.OptimizerStep);
        Assert.NotEqual(cpu.RandomState, back.RandomState);
        cpu.TrainStep(data.Inputs, data.Targets, 3);
        Near(cpu.Parameters, back.Parameters, "parameters");
        Near(cpu.OptimizerState, back.OptimizerState, "optimizer state");
        Assert.Equal(cpu.RandomState, back.RandomState);
    }

    [Fact]
    public void DeviceResidentBatchesMatchTheCpu()
    {
        var cpu = new TanhMseMomentum();
        using var gpu = new TanhMseMomentumGpu(fixture.Device);
        const int n = 3;
        var data = Batch.Make(TanhMseMomentum.InputSize, TanhMseMomentum.OutputSize, n, TargetKind.Values, seed: 11);
        var accelerator = gpu.Accelerator;
        using var inputs = accelerator.Allocate1D(data.Inputs);
        using var targets = accelerator.Allocate1D(data.Targets);
        using var outputs = accelerator.Allocate1D<float>(n * TanhMseMomentum.OutputSize);
        for (int step = 0; step < Steps; step++)
            Near(cpu.TrainStep(data.Inputs, data.Targets, n), gpu.TrainStep(inputs.View, targets.View, n), $"loss of step {step}");
        gpu.EnqueueTrainStep(inputs.View, targets.View, n);
        float expectedLoss = cpu.TrainStep(data.Inputs, data.Targets, n);
        Near(expectedLoss, gpu.LastLoss, "queued step's loss");
        gpu.Predict(inputs.View, outputs.View, n);
        var expected = new float[n * TanhMseMomentum.OutputSize];
        cpu.Predict(data.Inputs, expected, n);
        Near(expected, outputs.GetAsArray1D(), "outputs");
    }

    [Fact]
    public void WrongSizesThrowArgumentException()
    {
        using var gpu = new SigmoidMseSgdGpu(fixture.Device);
        var ex = Assert.Throws<ArgumentException>(() => gpu.Predict(new float[5], new float[2], 2));
        Assert.Contains("6", ex.Message);
        Assert.Throws<ArgumentException>(() => gpu.CopyParametersFrom(new TanhMseMomentum()));
    }

    [Fact]
    public void DescribesTheCpuAcceleratorAsNotGpuSpeed()
    {
        Assert.False(fixture.Device.IsCuda);
        Assert.Contains("CPU accelerator", fixture.Device.Description);
        Assert.Contains("not GPU speed", fixture.Device.Description);
    }

    private void Check<TCpu, TGpu>(TCpu cpu, Func<GpuDevice, TGpu> createGpu, TargetKind targets, int[]? batches = null, int steps = Steps, bool expectTiled = false)
        where TCpu : INetwork where TGpu : IGpuNetwork
        => CheckRunner(cpu, new FloatInputs(cpu), createGpu, (n, seed) => Batch.Make(cpu.InputSize, cpu.OutputSize, n, targets, seed), batches, steps, expectTiled);

    /// <summary><see cref="Check"/> for a network over token ids: the CPU class takes them as ints, the runner as floats.</summary>
    private void CheckTokens<TCpu, TGpu>(TCpu cpu, int vocabulary, Func<GpuDevice, TGpu> createGpu, TargetKind targets, int[] batches)
        where TCpu : ITokenNetwork where TGpu : IGpuNetwork
        => CheckRunner(cpu, new TokenInputs(cpu), createGpu, (n, seed) => Batch.Tokens(cpu.InputSize, vocabulary, cpu.OutputSize, n, targets, seed), batches, Steps, expectTiled: false);

    private void CheckRunner<TGpu>(INetworkState<float> cpu, ICpuCalls calls, Func<GpuDevice, TGpu> createGpu, Func<int, int, Batch> makeBatch, int[]? batches, int steps, bool expectTiled)
        where TGpu : IGpuNetwork
    {
        using TGpu gpu = createGpu(fixture.Device);
        Assert.Equal(expectTiled, gpu.UsesTiledProducts);
        gpu.CopyParametersFrom(cpu);
        int seed = 0;
        foreach (int n in batches ?? new[] { 1, 7 })
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

            for (int step = 0; step < steps; step++)
                Near(calls.TrainStep(data.Inputs, data.Targets, n), gpu.TrainStep(data.Inputs, data.Targets, n), $"loss of step {step} (batch {n})");
            var parameters = new float[cpu.ParameterCount];
            gpu.CopyParametersTo(parameters);
            Near(cpu.Parameters, parameters, $"parameters after {steps} steps (batch {n})");
            var state = new float[cpu.OptimizerStateSlots * cpu.ParameterCount];
            gpu.CopyOptimizerStateTo(state);
            Near(cpu.OptimizerState, state, $"optimizer state (batch {n})");
            var buffers = new float[cpu.Buffers.Length];
            gpu.CopyBuffersTo(buffers);
            Near(cpu.Buffers, buffers, $"running statistics (batch {n})");
            Assert.Equal(cpu.OptimizerStep, gpu.OptimizerStep);
            Assert.Equal(cpu.RandomState, gpu.RandomState);
        }
    }

    /// <summary>The parity tolerance of every GPU test: |CPU − GPU| ≤ 1e-4 + 1e-4·|CPU|.</summary>
    internal static void Near(float expected, float actual, string what)
        => Assert.True(MathF.Abs(expected - actual) <= 1e-4f + 1e-4f * MathF.Abs(expected), $"{what}: CPU {expected}, GPU {actual}");

    internal static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f + 1e-4f * MathF.Abs(expected[i]),
                $"{what}[{i}]: CPU {expected[i]}, GPU {actual[i]}");
    }
}

public enum TargetKind { Values, Binary, OneHot }

/// <summary>The CPU class's batch members over float inputs (token ids arrive as floats and are converted).</summary>
internal interface ICpuCalls
{
    void Predict(float[] inputs, float[] outputs, int n);
    float ComputeLoss(float[] inputs, float[] targets, int n);
    float ComputeGradients(float[] inputs, float[] targets, int n);
    float TrainStep(float[] inputs, float[] targets, int n);
}

internal sealed class FloatInputs(INetwork cpu) : ICpuCalls
{
    public void Predict(float[] inputs, float[] outputs, int n) => cpu.Predict(inputs, outputs, n);
    public float ComputeLoss(float[] inputs, float[] targets, int n) => cpu.ComputeLoss(inputs, targets, n);
    public float ComputeGradients(float[] inputs, float[] targets, int n) => cpu.ComputeGradients(inputs, targets, n);
    public float TrainStep(float[] inputs, float[] targets, int n) => cpu.TrainStep(inputs, targets, n);
}

internal sealed class TokenInputs(ITokenNetwork cpu) : ICpuCalls
{
    private static int[] Ids(float[] inputs) => Array.ConvertAll(inputs, v => (int)v);
    public void Predict(float[] inputs, float[] outputs, int n) => cpu.Predict(Ids(inputs), outputs, n);
    public float ComputeLoss(float[] inputs, float[] targets, int n) => cpu.ComputeLoss(Ids(inputs), targets, n);
    public float ComputeGradients(float[] inputs, float[] targets, int n) => cpu.ComputeGradients(Ids(inputs), targets, n);
    public float TrainStep(float[] inputs, float[] targets, int n) => cpu.TrainStep(Ids(inputs), targets, n);
}

internal readonly record struct Batch(float[] Inputs, float[] Targets)
{
    /// <summary>A deterministic batch: inputs in [−1.5, 1.5); targets as the loss expects them.</summary>
    public static Batch Make(int inputSize, int outputSize, int n, TargetKind kind, int seed)
    {
        var random = new Random(1234 + seed);
        var x = new float[n * inputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 3 - 1.5);
        return new Batch(x, MakeTargets(random, outputSize, n, kind));
    }

    /// <summary>A deterministic batch of token ids in [0, vocabulary), as floats; targets as the loss expects them.</summary>
    public static Batch Tokens(int steps, int vocabulary, int outputSize, int n, TargetKind kind, int seed)
    {
        var random = new Random(4321 + seed);
        var x = new float[n * steps];
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(vocabulary);
        return new Batch(x, MakeTargets(random, outputSize, n, kind));
    }

    private static float[] MakeTargets(Random random, int outputSize, int n, TargetKind kind)
    {
        var t = new float[n * outputSize];
        for (int b = 0; b < n; b++)
        {
            if (kind == TargetKind.OneHot) t[b * outputSize + random.Next(outputSize)] = 1f;
            else
                for (int j = 0; j < outputSize; j++)
                    t[b * outputSize + j] = kind == TargetKind.Binary ? random.Next(2) : (float)(random.NextDouble() * 2 - 1);
        }
        return t;
    }
}

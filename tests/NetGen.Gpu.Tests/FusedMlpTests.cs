using System;
using NetGen.Gpu.Tests.Networks;
using Xunit;

namespace NetGen.Gpu.Tests.Networks
{
    // Widths at the fused kernel's limit (128), inputs that are not whole chunks of 16 (33), an output of 17.
    [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01f, Seed = 31)]
    [Input(33)]
    [Dense(128, Activation.ReLU)]
    [Dense(128, Activation.Tanh)]
    [Dense(17)]
    public partial class FusedAtTheLimit;

    // One unit past the limit: the generator keeps the layered kernels.
    [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Seed = 32)]
    [Input(3)]
    [Dense(129, Activation.ReLU)]
    [Dense(1)]
    public partial class TooWideToFuse;
}

namespace NetGen.Gpu.Tests
{
    /// <summary>
    /// The fused small-MLP Predict kernel against the layered kernels of the same runner, bit for bit, on
    /// ILGPU's CPU accelerator (groups of 16 threads, so wide layers run in several unit blocks) and on one
    /// shaped for 256-thread groups (128-thread fused groups, tiled layered products), and against the CPU class
    /// within float tolerance; and which networks the generator fuses.
    /// </summary>
    public sealed class FusedMlpTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
    {
        private static readonly int[] Batches = { 1, 16, 17, 35 }; // one sample, one whole tile, a tile and one, a short last tile

        [Fact] public void ReluSoftmax() => Check<ReluSoftmaxCrossEntropyAdam, ReluSoftmaxCrossEntropyAdamGpu>(new(), d => new(d));
        [Fact] public void PReluLinear() => Check<PReluMseAdamDecay, PReluMseAdamDecayGpu>(new(), d => new(d));
        [Fact] public void SixtyFiveWideTanhSoftmax() => Check<WiderThanABlock, WiderThanABlockGpu>(new(), d => new(d));
        [Fact] public void EluSwishLeakyRelu() => Check<DeepMseRmsProp, DeepMseRmsPropGpu>(new(), d => new(d));
        [Fact] public void SingleSigmoidLayer() => Check<PlainCrossEntropySgdDecay, PlainCrossEntropySgdDecayGpu>(new(), d => new(d));
        [Fact] public void DropoutSkipped() => Check<DropoutAdam, DropoutAdamGpu>(new(), d => new(d));
        [Fact] public void AtTheWidthLimit() => Check<FusedAtTheLimit, FusedAtTheLimitGpu>(new(), d => new(d));

        [Fact]
        public void AtTheWidthLimitWith128ThreadGroupsAgainstTiledProducts()
        {
            using GpuDevice device = AcceleratorChoice.OpenCpuWithLargeGroups();
            Check<FusedAtTheLimit, FusedAtTheLimitGpu>(new(), _ => new(device, ProductKernels.Tiled), new[] { 17 });
        }

        [Fact]
        public void TheGeneratorFusesOnlyDenseAndDropoutNetworksUpTo128Wide()
        {
            Assert.True(FusedAtTheLimitGpu.FusedPredict);
            Assert.True(WiderThanABlockGpu.FusedPredict);
            Assert.False(TooWideToFuseGpu.FusedPredict);
            Assert.True(DropoutAdamGpu.FusedPredict); // dropout is the identity in Predict
            Assert.False(MaxoutMseAdamGpu.FusedPredict);
            Assert.False(ConvMaxPoolAdamGpu.FusedPredict);
            Assert.False(StandaloneActivationsAdamGpu.FusedPredict);
        }

        [Fact]
        public void PredictAfterLayeredTrainingStepsStillMatchesTheCpu()
        {
            var cpu = new ReluSoftmaxCrossEntropyAdam();
            using var gpu = new ReluSoftmaxCrossEntropyAdamGpu(fixture.Device) { UseFusedPredict = true };
            gpu.CopyParametersFrom(cpu);
            var data = Batch.Make(ReluSoftmaxCrossEntropyAdam.InputSize, ReluSoftmaxCrossEntropyAdam.OutputSize, 19, TargetKind.OneHot, seed: 3);
            for (int step = 0; step < 3; step++)
            {
                cpu.TrainStep(data.Inputs, data.Targets, 19);
                gpu.TrainStep(data.Inputs, data.Targets, 19);
            }
            var expected = new float[19 * ReluSoftmaxCrossEntropyAdam.OutputSize];
            var actual = new float[expected.Length];
            cpu.Predict(data.Inputs, expected, 19);
            gpu.Predict(data.Inputs, actual, 19);
            Near(expected, actual, "outputs after 3 steps");
        }

        private void Check<TCpu, TGpu>(TCpu cpu, Func<GpuDevice, TGpu> create, int[]? batches = null)
            where TCpu : INetwork where TGpu : IGpuNetwork
        {
            using TGpu gpu = create(fixture.Device);
            gpu.CopyParametersFrom(cpu);
            dynamic runner = gpu;
            Assert.False((bool)runner.UseFusedPredict); // off by default on the CPU accelerator, where barriers are expensive
            foreach (int n in batches ?? Batches)
            {
                var data = Batch.Make(cpu.InputSize, cpu.OutputSize, n, TargetKind.Values, seed: n);
                var expected = new float[n * cpu.OutputSize];
                var fused = new float[expected.Length];
                var layered = new float[expected.Length];
                cpu.Predict(data.Inputs, expected, n);
                runner.UseFusedPredict = true;
                gpu.Predict(data.Inputs, fused, n);
                runner.UseFusedPredict = false;
                gpu.Predict(data.Inputs, layered, n);
                runner.UseFusedPredict = true;
                for (int i = 0; i < fused.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(layered[i]) == BitConverter.SingleToInt32Bits(fused[i]),
                        $"batch {n}, output {i}: layered {layered[i]:R}, fused {fused[i]:R} (not bit-identical)");
                Near(expected, fused, $"fused outputs (batch {n})");
            }
        }

        private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f + 1e-4f * MathF.Abs(expected[i]), $"{what}[{i}]: CPU {expected[i]}, GPU {actual[i]}");
        }
    }
}
